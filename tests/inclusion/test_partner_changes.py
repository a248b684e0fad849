"""Partners keep their own entries: they propose changes, which wait for a directory
officer's review; the officer approves (the change goes live, all of it) or rejects it
with a reason the partner reads. Nobody changes an entry of an organisation they do not
keep."""

from datetime import date, time

import pytest
from django.utils import timezone

from tests.core.factories import UserFactory
from townhall.core.models import AuditEntry
from townhall.core.permissions import PermissionDenied
from townhall.inclusion import services
from townhall.inclusion.models import ChangeRequest, Schedule, Service
from townhall.inclusion.selectors import partners as selectors
from townhall.inclusion.services import partners

from .factories import (
    DirectoryOfficerFactory,
    OrganizationFactory,
    PartnerFactory,
    ScheduleFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def library():
    return OrganizationFactory(name_en_gb="Northbridge Libraries")


@pytest.fixture
def place(library):
    """A library service open Monday to Friday, nine to five, last confirmed long ago."""
    service = ServiceFactory(
        organization=library, name_en_gb="Free Wi-Fi", last_confirmed=date(2024, 1, 5)
    )
    place = ServiceAtLocationFactory(service=service, location__name_en_gb="Riverside Library")
    ScheduleFactory(service_at_location=place)
    return place


@pytest.fixture
def partner(library):
    return PartnerFactory(library, email="library@example.org")


@pytest.fixture
def officer():
    return DirectoryOfficerFactory()


def _form(service, **changes) -> dict:
    """The change form as a partner sends it: what is there now, with `changes`."""
    details = selectors.entry_details(
        selectors.with_details(Service.objects.filter(pk=service.pk)).get()
    )
    data = {name: details[name] for name in ("description", "cost", "amount", "phone")}
    for place in details["places"]:
        for day, hours in place["hours"].items():
            data[f"{place['id']}-{day}"] = hours
    data.update(changes)
    return data


def test_a_partner_finds_its_entries_from_its_account(client, partner, place):
    client.force_login(partner)

    account = client.get("/account/").content.decode()
    entries = client.get("/digital-help/your-entries/").content.decode()

    assert "Your directory entries" in account and "/digital-help/your-entries/" in account
    assert "Free Wi-Fi" in entries and "Needs confirming" in entries


def test_a_partner_changes_its_opening_hours_and_an_officer_approves_it(
    client, partner, officer, place, mailoutbox, django_capture_on_commit_callbacks
):
    service = place.service
    client.force_login(partner)

    response = client.post(
        f"/digital-help/your-entries/{service.pk}/change/",
        _form(service, **{f"{place.pk}-SA": "10:00-13:00", f"{place.pk}-FR": ""}),
    )

    assert response.status_code == 302
    assert Schedule.objects.get().byday == "MO,TU,WE,TH,FR"  # nothing live yet
    page = client.get(f"/digital-help/your-entries/{service.pk}/").content.decode()
    assert "Waiting for review" in page and "10:00-13:00" in page

    client.force_login(officer)
    change = ChangeRequest.objects.get()
    review = client.get(f"/digital-help/manage/changes/{change.pk}/").content.decode()
    assert "Riverside Library: Saturday" in review and "Riverside Library: Friday" in review
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/digital-help/manage/changes/{change.pk}/", {"approve": "1"})

    assert response.status_code == 302
    hours = {(s.byday, s.opens_at) for s in Schedule.objects.filter(kind="open")}
    assert hours == {("MO,TU,WE,TH", time(9)), ("SA", time(10))}
    service.refresh_from_db()
    assert service.last_confirmed == timezone.localdate()
    change.refresh_from_db()
    assert (change.state, change.decided_by) == ("approved", officer)
    assert AuditEntry.objects.filter(action="inclusion.change_approve").exists()
    assert [message.to for message in mailoutbox] == [["library@example.org"]]
    assert "approved" in mailoutbox[0].subject


def test_an_officer_rejects_a_change_with_a_reason_the_partner_reads(
    client, partner, officer, place, mailoutbox, django_capture_on_commit_callbacks
):
    service = place.service
    change = partners.change_propose(
        actor=partner, service=service, **_typed(service, cost="£5 a session", amount="5")
    )
    client.force_login(officer)

    refused = client.post(f"/digital-help/manage/changes/{change.pk}/", {"reject": "1"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/digital-help/manage/changes/{change.pk}/",
            {"reject": "1", "reason": "The library does not charge for Wi-Fi."},
        )

    assert refused.status_code == 400
    assert "Say why the change is rejected" in refused.content.decode()
    assert service.cost_options.count() == 0
    client.force_login(partner)
    page = client.get(f"/digital-help/your-entries/{service.pk}/").content.decode()
    assert "The library does not charge for Wi-Fi." in page
    assert "The library does not charge for Wi-Fi." in mailoutbox[0].body


def _typed(service, **changes) -> dict:
    details = selectors.entry_details(
        selectors.with_details(Service.objects.filter(pk=service.pk)).get()
    )
    typed = {name: details[name] for name in ("description", "cost", "amount", "phone")}
    typed.update(changes)
    return typed


def test_a_partner_editing_an_entry_of_an_organisation_it_does_not_keep_is_refused(client, partner):
    other = ServiceAtLocationFactory().service
    client.force_login(partner)

    assert client.get(f"/digital-help/your-entries/{other.pk}/").status_code == 404
    assert client.get(f"/digital-help/your-entries/{other.pk}/change/").status_code == 404
    assert (
        client.post(
            f"/digital-help/your-entries/{other.pk}/change/", {"description": "Mine now"}
        ).status_code
        == 404
    )
    assert client.post(f"/digital-help/your-entries/{other.pk}/confirm/").status_code == 404
    with pytest.raises(PermissionDenied):
        partners.change_propose(actor=partner, service=other, description="Mine now")
    with pytest.raises(PermissionDenied):
        partners.service_confirm(actor=partner, service=other)
    assert not ChangeRequest.objects.exists()


def test_people_without_the_partner_role_cannot_open_the_partner_pages(client, library):
    person = UserFactory()
    client.force_login(person)

    assert client.get("/digital-help/your-entries/").status_code == 403


def test_partners_cannot_review_their_own_changes(client, partner, place):
    change = partners.change_propose(
        actor=partner, service=place.service, **_typed(place.service, phone="01632 960111")
    )
    client.force_login(partner)

    assert client.get("/digital-help/manage/changes/").status_code == 403
    with pytest.raises(PermissionDenied):
        partners.change_approve(actor=partner, change=change)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("9 till 5", "Enter opening hours like 09:00-17:00"),
        ("25:00-26:00", "Enter real times"),
        ("17:00-09:00", "The closing time must be after the opening time"),
        ("09:00-13:00, 12:00-17:00", "The opening hours overlap"),
    ],
)
def test_malformed_opening_hours_are_refused_on_their_day(client, partner, place, typed, message):
    client.force_login(partner)

    response = client.post(
        f"/digital-help/your-entries/{place.service.pk}/change/",
        _form(place.service, **{f"{place.pk}-TU": typed}),
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and f'href="#id_{place.pk}-TU"' in html
    assert not ChangeRequest.objects.exists()


def test_hours_are_read_in_the_ways_people_type_them():
    assert partners.parse_hours("9:30 to 12:00 and 13.00 – 17:00") == [
        (time(9, 30), time(12)),
        (time(13), time(17)),
    ]
    assert partners.parse_hours("closed") == partners.parse_hours("") == []


def test_a_holiday_closure_is_proposed_and_an_old_one_removed(partner, officer, place):
    Schedule.objects.create(
        service_at_location=place,
        kind="closed",
        valid_from=date(2026, 8, 1),
        valid_to=date(2026, 8, 2),
        description_en_gb="Refurbishment",
    )
    service = place.service

    change = partners.change_propose(
        actor=partner,
        service=service,
        **_typed(service),
        closures_kept={str(place.pk): []},
        closures_added={
            str(place.pk): {
                "from": date(2026, 12, 24),
                "to": date(2026, 12, 26),
                "reason": "Christmas",
            }
        },
    )
    partners.change_approve(actor=officer, change=change)

    closure = Schedule.objects.get(kind="closed")
    assert (closure.valid_from, closure.valid_to) == (date(2026, 12, 24), date(2026, 12, 26))
    assert closure.description_en_gb == "Christmas"
    assert Schedule.objects.filter(kind="open").count() == 1  # the hours were left alone


def test_approving_a_change_to_an_entry_that_changed_since_is_refused(
    client, partner, officer, place
):
    service = place.service
    change = partners.change_propose(
        actor=partner, service=service, **_typed(service, description="New words.")
    )
    services.schedule_add(
        actor=officer, place=place, days=["SA"], opens_at=time(10), closes_at=time(12)
    )
    client.force_login(officer)

    response = client.post(f"/digital-help/manage/changes/{change.pk}/", {"approve": "1"})

    assert response.status_code == 409
    assert "The entry has changed since this was proposed" in response.content.decode()
    service.refresh_from_db()
    assert service.description_en_gb != "New words."
    assert ChangeRequest.objects.get().state == "pending"


def test_a_change_already_decided_is_not_decided_again(partner, officer, place):
    change = partners.change_propose(
        actor=partner, service=place.service, **_typed(place.service, phone="01632 960222")
    )
    partners.change_reject(actor=officer, change=change, reason="No.")

    with pytest.raises(services.DirectoryInvalid, match="already been decided"):
        partners.change_approve(actor=officer, change=change)


def test_a_new_proposal_replaces_the_partners_pending_one(partner, place):
    service = place.service
    partners.change_propose(actor=partner, service=service, **_typed(service, phone="1"))
    partners.change_propose(actor=partner, service=service, **_typed(service, phone="2"))

    assert ChangeRequest.objects.get().proposed["phone"] == "2"


def test_a_proposal_that_changes_nothing_is_refused(partner, place):
    with pytest.raises(services.DirectoryInvalid, match="not changed anything"):
        partners.change_propose(actor=partner, service=place.service, **_typed(place.service))


def test_html_in_a_proposed_description_is_shown_as_text(client, partner, officer, place):
    service = place.service
    change = partners.change_propose(
        actor=partner,
        service=service,
        **_typed(service, description='<script>alert("x")</script><b>Bold</b>'),
    )
    client.force_login(officer)
    review = client.get(f"/digital-help/manage/changes/{change.pk}/").content.decode()
    partners.change_approve(actor=officer, change=change)
    public = client.get(f"/digital-help/services/{service.slug}/").content.decode()

    for html in (review, public):
        assert "<script>alert" not in html and "<b>Bold</b>" not in html
        assert "&lt;script&gt;" in html


def test_a_partner_confirms_its_details_are_still_correct_without_review(client, partner, place):
    client.force_login(partner)

    response = client.post(f"/digital-help/your-entries/{place.service.pk}/confirm/")

    place.service.refresh_from_db()
    assert response.status_code == 302
    assert place.service.last_confirmed == timezone.localdate()
    assert AuditEntry.objects.filter(action="inclusion.service_confirm").exists()


def test_an_officer_links_an_account_to_an_organisation_as_its_partner(client, officer, library):
    person = UserFactory(email="school@example.org")
    client.force_login(officer)

    unknown = client.post(
        f"/digital-help/manage/organisations/{library.pk}/partners/",
        {"email": "nobody@example.org"},
    )
    client.post(
        f"/digital-help/manage/organisations/{library.pk}/partners/",
        {"email": "School@example.org"},
    )

    assert (
        unknown.status_code == 400
        and "No account has that email address" in unknown.content.decode()
    )
    assert selectors.is_partner_of(person, library)
    assert "directory_partner" in set(person.groups.values_list("name", flat=True))


def test_the_staff_workspace_counts_changes_waiting_for_review(client, partner, officer, place):
    partners.change_propose(
        actor=partner, service=place.service, **_typed(place.service, phone="3")
    )
    client.force_login(officer)

    html = client.get("/manage/").content.decode()

    assert "1 change to a directory entry waiting for review" in html


def test_the_partner_pages_are_in_welsh_at_cy(client, partner, place):
    client.force_login(partner)

    entries = client.get("/cy/digital-help/your-entries/").content.decode()
    change = client.get(f"/cy/digital-help/your-entries/{place.service.pk}/change/")

    assert "Eich cofnodion yn y cyfeiriadur" in entries and "Angen ei gadarnhau" in entries
    assert "Oriau agor wythnosol" in change.content.decode()


def test_changing_a_proposal_waiting_for_review_keeps_what_it_proposed(client, partner, place):
    service = place.service
    partners.change_propose(
        actor=partner,
        service=service,
        **_typed(service),
        closures_added={
            str(place.pk): {"from": date(2026, 12, 24), "to": date(2026, 12, 26), "reason": "Xmas"}
        },
    )
    client.force_login(partner)
    form = client.get(f"/digital-help/your-entries/{service.pk}/change/").context["form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, [])}
    data[f"{place.pk}-keep"] = ["0"]
    data["phone"] = "01632 960555"

    response = client.post(f"/digital-help/your-entries/{service.pk}/change/", data)

    assert response.status_code == 302
    proposed = ChangeRequest.objects.get().proposed
    assert proposed["phone"] == "01632 960555"
    assert [c["reason"] for c in proposed["places"][0]["closures"]] == ["Xmas"]


def test_a_partners_download_holds_its_organisations_and_proposals_and_erasure_keeps_them(
    partner, place
):
    from townhall.core.services.accounts import account_erase, account_export

    partners.change_propose(
        actor=partner, service=place.service, **_typed(place.service, phone="9")
    )

    exported = account_export(user=partner)["modules"]["inclusion"]
    account_erase(user=partner)

    assert exported["directory_partnerships"][0]["organization__name"] == "Northbridge Libraries"
    assert exported["directory_changes_proposed"][0]["service__name"] == "Free Wi-Fi"
    change = ChangeRequest.objects.get()
    assert change.proposed_by is None and change.state == "pending"


def test_the_officers_service_page_says_a_partners_change_is_waiting(
    client, partner, officer, place
):
    change = partners.change_propose(
        actor=partner, service=place.service, **_typed(place.service, phone="01632 960666")
    )
    client.force_login(officer)

    html = client.get(f"/digital-help/manage/services/{place.service.pk}/").content.decode()

    assert "A partner's change to this entry is waiting for review." in html
    assert f"/digital-help/manage/changes/{change.pk}/" in html
