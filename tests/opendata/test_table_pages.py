"""The table and dataset pages as readers see them: formatted, right-aligned numbers, the
data dictionary ("About the columns") and its editing, facets, and the catalogue's filters."""

import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from rdflib import Graph, Literal, Namespace

from townhall.core.models import AuditEntry
from townhall.opendata import services
from townhall.opendata.datapackage import data_package
from townhall.opendata.formats import display_value
from townhall.opendata.models import ColumnDescription

from .factories import DatasetFactory, upload

pytestmark = pytest.mark.django_db

CSVW = Namespace("http://www.w3.org/ns/csvw#")
DCT = Namespace("http://purl.org/dc/terms/")

SPEND = (
    "Paid on,Department,Supplier,Amount,Invoices\n"
    "2023-10-01,Housing,Acme Ltd,1250.00,12500\n"
    "2023-10-02,Housing,Borough Builders,-120.00,3\n"
    "2023-10-03,Libraries,Castle Print,99.50,1\n"
    "2023-10-04,Libraries,Delta Care,2000000.00,2\n"
    "2023-10-05,Highways,Eastgate Ltd,310.00,4\n"
)


@pytest.fixture
def spend(publisher):
    dataset = DatasetFactory(published=True, slug="spend", title="Spending")
    return upload(publisher, dataset, SPEND, filename="spend.csv").resource


def _preview(client, resource, **params) -> str:
    url = reverse("opendata:resource", args=[resource.dataset.slug, resource.pk])
    return client.get(url, params).content.decode()


def _body_cells(page: str) -> list[tuple[str, str]]:
    """(class, text) of each cell in the preview table's body."""
    body = page.split('class="govuk-table__body"')[1].split("</tbody>")[0]
    return re.findall(r'<td class="([^"]+)">([^<]*)</td>', body)


def _describe(publisher, resource, **entries):
    return services.resource_describe_columns(
        actor=publisher,
        resource=resource,
        columns=["Paid on", "Department", "Supplier", "Amount", "Invoices"],
        entries=entries,
    )


@pytest.mark.parametrize(
    ("value", "money", "shown"),
    [
        (12500, False, "12,500"),
        (Decimal("1234567.5"), False, "1,234,567.5"),
        (Decimal("1250"), True, "£1,250.00"),
        (Decimal("-120.00"), True, "-£120.00"),
        (date(2023, 10, 1), False, "1 Oct 2023"),
        (datetime(2023, 10, 1, 13, 5, tzinfo=UTC), False, "1 Oct 2023, 14:05"),
        (True, False, "Yes"),
        (None, True, ""),
        ("Acme Ltd", False, "Acme Ltd"),
    ],
)
def test_display_value_writes_numbers_money_and_dates_as_people_read_them(value, money, shown):
    assert display_value(value, money=money) == shown


def test_preview_right_aligns_numbers_and_formats_them_with_separators_and_dates_in_words(
    client, spend
):
    cells = _body_cells(_preview(client, spend))

    first_row = cells[:5]
    assert first_row == [
        ("govuk-table__cell", "1 Oct 2023"),
        ("govuk-table__cell", "Housing"),
        ("govuk-table__cell", "Acme Ltd"),
        ("govuk-table__cell govuk-table__cell--numeric", "1,250.00"),
        ("govuk-table__cell govuk-table__cell--numeric", "12,500"),
    ]


def test_preview_shows_money_with_a_pound_sign_when_the_column_unit_is_pounds(
    client, spend, publisher
):
    _describe(publisher, spend, Amount={"unit": "£"})

    amounts = [text for css, text in _body_cells(_preview(client, spend)) if "£" in text]

    assert amounts == ["£1,250.00", "-£120.00", "£99.50", "£2,000,000.00", "£310.00"]


def test_publisher_describes_columns_in_english_and_welsh_and_readers_see_them(
    client, spend, publisher
):
    client.force_login(publisher)
    url = reverse("opendata:data_dictionary", args=[spend.dataset.slug, spend.pk])
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {
            "3-title": "Amount paid",
            "3-title_cy": "Swm a dalwyd",
            "3-description": "Net of recoverable VAT.",
            "3-description_cy": "Heb TAW adenilladwy.",
            "3-unit": "£",
        },
    )

    assert response.status_code == 302
    entry = ColumnDescription.objects.get(resource=spend, column="Amount")
    assert (entry.title_cy, entry.unit) == ("Swm a dalwyd", "£")
    assert AuditEntry.objects.filter(
        actor=publisher, object_type="opendata.columndescription", object_id=str(entry.pk)
    ).exists()
    client.logout()
    page = _preview(client, spend)
    about = page.split('id="about-columns"')[1]
    assert "Amount paid" in about and "Net of recoverable VAT." in about
    with translation.override("cy"):
        welsh = client.get(f"/cy/data/{spend.dataset.slug}/{spend.pk}/").content.decode()
    assert "Swm a dalwyd" in welsh and "Heb TAW adenilladwy." in welsh


def test_a_column_left_blank_loses_its_description(spend, publisher):
    _describe(publisher, spend, Amount={"title": "Amount paid"})

    _describe(publisher, spend, Amount={"title": ""})

    assert not ColumnDescription.objects.filter(resource=spend).exists()


def test_describing_a_column_the_table_lacks_is_refused_and_stores_nothing(spend, publisher):
    with pytest.raises(ValidationError, match="no column called Cost"):
        _describe(publisher, spend, Amount={"title": "Amount"}, Cost={"title": "Cost"})

    assert not ColumnDescription.objects.exists()


def test_the_dictionary_page_is_for_the_datasets_publishers_only(client, spend, person):
    client.force_login(person("resident"))
    url = reverse("opendata:data_dictionary", args=[spend.dataset.slug, spend.pk])

    assert client.post(url, {"3-title": "Hijacked"}).status_code in (403, 404)
    assert not ColumnDescription.objects.exists()


def test_data_package_fields_carry_the_dictionary_titles_and_descriptions(spend, publisher):
    _describe(publisher, spend, Amount={"title": "Amount paid", "description": "Net of VAT."})

    fields = data_package(spend.dataset, request=None)["resources"][0]["schema"]["fields"]

    amount = next(field for field in fields if field["name"] == "Amount")
    assert amount == {
        "name": "Amount",
        "type": "number",
        "title": "Amount paid",
        "description": "Net of VAT.",
    }
    assert "description" not in next(field for field in fields if field["name"] == "Supplier")


def test_dcat_describes_each_documented_column_with_csvw_in_both_languages(
    client, spend, publisher
):
    _describe(
        publisher,
        spend,
        Amount={"title": "Amount paid", "description": "Net of VAT.", "description_cy": "Net."},
    )

    turtle = client.get(reverse("dcat-dataset-ttl", args=[spend.dataset.slug])).content.decode()

    graph = Graph().parse(data=turtle, format="turtle")
    columns = list(graph.subjects(CSVW.name, Literal("Amount")))
    assert len(columns) == 1
    assert set(graph.objects(columns[0], DCT.description)) == {
        Literal("Net of VAT.", lang="en"),
        Literal("Net.", lang="cy"),
    }
    assert (None, CSVW.tableSchema, None) in graph


def test_preview_offers_common_values_of_few_valued_text_columns_as_filter_links(client, spend):
    page = _preview(client, spend)

    facets = page.split("Common values")[1].split('id="rows-heading"')[0]
    assert "Department (3 values)" in facets
    assert "?col=Department&amp;op=eq&amp;val=Housing" in facets
    assert "(2<span" in facets
    # Every supplier appears once: counting them says nothing.
    assert "Supplier" not in facets


def test_following_a_common_value_filters_the_table_and_drops_that_facet(client, spend):
    page = _preview(client, spend, col="Department", op="eq", val="Libraries")

    assert "2 rows" in page
    assert "Department (" not in page


def test_common_values_are_counted_once_then_cached_until_the_table_is_loaded_again(
    client, spend, publisher
):
    def counts() -> int:
        with CaptureQueriesContext(connection) as captured:
            _preview(client, spend)
        return sum("GROUP BY" in query["sql"] for query in captured.captured_queries)

    assert counts() == 2  # Department and Supplier, the text columns
    assert counts() == 0
    upload(
        publisher, spend.dataset, SPEND + "2023-10-06,Parks,Fenwick Ltd,5.00,1\n", resource=spend
    )
    assert counts() == 2


def test_catalogue_filters_fold_into_a_details_saying_how_many_are_chosen(client):
    DatasetFactory(published=True)

    plain = client.get(reverse("opendata:catalogue")).content.decode()
    chosen = client.get(reverse("opendata:catalogue"), {"format": ["CSV", "PDF"]}).content
    chosen = chosen.decode()

    assert '<details class="govuk-details th-catalogue-filters">' in plain
    assert "Filter results</span>" in plain
    assert "Filter results (2 filters chosen)" in chosen
    assert plain.index("th-catalogue-filters") < plain.index('id="results-count"')
