"""Supplier days and webinars: arranging them, one registration per organisation within
the places and the deadline, the waiting list, cancelling, attendance, and slides and
notes published after the event."""

import threading
import time
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tests.core.factories import UserFactory
from tests.market.factories import EventFactory, RegistrationFactory, SupplierFactory
from tests.market.test_ocds import _errors
from townhall.core.models import AuditEntry
from townhall.core.permissions import PermissionDenied
from townhall.market import selectors
from townhall.market.models import EngagementEvent, EventRegistration
from townhall.market.services import DeadlinePassed
from townhall.market.services import events as services

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _event_values(challenge, **changes):
    start = timezone.now() + timedelta(days=20)
    values = {
        "challenge": challenge,
        "kind": EngagementEvent.Kind.WEBINAR,
        "title": "Missed bins webinar",
        "title_cy": "Gweminar biniau a fethwyd",
        "description": "An hour on the data.",
        "venue": "",
        "online_url": "https://meet.example.org/bins",
        "starts_at": start,
        "ends_at": start + timedelta(hours=1),
        "registration_deadline": start - timedelta(days=2),
        "capacity": 30,
        "attendees_per_supplier": 2,
    }
    return values | changes


@pytest.mark.django_db
def test_an_officer_arranges_an_event_as_a_draft_and_publishing_is_audited(officer, challenge):
    event = services.event_create(actor=officer, **_event_values(challenge))

    assert selectors.public_event(event.public_id) is None
    services.event_publish(actor=officer, event=event)

    assert selectors.public_event(event.public_id) == event
    assert list(selectors.public_events(challenge)) == [event]
    assert AuditEntry.objects.filter(action="market.event_publish").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_at": timezone.now()}, "ends_at"),
        ({"registration_deadline": timezone.now() + timedelta(days=30)}, "registration_deadline"),
        ({"online_url": "", "venue": ""}, "venue"),
        ({"capacity": 0}, "capacity"),
        ({"attendees_per_supplier": 11}, "attendees_per_supplier"),
    ],
)
def test_an_event_is_refused_naming_the_field_when_its_details_do_not_hold(
    officer, challenge, changes, field
):
    with pytest.raises(services.EventInvalid) as refused:
        services.event_create(actor=officer, **_event_values(challenge, **changes))

    assert refused.value.field == field
    assert not EngagementEvent.objects.exists()


@pytest.mark.django_db
def test_an_event_cannot_be_arranged_when_the_person_is_a_supplier(supplier, challenge):
    with pytest.raises(PermissionDenied):
        services.event_create(actor=supplier.account, **_event_values(challenge))


@pytest.mark.django_db
def test_a_supplier_registers_once_and_a_second_registration_is_refused(supplier):
    event = EventFactory()

    registration = services.event_register(
        actor=supplier.account, event=event, attendee_names=["Ana Jones", " Bo  Li "]
    )
    with pytest.raises(services.RegistrationInvalid, match="already registered"):
        services.event_register(actor=supplier.account, event=event, attendee_names=["Cy"])

    assert registration.status == EventRegistration.Status.CONFIRMED
    assert registration.attendee_names == ["Ana Jones", "Bo Li"]
    assert event.registrations.count() == 1


@pytest.mark.django_db
def test_a_registration_is_refused_when_it_names_more_attendees_than_allowed(supplier):
    event = EventFactory(attendees_per_supplier=2)

    with pytest.raises(services.RegistrationInvalid, match="at most 2"):
        services.event_register(actor=supplier.account, event=event, attendee_names=["A", "B", "C"])

    assert not event.registrations.exists()


@pytest.mark.django_db
def test_a_registration_is_refused_showing_the_deadline_when_registration_has_closed(supplier):
    event = EventFactory(
        registration_deadline=timezone.make_aware(timezone.datetime(2026, 3, 2, 12, 0)),
        starts_at=timezone.make_aware(timezone.datetime(2026, 3, 5, 10, 0)),
    )

    with pytest.raises(DeadlinePassed, match="2 March 2026, midday"):
        services.event_register(actor=supplier.account, event=event, attendee_names=["Ana"])


@pytest.mark.django_db
def test_a_registration_joins_the_waiting_list_when_the_event_is_full(supplier, rival):
    event = EventFactory(capacity=2)
    RegistrationFactory(event=event, attendee_names=["One", "Two"])

    registration = services.event_register(
        actor=supplier.account, event=event, attendee_names=["Ana"]
    )

    assert registration.status == EventRegistration.Status.WAITING
    assert selectors.event_places(event) == {"taken": 2, "left": 0, "waiting": 1}


@pytest.mark.django_db
def test_a_cancellation_gives_its_places_to_the_waiting_list_in_the_order_it_joined(
    supplier, rival
):
    event = EventFactory(capacity=2)
    first = services.event_register(
        actor=supplier.account, event=event, attendee_names=["Ana", "Bo"]
    )
    waiting = services.event_register(actor=rival.account, event=event, attendee_names=["Cy"])

    services.event_registration_cancel(actor=supplier.account, registration=first)

    waiting.refresh_from_db()
    assert waiting.status == EventRegistration.Status.CONFIRMED
    assert selectors.own_registration(supplier.account, event) is None


def test_an_organisation_given_a_place_from_the_waiting_list_is_told_in_its_language(
    supplier, rival, mailoutbox
):
    rival.account.preferred_language = "cy"
    rival.account.save()
    event = EventFactory(capacity=1, title="Missed bins webinar", title_cy="Gweminar biniau")
    first = services.event_register(actor=supplier.account, event=event, attendee_names=["Ana"])
    services.event_register(actor=rival.account, event=event, attendee_names=["Cy"])
    assert mailoutbox == []

    services.event_registration_cancel(actor=supplier.account, registration=first)

    [email] = mailoutbox
    assert email.to == [rival.account.email]
    assert email.subject == "Mae lle wedi dod ar gael: Gweminar biniau"
    assert "Cy" in email.body
    assert f"/cy/market/events/{event.public_id}/" in email.body


@pytest.mark.django_db
def test_a_supplier_may_register_again_after_cancelling(supplier):
    event = EventFactory()
    registration = services.event_register(
        actor=supplier.account, event=event, attendee_names=["Ana"]
    )
    services.event_registration_cancel(actor=supplier.account, registration=registration)

    again = services.event_register(actor=supplier.account, event=event, attendee_names=["Bo"])

    assert again.pk == registration.pk and again.status == EventRegistration.Status.CONFIRMED


@pytest.mark.django_db
def test_a_supplier_cannot_cancel_another_organisations_registration(supplier, rival):
    registration = RegistrationFactory(supplier=rival)

    with pytest.raises(services.RegistrationInvalid):
        services.event_registration_cancel(actor=supplier.account, registration=registration)

    registration.refresh_from_db()
    assert registration.status == EventRegistration.Status.CONFIRMED


@pytest.mark.django_db
def test_a_person_without_an_organisation_cannot_register(db):
    with pytest.raises(PermissionDenied):
        services.event_register(actor=UserFactory(), event=EventFactory(), attendee_names=["A"])


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's in-memory test database locks whole tables between threads at once, "
    "where a deployment's WAL file waits its busy timeout; the PostgreSQL run covers it",
)
@pytest.mark.django_db(transaction=True)
def test_two_suppliers_registering_for_the_last_place_at_once_get_one_place_and_one_wait(
    monkeypatch,
):
    event = EventFactory(capacity=1)
    accounts = [SupplierFactory().account, SupplierFactory().account]
    count = services.places_confirmed

    def count_slowly(locked_event):
        taken = count(locked_event)
        time.sleep(0.3)  # long enough for the other registration to read the same count
        return taken

    monkeypatch.setattr(services, "places_confirmed", count_slowly)

    def register(account):
        try:
            services.event_register(actor=account, event=event, attendee_names=["Ana"])
        finally:
            connection.close()

    workers = [threading.Thread(target=register, args=(account,)) for account in accounts]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()

    statuses = sorted(event.registrations.values_list("status", flat=True))
    assert statuses == [EventRegistration.Status.CONFIRMED, EventRegistration.Status.WAITING]


@pytest.mark.django_db
def test_attendance_is_recorded_after_the_event_starts_and_audited(officer):
    event = EventFactory(
        starts_at=timezone.now() - timedelta(hours=1), registration_deadline=timezone.now()
    )
    came, stayed_away = RegistrationFactory(event=event), RegistrationFactory(event=event)

    services.event_attendance_record(actor=officer, event=event, attended={came.pk})

    came.refresh_from_db(), stayed_away.refresh_from_db()
    assert (came.attended, stayed_away.attended) == (True, False)
    assert AuditEntry.objects.filter(action="market.event_attendance").exists()


@pytest.mark.django_db
def test_attendance_is_refused_when_the_event_has_not_started(officer):
    with pytest.raises(services.EventInvalid):
        services.event_attendance_record(actor=officer, event=EventFactory(), attended=set())


@pytest.mark.django_db
def test_slides_and_notes_are_published_together_after_the_event(officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    event = EventFactory(
        starts_at=timezone.now() - timedelta(hours=4), registration_deadline=timezone.now()
    )

    services.event_materials_publish(
        actor=officer,
        event=event,
        notes="Crews explained the rounds.",
        notes_cy="Esboniodd y criwiau'r rowndiau.",
        slides=SimpleUploadedFile("slides.pdf", PDF, content_type="application/pdf"),
    )

    event.refresh_from_db()
    assert selectors.materials_are_published(event)
    assert event.slides.name.endswith(".pdf") and event.notes_cy
    assert AuditEntry.objects.filter(action="market.event_materials_publish").exists()


@pytest.mark.django_db
def test_slides_are_refused_when_they_are_not_a_pdf(officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    event = EventFactory(
        starts_at=timezone.now() - timedelta(hours=4), registration_deadline=timezone.now()
    )
    fake = SimpleUploadedFile("slides.pdf", b"<script>alert(1)</script>")

    with pytest.raises(services.EventInvalid, match="must be a PDF"):
        services.event_materials_publish(actor=officer, event=event, notes="N", slides=fake)

    event.refresh_from_db()
    assert not selectors.materials_are_published(event)


@pytest.mark.django_db
def test_slides_are_refused_when_the_event_has_not_ended(officer):
    with pytest.raises(services.EventInvalid, match="once the event has ended"):
        services.event_materials_publish(
            actor=officer,
            event=EventFactory(),
            notes="N",
            slides=SimpleUploadedFile("slides.pdf", PDF),
        )


# The pages ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_landing_page_and_the_challenge_page_lead_to_the_event(client, challenge):
    event = EventFactory(challenge=challenge)
    url = reverse("market:event_detail", args=[event.public_id])

    assert reverse("market:event_list") in client.get(reverse("market:challenge_list")).text
    assert url in client.get(reverse("market:challenge_detail", args=[challenge.slug])).text
    assert url in client.get(reverse("market:event_list")).text


@pytest.mark.django_db
def test_an_event_page_is_in_welsh_when_asked_for_in_welsh(client):
    event = EventFactory(title="Supplier day", title_cy="Diwrnod cyflenwyr")

    page = client.get(f"/cy{reverse('market:event_detail', args=[event.public_id])}")

    assert "Diwrnod cyflenwyr" in page.text
    assert "Lleoedd ar ôl" in page.text
    assert "Diwrnodau cyflenwyr a gweminarau" in client.get("/cy/market/events/").text


@pytest.mark.django_db
def test_a_draft_event_is_not_found_by_the_public(client):
    event = EventFactory(published_at=None)

    assert client.get(reverse("market:event_detail", args=[event.public_id])).status_code == 404


@pytest.mark.django_db
def test_a_supplier_registers_through_the_pages_and_sees_their_place(client, supplier):
    event = EventFactory()
    client.force_login(supplier.account)

    sent = client.post(
        reverse("market:event_register", args=[event.public_id]),
        {"attendees": "Ana Jones\nBo Li"},
        follow=True,
    )

    assert "Your places are confirmed" in sent.text
    assert "Ana Jones, Bo Li" in sent.text
    assert event.registrations.get().status == EventRegistration.Status.CONFIRMED


@pytest.mark.django_db
def test_the_event_page_says_when_the_event_is_full(client, supplier):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)

    page = client.get(reverse("market:event_detail", args=[event.public_id]))

    assert "the event is full" in page.text
    assert "Join the waiting list" in page.text


@pytest.mark.django_db
def test_the_online_link_is_shown_only_to_organisations_with_a_confirmed_place(client, supplier):
    event = EventFactory(online_url="https://meet.example.org/secret-room")
    url = reverse("market:event_detail", args=[event.public_id])

    assert "secret-room" not in client.get(url).text
    RegistrationFactory(event=event, supplier=supplier)
    client.force_login(supplier.account)
    assert "secret-room" in client.get(url).text


@pytest.mark.django_db
def test_slides_are_not_served_before_they_are_published(client):
    event = EventFactory(slides="market/events/slides.pdf")

    response = client.get(reverse("market:event_slides", args=[event.public_id]))

    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("holder", "status"), [("supplier", 403), ("resident", 403), ("officer", 200)]
)
def test_permission_matrix_of_the_event_manage_pages(client, request, holder, status):
    person = request.getfixturevalue(holder)
    client.force_login(getattr(person, "account", person))

    assert client.get(reverse("market:manage_events")).status_code == status
    assert client.get(reverse("market:manage_event_create")).status_code == status


@pytest.mark.django_db
def test_an_officer_arranges_publishes_and_publishes_slides_through_the_pages(
    client, officer, challenge, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(officer)
    assert reverse("market:manage_events") in client.get(reverse("core:workspace")).text
    day = timezone.localdate() + timedelta(days=20)
    deadline = day - timedelta(days=2)
    form = {
        "kind": "supplier_day",
        "challenge": challenge.pk,
        "title": "Missed bins supplier day",
        "description": "Meet the crews.",
        "venue": "Town Hall",
        "day_day": day.day, "day_month": day.month, "day_year": day.year,
        "start_time": "10:00",
        "end_time": "12:30",
        "deadline_day_day": deadline.day, "deadline_day_month": deadline.month,
        "deadline_day_year": deadline.year,
        "deadline_time": "17:00",
        "capacity": 40,
        "attendees_per_supplier": 2,
    }  # fmt: skip

    saved = client.post(reverse("market:manage_event_create"), form)
    event = EngagementEvent.objects.get()
    assert saved.status_code == 302
    assert timezone.localtime(event.starts_at).hour == 10
    client.post(reverse("market:manage_event_publish", args=[event.public_id]))
    event.refresh_from_db()
    assert event.published_at is not None

    EngagementEvent.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(hours=3),
        ends_at=timezone.now() - timedelta(hours=1),
        registration_deadline=timezone.now() - timedelta(days=1),
    )
    client.post(
        reverse("market:manage_event_materials", args=[event.public_id]),
        {"notes": "What we heard.", "slides": SimpleUploadedFile("deck.pdf", PDF)},
    )
    slides = client.get(reverse("market:event_slides", args=[event.public_id]))
    assert slides.status_code == 200 and slides["Content-Type"] == "application/pdf"


# Open contracting data ------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_event_is_an_engagement_milestone_of_its_challenges_planning_release(
    client, ocds_schemas, challenge, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    coming = EventFactory(challenge=challenge, title="Webinar")
    held = EventFactory(
        challenge=challenge,
        starts_at=timezone.now() - timedelta(days=2),
        registration_deadline=timezone.now() - timedelta(days=3),
        materials_published_at=timezone.now(),
        slides=SimpleUploadedFile("slides.pdf", PDF),
        notes="Notes.",
    )
    EventFactory(challenge=challenge, published_at=None, title="Draft")
    ocid = f"ocds-xxxxxx-northbridge-{challenge.public_id}"

    body = client.get(f"/ocds/releases/{ocid}").json()

    assert _errors(ocds_schemas["releases"], body) == []
    milestones = body["releases"][0]["planning"]["milestones"]
    assert [(m["id"], m["type"], m["status"]) for m in milestones] == [
        (str(held.public_id), "engagement", "met"),
        (str(coming.public_id), "engagement", "scheduled"),
    ]
    slides_url = milestones[0]["documents"][0]["url"]
    assert slides_url.endswith(reverse("market:event_slides", args=[held.public_id]))
