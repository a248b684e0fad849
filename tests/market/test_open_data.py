"""Awarded contracts over £5,000 reach the Transparency Code's "contracts over £5,000"
through open data's platform datasets, in the Code's columns, and the compliance page
counts them."""

import pytest
from django.urls import reverse

from tests.market.factories import ContractFactory
from townhall.market import selectors
from townhall.opendata import selectors as opendata_selectors
from townhall.opendata import services as opendata

pytestmark = pytest.mark.django_db


def test_only_contracts_over_5000_pounds_are_rows(db):
    ContractFactory(title="Big", value_pence=500_001)
    ContractFactory(title="Exactly five thousand", value_pence=500_000)

    rows = list(selectors.contracts_over_5000_rows())

    assert [row["Title of agreement"] for row in rows] == ["Big"]
    assert rows[0]["Contract value"] == "5000.01"


def test_the_download_meets_the_transparency_code_schema(client, tmp_path):
    from townhall.opendata.transparency.validation import validate_upload

    ContractFactory(value_pence=4_850_000)
    url = reverse("opendata:platform_download", args=["awarded-contracts-over-5000", "csv"])
    path = tmp_path / "contracts.csv"
    path.write_bytes(b"".join(client.get(url).streaming_content))

    report = validate_upload("contracts-over-5000", path, "contracts.csv")

    assert report.valid, report.as_dict()


def test_the_platform_dataset_counts_on_the_compliance_page(db):
    ContractFactory()

    opendata.platform_datasets_sync()
    row = next(
        row
        for row in opendata_selectors.transparency_compliance()
        if row.kind.slug == "contracts-over-5000"
    )

    assert [dataset.platform_export for dataset in row.datasets] == ["awarded-contracts-over-5000"]
