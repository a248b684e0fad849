"""A decisions officer keeps the register from Manage: add a decision with its evidence as a
draft, see the form say what is wrong, and publish it."""

import pytest

from tests.opendata.factories import DatasetFactory
from townhall.core.models import AuditEntry
from townhall.leadership import selectors

pytestmark = pytest.mark.django_db


def _form(portfolio, **changes):
    return {
        "title": "Adopt the digital strategy",
        "summary": "Cabinet adopted it.",
        "maker": "cabinet",
        "maker_name": "Cabinet",
        "portfolio": portfolio.pk,
        "decided_on_day": "1",
        "decided_on_month": "6",
        "decided_on_year": "2026",
        "key_decision": "on",
        "status": "made",
        "options": "Two.",
        "reasons": "Why.",
        **changes,
    }


def test_an_officer_adds_a_decision_citing_a_dataset_and_publishes_it(client, officer, portfolio):
    dataset = DatasetFactory(published=True, title="Air quality")
    client.force_login(officer)

    response = client.post(
        "/leadership/manage/decisions/new/", _form(portfolio, data=f"/data/{dataset.slug}/\n")
    )
    decision = selectors.staff_decisions().get()
    assert response.headers["Location"] == f"/leadership/manage/decisions/{decision.public_id}/"
    edit = client.get(response.headers["Location"]).text
    assert f"/data/{dataset.slug}/" in edit  # the form gives back the link it was given

    client.post(f"/leadership/manage/decisions/{decision.public_id}/publish/")

    page = client.get(f"/leadership/decisions/{decision.slug}/").text
    assert "Air quality" in page
    entry = AuditEntry.objects.get(action="leadership.decision_evidence")
    assert entry.after["evidence"] == [f"dataset:{dataset.pk}"]
    assert AuditEntry.objects.filter(action="leadership.decision_publish").exists()


def test_a_link_that_is_not_to_data_is_shown_as_an_error_and_nothing_is_stored(
    client, officer, portfolio
):
    client.force_login(officer)

    response = client.post(
        "/leadership/manage/decisions/new/", _form(portfolio, data="https://example.org/x\n")
    )

    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert "is not a link to a dataset or a view of one" in response.text
    assert not selectors.staff_decisions().exists()


def test_an_officer_adds_a_portfolio(client, officer):
    client.force_login(officer)

    client.post("/leadership/manage/portfolios/", {"name": "Housing", "name_cy": "Tai"})

    assert [p.slug for p in selectors.portfolios()] == ["housing"]
