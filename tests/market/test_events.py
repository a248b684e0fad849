"""Supplier days and webinars: arranging them, one registration per organisation within
the places and the deadline, the waiting list, cancelling, attendance, and slides and
notes published after the event."""

import threading
import time
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from tests.core.factories import UserFactory
from tests.market.factories import EventFactory, RegistrationFactory, SupplierFactory
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
