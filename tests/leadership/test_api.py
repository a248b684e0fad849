"""/api/v1/decisions: the register as JSON, paged, filtered, with stable error codes."""

from datetime import date

import pytest

from tests.leadership.factories import DecisionFactory, in_wards
from tests.opendata.factories import DatasetFactory
from townhall.leadership import api, services

pytestmark = pytest.mark.django_db


def test_the_list_gives_each_published_decision_in_both_languages(client, portfolio, riverside):
    decision = in_wards(
        DecisionFactory(portfolio=portfolio, title="Clean air", title_cy="Aer glân"),
        riverside.code,
    )
    DecisionFactory(published=False)

    body = client.get("/api/v1/decisions").json()

    [item] = body["items"]
    assert body["next"] is None
    assert item["id"] == str(decision.public_id)
    assert (item["title"], item["title_cy"]) == ("Clean air", "Aer glân")
    assert (item["portfolio"], item["portfolio_name_cy"]) == ("digital", "Digidol")
    assert item["decision_maker"] == "cabinet"
    assert item["ward_codes"] == [riverside.code]
    assert item["cites_data"] is False
    assert item["url"].endswith(f"/leadership/decisions/{decision.slug}/")


def test_the_list_filters_by_portfolio_maker_ward_and_dates(client, portfolio, riverside):
    in_wards(
        DecisionFactory(portfolio=portfolio, title="Wanted", maker="committee"), riverside.code
    )
    DecisionFactory(portfolio=portfolio, maker="committee")
    DecisionFactory(maker="committee")
    DecisionFactory(portfolio=portfolio, maker="committee", decided_on=date(2027, 1, 1))

    body = client.get(
        "/api/v1/decisions",
        {
            "portfolio": "digital",
            "decision_maker": "committee",
            "ward": riverside.code,
            "decided_from": "2026-01-01",
            "decided_to": "2026-12-31",
        },
    ).json()

    assert [item["title"] for item in body["items"]] == ["Wanted"]


def test_the_list_pages_with_a_next_link(client, portfolio, monkeypatch):
    monkeypatch.setattr(api, "PAGE_SIZE", 2)
    for day in range(1, 4):
        DecisionFactory(portfolio=portfolio, decided_on=date(2026, 6, day))

    first = client.get("/api/v1/decisions?portfolio=digital").json()
    second = client.get(first["next"]).json()

    assert [i["decided_on"] for i in first["items"]] == ["2026-06-03", "2026-06-02"]
    assert [i["decided_on"] for i in second["items"]] == ["2026-06-01"]
    assert "portfolio=digital" in first["next"]
    assert second["next"] is None


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ({"portfolio": "nothing"}, "unknown_portfolio"),
        ({"decision_maker": "mayor"}, "invalid_decision_maker"),
        ({"ward": "E05000000"}, "unknown_ward"),
        ({"decided_from": "1 June"}, "invalid_date"),
        ({"decided_from": "2026-06-02", "decided_to": "2026-06-01"}, "invalid_date_range"),
        ({"offset": "-1"}, "invalid_offset"),
    ],
)
def test_the_list_refuses_a_filter_it_cannot_use_with_a_stable_code(client, db, query, code):
    response = client.get("/api/v1/decisions", query)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == code


def test_one_decision_gives_its_text_and_evidence(client, officer, portfolio):
    dataset = DatasetFactory(published=True, title="Air quality")
    decision = services.decision_create(
        actor=officer,
        portfolio=portfolio,
        maker="officer",
        maker_name="Director of Place",
        decided_on=date(2026, 6, 1),
        status="in_force",
        title="Clean air zone",
        summary="A zone.",
        options="None; a zone.",
        reasons="Pollution.",
        data=[services.DataCited(dataset_id=str(dataset.pk))],
    )
    services.decision_publish(actor=officer, decision=decision)

    body = client.get(f"/api/v1/decisions/{decision.public_id}").json()

    assert body["reasons"] == "Pollution."
    assert body["cites_data"] is True
    [cited] = body["evidence"]["data"]
    assert cited["dataset_title"] == "Air quality"
    assert cited["url"].endswith(f"/data/{dataset.slug}/")
    assert body["evidence"]["consultations"] == []


def test_a_draft_or_unknown_decision_is_not_found(client, db):
    draft = DecisionFactory(published=False)

    for identifier in (draft.public_id, "6f1c1a4e-0000-4000-8000-000000000000"):
        response = client.get(f"/api/v1/decisions/{identifier}")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "decision_not_found"


def test_the_open_data_export_gives_each_published_decision_with_its_declared_fields(portfolio):
    from townhall.core.registry import registry

    exports = {export.slug: export for export in registry.get("leadership").open_data}
    export = exports["decisions-register"]
    decision = DecisionFactory(portfolio=portfolio, title="Clean air", title_cy="Aer glân")
    DecisionFactory(published=False)

    [row] = list(export.rows())

    assert tuple(row) == export.fields
    assert (row["id"], row["title_cy"], row["portfolio"]) == (
        str(decision.public_id),
        "Aer glân",
        "Digital",
    )
