"""The decisions register: staff add decisions with their evidence through the services,
residents read them, their evidence (or that there is none) and the share that cite data."""

from datetime import date

import pytest

from tests.leadership.factories import DecisionFactory, citing_dataset, in_wards
from tests.opendata.factories import DatasetFactory, upload
from tests.participation.factories import ConsultationFactory
from townhall.leadership import selectors, services
from townhall.opendata import selectors as opendata_selectors

pytestmark = pytest.mark.django_db


def _decision(officer, portfolio, **changes):
    fields = {
        "portfolio": portfolio,
        "maker": "cabinet",
        "maker_name": "Cabinet",
        "decided_on": date(2026, 6, 1),
        "status": "made",
        "key_decision": True,
        "title": "Adopt the digital strategy",
        "summary": "Cabinet adopted it.",
        "options": "Keep the old one; adopt the new one.",
        "reasons": "The old one is out of date.",
    }
    return services.decision_create(actor=officer, **{**fields, **changes})


def test_a_published_decision_cites_a_saved_view_and_the_dataset_page_lists_it(
    client, officer, portfolio, administrator
):
    dataset = DatasetFactory(published=True, title="Recycling rates")
    resource = upload(administrator, dataset).resource
    link = f"/cy/data/{dataset.slug}/{resource.pk}/?col=Ward&op=eq&val=Abbey&chart=bar&x=Year"
    cited = services.data_from_link(link, actor=officer)
    decision = _decision(officer, portfolio, data=[cited])

    assert opendata_selectors.evidence_for(dataset).count() == 0  # a draft cites nothing yet
    services.decision_publish(actor=officer, decision=decision)

    [citation] = opendata_selectors.evidence_for(dataset)
    assert citation.filters == {"Ward": {"eq": "Abbey"}}
    assert citation.chart == {"chart": "bar", "x": "Year"}
    page = client.get(f"/leadership/decisions/{decision.slug}/").text
    evidence = page.split('id="evidence"')[1]
    assert "Recycling rates" in evidence
    assert "a chart" in evidence
    assert "cites no evidence" not in evidence


def test_a_decision_citing_nothing_says_so_plainly(client, officer, portfolio):
    decision = _decision(officer, portfolio)
    services.decision_publish(actor=officer, decision=decision)

    page = client.get(f"/leadership/decisions/{decision.slug}/").text

    assert "This decision cites no evidence: no data and no consultation." in page


def test_a_decision_shows_the_consultations_it_cites_and_whether_their_outcome_is_out(
    client, officer, portfolio
):
    consultation = ConsultationFactory(closed=True, title="Library opening hours")
    decision = _decision(officer, portfolio, consultation_ids=[str(consultation.public_id)])
    services.decision_publish(actor=officer, decision=decision)

    evidence = client.get(f"/leadership/decisions/{decision.slug}/").text.split('id="evidence"')[1]

    assert "Library opening hours" in evidence
    assert "its outcome is not published yet" in evidence
    assert "This decision cites no data." in evidence


def test_editing_a_published_decision_keeps_open_datas_citations_in_step(officer, portfolio):
    first, second = DatasetFactory(published=True), DatasetFactory(published=True)
    decision = _decision(officer, portfolio, data=[services.DataCited(dataset_id=str(first.pk))])
    services.decision_publish(actor=officer, decision=decision)

    services.decision_edit(
        actor=officer,
        decision=decision,
        portfolio=portfolio,
        maker="cabinet",
        maker_name="Cabinet",
        decided_on=date(2026, 6, 1),
        status="made",
        title="Adopt the digital strategy",
        summary="Cabinet adopted it.",
        options="Two.",
        reasons="Why.",
        data=[services.DataCited(dataset_id=str(second.pk))],
    )

    assert opendata_selectors.evidence_for(first).count() == 0
    assert opendata_selectors.evidence_for(second).count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"call_in_ends_on": date(2026, 5, 1)}, "call_in_ends_on"),
        ({"status": "called_in"}, "call_in"),
        ({"title": "  "}, "title"),
        ({"ward_codes": ["E05000000"]}, "wards"),
        ({"consultation_ids": ["5d7e5a3c-0000-4000-8000-000000000000"]}, "consultations"),
    ],
)
def test_a_decision_with_bad_input_is_refused_naming_the_field_and_nothing_is_stored(
    officer, portfolio, changes, field
):
    with pytest.raises(services.DecisionInvalid) as refused:
        _decision(officer, portfolio, **changes)

    assert refused.value.field == field
    assert not selectors.staff_decisions().exists()


@pytest.mark.parametrize(
    "link", ["/news/", "https://example.org/data/nothing-here/", "/data/no-such-dataset/"]
)
def test_a_link_that_is_not_to_a_dataset_is_refused(officer, link):
    with pytest.raises(services.DecisionInvalid, match=r"link|dataset"):
        services.data_from_link(link, actor=officer)


def test_a_link_to_a_table_of_another_dataset_is_refused(officer, administrator):
    dataset, other = DatasetFactory(published=True), DatasetFactory(published=True)
    table = upload(administrator, other).resource

    with pytest.raises(services.DecisionInvalid, match="no table"):
        services.data_from_link(f"/data/{dataset.slug}/{table.pk}/", actor=officer)


def test_a_draft_dataset_cannot_be_cited_by_someone_who_may_not_see_it(officer):
    draft = DatasetFactory()

    with pytest.raises(services.DecisionInvalid):
        services.data_from_link(f"/data/{draft.slug}/", actor=officer)


def test_drafts_are_not_public(client, officer, portfolio):
    decision = _decision(officer, portfolio)

    assert client.get(f"/leadership/decisions/{decision.slug}/").status_code == 404
    assert "Adopt the digital strategy" not in client.get("/leadership/decisions/").text


def test_the_share_of_key_decisions_citing_data_counts_made_published_key_decisions():
    dataset = DatasetFactory(published=True)
    citing_dataset(DecisionFactory(), dataset.pk)
    DecisionFactory()
    DecisionFactory(key_decision=False)
    DecisionFactory(status="forthcoming")
    DecisionFactory(published=False)
    citing_dataset(DecisionFactory(status="withdrawn"), dataset.pk)

    share = selectors.key_decisions_citing_data()

    assert (share.cited, share.total, share.percent) == (1, 2, 50)


def test_the_share_is_none_when_there_are_no_key_decisions():
    assert selectors.key_decisions_citing_data().percent is None


def test_the_register_filters_by_portfolio_maker_ward_and_date(client, portfolio, riverside):
    wanted = in_wards(
        DecisionFactory(portfolio=portfolio, title="Wanted", maker="officer"), riverside.code
    )
    DecisionFactory(portfolio=portfolio, title="Other ward", maker="officer")
    DecisionFactory(title="Other portfolio", maker="officer")
    in_wards(
        DecisionFactory(
            portfolio=portfolio, title="Too early", maker="officer", decided_on=date(2025, 1, 1)
        ),
        riverside.code,
    )

    page = client.get(
        "/leadership/decisions/",
        {
            "portfolio": "digital",
            "maker": "officer",
            "ward": riverside.code,
            "decided_from": "2026-01-01",
        },
    ).text

    assert wanted.title in page
    assert "Other ward" not in page and "Other portfolio" not in page and "Too early" not in page


def test_the_register_explains_a_filter_it_cannot_use(client, db):
    response = client.get(
        "/leadership/decisions/", {"decided_from": "2026-06-01", "decided_to": "2026-01-01"}
    )

    assert response.status_code == 400
    assert "govuk-error-summary" in response.text
    assert "This date must be on or after the first date" in response.text


def test_the_register_pages_ten_at_a_time(client, portfolio):
    for day in range(1, 13):
        DecisionFactory(portfolio=portfolio, decided_on=date(2026, 6, day))

    first = client.get("/leadership/decisions/").text
    second = client.get("/leadership/decisions/", {"page": 2}).text

    assert first.count('class="govuk-heading-m govuk-!-margin-bottom-1"') == 10
    assert second.count('class="govuk-heading-m govuk-!-margin-bottom-1"') == 2


def test_a_wards_page_shows_the_latest_decisions_affecting_it(client, riverside):
    in_wards(DecisionFactory(title="Clean air zone"), riverside.code)

    page = client.get(f"/wards/{riverside.slug}/").text

    panel = page.split("Decisions affecting this ward")[1]
    assert "Clean air zone" in panel
    assert f"?ward={riverside.code}" in panel


def test_a_ward_no_decision_affects_has_no_decisions_panel(client, riverside):
    DecisionFactory()

    assert "Decisions affecting this ward" not in client.get(f"/wards/{riverside.slug}/").text


def test_a_decision_in_welsh_shows_welsh_text_and_marks_english_without_welsh(client, portfolio):
    decision = DecisionFactory(portfolio=portfolio, title="Clean air", title_cy="Aer glân")

    page = client.get(f"/cy/leadership/decisions/{decision.slug}/").text

    assert "Aer glân" in page
    assert "Tystiolaeth" in page
    assert '<div lang="en">' in page  # the summary has no Welsh
    assert "Digidol" in page
