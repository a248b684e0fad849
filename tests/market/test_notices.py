"""Procurement Act 2023 early-engagement notices (UK1, UK2, UK3): each published by an
officer as an OCDS planning release that validates against the 1.1.5 schemas, is stored
and never changes, and joins /ocds/releases and its ocid's record; a tender for a
procurement whose challenge ran with no UK2 notice needs the officer's reasons."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.core.factories import UserFactory
from tests.market.conftest import schema_errors
from tests.market.factories import ChallengeFactory, ProcurementFactory
from townhall.core.permissions import PermissionDenied
from townhall.market import services
from townhall.market.models import Challenge, Notice, NoticeChanged, Procurement

pytestmark = pytest.mark.django_db


def _soon(days: int = 90) -> date:
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def big(db):
    """A planned procurement over £2 million with its tender due in three months."""
    return ProcurementFactory(
        title="Waste collection fleet",
        estimated_value_pence=450_000_000,
        tender_publication_on=_soon(),
    )


def _uk2(officer, challenge, **changes):
    values = {
        "purpose": "To learn how suppliers would cut missed bin collections.",
        "participation": "Read the challenge, ask questions and come to the supplier day.",
        "engagement_start_on": _soon(-30),
        "engagement_end_on": _soon(30),
        **changes,
    }
    return services.notice_uk2_publish(actor=officer, challenge=challenge, **values)


def _planning_document(notice) -> dict:
    return notice.release["planning"]["documents"][-1]


# UK1 ------------------------------------------------------------------------------------------


def test_uk1_lists_planned_procurements_over_2_million_due_in_18_months(officer, big):
    small = ProcurementFactory(estimated_value_pence=200_000_000, tender_publication_on=_soon())
    far = ProcurementFactory(estimated_value_pence=900_000_000, tender_publication_on=_soon(600))
    tendering = ProcurementFactory(
        estimated_value_pence=900_000_000,
        tender_publication_on=_soon(),
        status=Procurement.Status.TENDERING,
    )
    notices = services.notice_uk1_publish(actor=officer)
    assert [notice.procurement for notice in notices] == [big]
    assert not Notice.objects.filter(procurement__in=[small, far, tendering]).exists()
    release = notices[0].release
    assert _planning_document(notices[0])["noticeType"] == "UK1"
    assert release["tag"] == ["planning"]
    assert release["tender"]["status"] == "planned"
    assert release["tender"]["value"] == {"amount": 4_500_000, "currency": "GBP"}


def test_uk1_is_refused_when_no_procurement_qualifies(officer):
    ProcurementFactory(estimated_value_pence=100_000_000, tender_publication_on=_soon())
    with pytest.raises(services.NoticeInvalid, match="over £2 million"):
        services.notice_uk1_publish(actor=officer)
    assert not Notice.objects.exists()


def test_notices_are_refused_to_someone_without_the_pipeline_action(big, challenge):
    resident = UserFactory()
    with pytest.raises(PermissionDenied):
        services.notice_uk1_publish(actor=resident)
    with pytest.raises(PermissionDenied):
        services.notice_uk3_publish(actor=resident, procurement=big)
    with pytest.raises(PermissionDenied):
        _uk2(resident, challenge)


# UK2 ------------------------------------------------------------------------------------------


def test_uk2_says_what_regulation_17_asks(officer, challenge):
    notice = _uk2(officer, challenge)
    release = notice.release
    assert notice.ocid == release["ocid"] and release["ocid"].endswith(str(challenge.public_id))
    assert _planning_document(notice)["noticeType"] == "UK2"
    assert release["planning"]["rationale"].startswith("To learn how suppliers")
    milestones = release["planning"]["milestones"]
    assert [milestone["type"] for milestone in milestones] == ["engagement", "engagement"]
    assert [milestone["dueDate"][:10] for milestone in milestones] == [
        _soon(-30).isoformat(),
        _soon(30).isoformat(),
    ]
    assert [milestone["status"] for milestone in milestones] == ["met", "scheduled"]
    assert "supplier day" in milestones[0]["description"]
    assert release["tender"]["status"] == "planning"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"purpose": "  "}, "purpose"),
        ({"participation": ""}, "participation"),
        ({"engagement_end_on": _soon(-60)}, "engagement_end_on"),
    ],
)
def test_uk2_is_refused_without_what_it_must_say(officer, challenge, changes, field):
    with pytest.raises(services.NoticeInvalid) as refused:
        _uk2(officer, challenge, **changes)
    assert refused.value.field == field
    assert not Notice.objects.exists()


def test_uk2_is_refused_for_a_draft_challenge(officer):
    draft = ChallengeFactory(status=Challenge.Status.DRAFT, published_at=None)
    with pytest.raises(services.NoticeInvalid):
        _uk2(officer, draft)


# UK3 ------------------------------------------------------------------------------------------


def test_uk3_announces_a_planned_procurement(officer, big):
    notice = services.notice_uk3_publish(actor=officer, procurement=big)
    assert _planning_document(notice)["noticeType"] == "UK3"
    tender = notice.release["tender"]
    assert (
        tender["tenderPeriod"]["startDate"] == f"{big.tender_publication_on.isoformat()}T00:00:00Z"
    )
    assert tender["status"] == "planned"


def test_uk3_is_refused_once_tendering(officer):
    tendering = ProcurementFactory(status=Procurement.Status.TENDERING)
    with pytest.raises(services.NoticeInvalid):
        services.notice_uk3_publish(actor=officer, procurement=tendering)


# Schema, immutability, release history -------------------------------------------------------


def test_every_notice_validates_as_releases_and_in_its_record(
    client, officer, big, challenge, ocds_schemas
):
    uk1 = services.notice_uk1_publish(actor=officer)[0]
    uk2 = _uk2(officer, challenge)
    uk3 = services.notice_uk3_publish(actor=officer, procurement=big)
    package = client.get("/ocds/releases", {"stages": "planning"}).json()
    assert schema_errors(ocds_schemas["releases"], package) == []
    ids = {release["id"] for release in package["releases"]}
    assert {uk1.release_id, uk2.release_id, uk3.release_id} <= ids
    for notice in (uk1, uk2, uk3):
        record = client.get(f"/ocds/records/{notice.ocid}").json()
        assert schema_errors(ocds_schemas["records"], record) == []
        assert notice.release_id in [item["id"] for item in record["records"][0]["releases"]]


def test_a_published_notice_never_changes(officer, big):
    notice = services.notice_uk3_publish(actor=officer, procurement=big)
    stored = dict(notice.release)
    services.procurement_edit(
        actor=officer, procurement=big, title="Renamed fleet", estimated_value_pence=1
    )
    notice.refresh_from_db()
    assert notice.release == stored
    notice.kind = Notice.Kind.UK1
    with pytest.raises(NoticeChanged):
        notice.save()


def test_publishing_again_adds_a_release_and_keeps_the_first(client, officer, big):
    first = services.notice_uk3_publish(actor=officer, procurement=big)
    services.procurement_edit(actor=officer, procurement=big, title="Renamed fleet")
    second = services.notice_uk3_publish(actor=officer, procurement=big)
    assert first.release_id != second.release_id
    releases = client.get(f"/ocds/releases/{big_ocid(big)}").json()["releases"]
    titles = {release["id"]: release["tender"]["title"] for release in releases}
    assert titles[first.release_id] == "Waste collection fleet"
    assert titles[second.release_id] == "Renamed fleet"


def big_ocid(procurement) -> str:
    return Notice.objects.filter(procurement=procurement).first().ocid


def test_publishing_leaves_an_audit_entry(officer, challenge):
    from townhall.core.models import AuditEntry

    notice = _uk2(officer, challenge)
    assert AuditEntry.objects.filter(
        action="market.notice_publish_uk2", object_id=str(notice.pk), actor=officer
    ).exists()


# The no-UK2 flag ------------------------------------------------------------------------------


@pytest.fixture
def follows_engagement(challenge):
    return ProcurementFactory(title="Bin route software", challenge=challenge)


def _start_tendering(officer, procurement, **values):
    return services.procurement_edit(
        actor=officer, procurement=procurement, status=Procurement.Status.TENDERING, **values
    )


def test_a_tender_after_engagement_with_no_uk2_is_refused_without_reasons(
    officer, follows_engagement
):
    with pytest.raises(services.ProcurementInvalid, match="without a UK2 notice") as refused:
        _start_tendering(officer, follows_engagement)
    assert refused.value.field == "uk2_omitted_reason"
    follows_engagement.refresh_from_db()
    assert follows_engagement.status == Procurement.Status.PLANNED


def test_a_tender_after_engagement_with_no_uk2_carries_the_reasons_given(
    client, officer, follows_engagement, ocds_schemas
):
    reason = "The engagement was a pilot with no procurement in view."
    _start_tendering(officer, follows_engagement, uk2_omitted_reason=reason)
    package = client.get("/ocds/releases", {"stages": "tender"}).json()
    assert schema_errors(ocds_schemas["releases"], package) == []
    [release] = package["releases"]
    assert release["tender"]["documents"][0]["description"] == reason


def test_a_tender_after_engagement_with_a_uk2_needs_no_reasons(
    officer, challenge, follows_engagement
):
    _uk2(officer, challenge)
    _start_tendering(officer, follows_engagement)
    follows_engagement.refresh_from_db()
    assert follows_engagement.status == Procurement.Status.TENDERING


def test_a_tender_with_no_engagement_is_not_flagged(officer):
    alone = ProcurementFactory()
    _start_tendering(officer, alone)
    assert alone.status == Procurement.Status.TENDERING


def test_the_flag_shows_on_the_pipeline_entry_and_in_manage(
    client, officer, challenge, follows_engagement
):
    client.force_login(officer)
    entry = client.get(f"/market/manage/pipeline/{follows_engagement.public_id}/").text
    assert "without a UK2 notice" in entry
    assert f"/market/manage/{challenge.public_id}/uk2/" in entry
    pipeline = client.get("/market/manage/pipeline/").text
    assert "No UK2 notice" in pipeline
    workspace = client.get("/manage/").text
    assert "market engagement with no UK2 notice" in workspace
    _uk2(officer, challenge)
    assert "No UK2 notice" not in client.get("/market/manage/pipeline/").text


def test_the_tender_form_asks_for_the_reasons(client, officer, follows_engagement):
    client.force_login(officer)
    page = client.get(f"/market/manage/pipeline/{follows_engagement.public_id}/")
    form = page.context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        estimated_value_pence="£250,000",
        status="tendering",
        challenge=str(follows_engagement.challenge.pk),
    )
    for name in ("tender_publication_on", "contract_start_on", "contract_end_on"):
        day = form.initial[name]
        data.update({f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year})
    refused = client.post(page.request["PATH_INFO"], data)
    assert refused.status_code == 200
    assert "without a UK2 notice" in refused.text
    data["uk2_omitted_reason"] = "Engagement was informal."
    assert client.post(page.request["PATH_INFO"], data).status_code == 302


# Officers' pages ------------------------------------------------------------------------------


def test_an_officer_publishes_each_notice_from_manage(client, officer, big, challenge):
    client.force_login(officer)
    assert "/market/manage/pipeline/notices/uk1/" in client.get("/market/manage/pipeline/").text
    assert client.post("/market/manage/pipeline/notices/uk1/").status_code == 302
    edit = client.get(f"/market/manage/pipeline/{big.public_id}/").text
    assert f"/market/manage/pipeline/{big.public_id}/uk3/" in edit
    assert client.post(f"/market/manage/pipeline/{big.public_id}/uk3/").status_code == 302
    assert (
        f"/market/manage/{challenge.public_id}/uk2/"
        in client.get(f"/market/manage/{challenge.public_id}/").text
    )
    start, end = _soon(-5), _soon(20)
    response = client.post(
        f"/market/manage/{challenge.public_id}/uk2/",
        {
            "purpose": "Explore the market.",
            "participation": "Come to the supplier day.",
            "engagement_start_on_day": start.day,
            "engagement_start_on_month": start.month,
            "engagement_start_on_year": start.year,
            "engagement_end_on_day": end.day,
            "engagement_end_on_month": end.month,
            "engagement_end_on_year": end.year,
        },
    )
    assert response.status_code == 302
    assert sorted(Notice.objects.values_list("kind", flat=True)) == ["UK1", "UK2", "UK3"]
    assert (
        "UK2 preliminary market engagement notice"
        in client.get(f"/market/challenges/{challenge.slug}/").text
    )
    public_pipeline = client.get("/market/pipeline/").text
    assert "UK1 pipeline notice: Waste collection fleet" in public_pipeline
    assert f"/ocds/records/{Notice.objects.get(kind='UK3').ocid}" in public_pipeline


def test_a_uk1_with_nothing_to_list_shows_why(client, officer):
    client.force_login(officer)
    response = client.post("/market/manage/pipeline/notices/uk1/")
    assert response.status_code == 200
    assert "nothing for a pipeline notice to list" in response.text


def test_a_supplier_cannot_open_the_notice_pages(client, supplier, big, challenge):
    client.force_login(supplier.account)
    assert client.get("/market/manage/pipeline/notices/uk1/").status_code == 403
    assert client.post(f"/market/manage/{challenge.public_id}/uk2/").status_code == 403


def test_the_challenge_page_says_what_the_uk2_says_in_each_language(client, officer, challenge):
    _uk2(officer, challenge, purpose_cy="Dysgu sut y gallai cyflenwyr helpu.")
    english = client.get(f"/market/challenges/{challenge.slug}/").text
    assert "To learn how suppliers would cut missed bin collections." in english
    assert "come to the supplier day" in english
    welsh = client.get(f"/cy/market/challenges/{challenge.slug}/").text
    assert "Dysgu sut y gallai cyflenwyr helpu." in welsh


def test_the_uk2_form_says_what_is_wrong_and_publishes_nothing(client, officer, challenge):
    client.force_login(officer)
    start, end = _soon(10), _soon(5)
    response = client.post(
        f"/market/manage/{challenge.public_id}/uk2/",
        {
            "purpose": "Explore the market.",
            "participation": "Come to the supplier day.",
            "engagement_start_on_day": start.day,
            "engagement_start_on_month": start.month,
            "engagement_start_on_year": start.year,
            "engagement_end_on_day": end.day,
            "engagement_end_on_month": end.month,
            "engagement_end_on_year": end.year,
        },
    )
    assert response.status_code == 200
    assert "The engagement must end on or after the day it starts" in response.text
    assert not Notice.objects.exists()
