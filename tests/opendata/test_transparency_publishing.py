"""A Transparency Code dataset is published only when its upload meets the schema; the
validation report and the compliance page show where things stand."""

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError

from townhall.opendata import services
from townhall.opendata.transparency import check_publishable

from .factories import DatasetFactory, upload

pytestmark = pytest.mark.django_db

HEADER = (
    "Transaction date,Supplier,Net amount,Irrecoverable VAT,Department/service,"
    "Procurement category,Purpose narrative,CIPFA expenditure code\n"
)
GOOD = HEADER + "2025-01-06,Northbridge Highways Ltd,1250.00,0,Highways,Works,Road repairs,\n"
BAD = HEADER + "2025-01-06,,lots,0,Highways,Works,Road repairs,\n"


@pytest.fixture
def spend(publisher):
    return DatasetFactory(slug="spend", title="Spending", transparency_code="spend-over-500")


def test_a_dataset_without_a_code_is_always_publishable():
    assert check_publishable(DatasetFactory()) == []


def test_a_code_dataset_without_a_table_is_not_publishable(spend):
    assert [str(problem) for problem in check_publishable(spend)] == [
        "Upload the data as a CSV, TSV or XLSX file before publishing."
    ]


def test_publishing_is_refused_while_the_upload_breaks_the_schema(publisher, spend):
    version = upload(publisher, spend, BAD, filename="spend.csv")
    problems = check_publishable(spend)
    assert [problem.version_id for problem in problems] == [version.id]
    with pytest.raises(ValidationError) as refused:
        services.dataset_publish(actor=publisher, dataset=spend)
    assert "does not meet the schema: 2 problems found" in str(refused.value)
    spend.refresh_from_db()
    assert spend.status == "draft"


def test_publishing_succeeds_once_the_upload_meets_the_schema(publisher, spend):
    upload(publisher, spend, GOOD, filename="spend.csv")
    services.dataset_publish(actor=publisher, dataset=spend)
    spend.refresh_from_db()
    assert spend.status == "published"


def test_validation_report_lists_problems_row_by_row(client, publisher, spend):
    version = upload(publisher, spend, BAD, filename="spend.csv")
    client.force_login(publisher)
    response = client.get(f"/data/spend/validation/{version.id}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Row 2, &quot;Supplier&quot; is blank but must be filled in." in html
    assert "Row 2, &quot;Net amount&quot;: &quot;lots&quot; is not an amount" in html


def test_validation_report_of_a_draft_is_hidden_from_the_public(client, publisher, spend):
    version = upload(publisher, spend, BAD, filename="spend.csv")
    assert client.get(f"/data/spend/validation/{version.id}/").status_code == 404


def test_validation_report_of_a_published_dataset_is_public(client, publisher, spend):
    version = upload(publisher, spend, GOOD, filename="spend.csv")
    services.dataset_publish(actor=publisher, dataset=spend)
    response = client.get(f"/cy/data/spend/validation/{version.id}/")
    assert response.status_code == 200
    assert "govuk-panel--confirmation" in response.content.decode()


def test_schema_of_a_kind_can_be_downloaded(client):
    response = client.get("/data/transparency/fraud.json")
    assert response.json()["townhall"]["frequency"] == "annual"
    assert client.get("/data/transparency/nonsense.json").status_code == 404


def test_compliance_page_tags_each_mandated_dataset(client):
    DatasetFactory(
        published=True,
        title="Fraud 2024/25",
        transparency_code="fraud",
        last_updated=datetime.now(UTC),
        temporal_end=date.today(),
    )
    DatasetFactory(title="Draft waste contracts", transparency_code="waste-contracts")
    response = client.get("/data/transparency/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("govuk-tag--grey") == 13
    assert "Fraud" in html and "Draft waste contracts" not in html
    assert client.get("/cy/data/transparency/").status_code == 200
