"""The built-in Transparency Code schemas: valid Table Schemas, matching the Code's list."""

import pytest
from frictionless import Schema

from townhall.opendata import transparency
from townhall.opendata.transparency.kinds import ANNUAL, ONE_OFF, QUARTERLY

# The Local Government Transparency Code 2015, Part 2: what must be published, how often.
MANDATED = {
    "spend-over-500": QUARTERLY,
    "procurement-card-transactions": QUARTERLY,
    "invitations-to-tender": QUARTERLY,
    "contracts-over-5000": QUARTERLY,
    "land-and-building-assets": ANNUAL,
    "grants-to-vcse": ANNUAL,
    "organisation-chart": ANNUAL,
    "trade-union-facility-time": ANNUAL,
    "parking-account": ANNUAL,
    "parking-spaces": ANNUAL,
    "senior-salaries": ANNUAL,
    "pay-multiple": ANNUAL,
    "fraud": ANNUAL,
    "waste-contracts": ONE_OFF,
}
ALL_KINDS = [kind.slug for kind in transparency.kinds()]


def test_kinds_are_exactly_the_datasets_the_code_mandates_with_its_frequencies():
    assert {kind.slug: kind.frequency for kind in transparency.kinds()} == MANDATED


@pytest.mark.parametrize("slug", ALL_KINDS)
def test_schema_is_a_valid_table_schema(slug):
    report = Schema.validate_descriptor(transparency.kind(slug).table_schema())
    assert report.valid, report.flatten(["type", "note"])


@pytest.mark.parametrize("slug", ALL_KINDS)
def test_schema_names_its_kind_titles_and_the_part_of_the_code(slug):
    kind = transparency.kind(slug)
    assert kind.descriptor["townhall"]["kind"] == slug
    assert kind.title_en and kind.title_cy
    assert kind.code_section.startswith("Part 2")
    assert kind.code_url.startswith("https://www.gov.uk/")


@pytest.mark.parametrize("slug", ALL_KINDS)
def test_schema_requires_at_least_one_column_and_lists_only_its_own_optional_columns(slug):
    kind = transparency.kind(slug)
    assert any(field.get("constraints", {}).get("required") for field in kind.fields)
    assert set(kind.optional_columns) <= set(kind.column_names)


def test_spend_over_500_uses_the_lga_guidance_column_names():
    kind = transparency.kind("spend-over-500")
    assert kind.column_names[:7] == [
        "Transaction date",
        "Supplier",
        "Net amount",
        "Irrecoverable VAT",
        "Department/service",
        "Procurement category",
        "Purpose narrative",
    ]
    assert kind.optional_columns == ("CIPFA expenditure code",)


def test_spend_over_500_types_and_requires_its_key_columns():
    fields = {field["name"]: field for field in transparency.kind("spend-over-500").fields}
    assert fields["Transaction date"]["type"] == "date"
    assert fields["Transaction date"]["format"] == "%Y-%m-%d"
    assert fields["Net amount"]["type"] == "number"
    assert fields["Supplier"]["constraints"]["required"] is True
    assert "required" not in fields["Irrecoverable VAT"].get("constraints", {})


def test_table_schema_leaves_out_the_townhall_block():
    assert "townhall" not in transparency.kind("fraud").table_schema()


def test_unknown_kind_is_refused():
    with pytest.raises(transparency.UnknownKind):
        transparency.kind("spend-over-50")
