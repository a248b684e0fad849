"""/api/v1/scorecard: the latest published maturity assessment as open data, in a stable
shape (council, framework, assessed_on, total, sections[questions])."""

import pytest

from tests.leadership.test_maturity import _answered, framework  # noqa: F401 (a fixture)
from townhall.leadership import services

pytestmark = pytest.mark.django_db


def test_the_scorecard_is_404_with_a_code_until_an_assessment_is_published(
    client,
    officer,
    framework,  # noqa: F811
):
    _answered(officer, framework, skills=5, authority=3)

    response = client.get("/api/v1/scorecard")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "scorecard_not_published"


def test_the_scorecard_gives_weighted_scores_levels_and_evidence(client, officer, framework):  # noqa: F811
    services.maturity_assessment_publish(
        actor=officer, assessment=_answered(officer, framework, skills=5, authority=3)
    )

    body = client.get("/api/v1/scorecard").json()

    assert body["council"]
    assert body["framework"]["slug"] == "small"
    assert body["framework"]["name_cy"] == "Fframwaith bach"
    assert [level["level"] for level in body["framework"]["levels"]] == [1, 2, 3, 4, 5]
    assert body["assessed_on"] == "2026-12-01"
    assert body["total"] == 58.3
    decisions, leading = body["sections"]
    assert (decisions["key"], decisions["weight"], decisions["percent"]) == ("decisions", 1, 75)
    citing, skills = decisions["questions"]
    assert citing["assessment"] == "measured"
    assert citing["measure"] == "key_decisions_citing_data"
    assert (citing["measured_count"], citing["measured_total"]) == (0, 0)
    assert (skills["assessment"], skills["level"], skills["percent"]) == ("self", 5, 100)
    assert skills["evidence"] == "Shown on the council's site."
    assert leading["questions"][0]["text_cy"] == ""
    assert body["history"] == [{"assessed_on": "2026-12-01", "total": 58.3}]
    assert body["url"].endswith("/leadership/scorecard/")


def test_the_decisions_register_keeps_its_address(client):
    assert client.get("/api/v1/decisions").status_code == 200
