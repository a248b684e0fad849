"""Market engagement events (#12 item 4): supplier days and webinars.

The rules: only those allowed `market.manage_events` arrange an event, record who attended
and publish its slides and notes; an event ends after it starts and registration closes
by the time it starts; it has a place, an online link or both. A supplier registers its
organisation once per event, naming up to the event's number of attendees, before
registration closes; `capacity` counts people, and a registration that does not fit
joins the waiting list. Registering and cancelling lock the event's row, so two suppliers
registering at the same moment cannot both take the last places; a cancellation gives
the freed places to the waiting list in the order people joined it. Slides (a PDF) and
notes are published together after the event ends, to everyone at once.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from townhall.core import audit
from townhall.core.formats import govuk_datetime
from townhall.core.permissions import require
from townhall.core.tasks import retrying_task
from townhall.core.text import single_line_text

from ..manifest import MANAGE_EVENTS
from ..models import Challenge, EngagementEvent, EventRegistration
from ._common import (
    DeadlinePassed,
    MarketError,
    _refuse_unless_pdf,
    _set_translated,
    _supplier_of,
    _validated,
)

EVENT_TEXT = ("title", "description", "venue")
MOST_ATTENDEES_PER_SUPPLIER = 10


class EventInvalid(MarketError):
    code = "event_invalid"


class RegistrationInvalid(MarketError):
    code = "registration_invalid"


def _fill_event(event: EngagementEvent, values: dict[str, Any]) -> None:
    _set_translated(event, EVENT_TEXT, values)
    for name in (
        "challenge",
        "kind",
        "online_url",
        "starts_at",
        "ends_at",
        "registration_deadline",
        "capacity",
        "attendees_per_supplier",
    ):
        if name in values:
            setattr(event, name, values[name])
    if event.challenge is not None and event.challenge.status == Challenge.Status.DRAFT:
        raise EventInvalid(_("Choose a published challenge, or none"), field="challenge")
    if event.starts_at and event.ends_at and event.ends_at <= event.starts_at:
        raise EventInvalid(_("The event must end after it starts"), field="ends_at")
    if (
        event.starts_at
        and event.registration_deadline
        and event.registration_deadline > event.starts_at
    ):
        raise EventInvalid(
            _("Registration must close on or before the start of the event"),
            field="registration_deadline",
        )
    if not (event.venue_en_gb or event.online_url):
        raise EventInvalid(_("Give the place, a link to join online, or both"), field="venue")
    if event.capacity is not None and event.capacity < 1:
        raise EventInvalid(_("An event needs at least 1 place"), field="capacity")
    if not 1 <= (event.attendees_per_supplier or 0) <= MOST_ATTENDEES_PER_SUPPLIER:
        raise EventInvalid(
            _("Allow between 1 and %(most)d attendees per organisation")
            % {"most": MOST_ATTENDEES_PER_SUPPLIER},
            field="attendees_per_supplier",
        )
    _validated(event, EventInvalid, exclude=("slides",))


@transaction.atomic
def event_create(*, actor: Any, **values: Any) -> EngagementEvent:
    """A draft event; `values` holds its text in both languages (title, description,
    venue), the challenge or None, the kind, the online link, the three moments (aware
    datetimes), the places and the most attendees per organisation."""
    require(actor, MANAGE_EVENTS)
    event = EngagementEvent()
    _fill_event(event, values)
    event.save()
    return event


@transaction.atomic
def event_edit(*, actor: Any, event: EngagementEvent, **values: Any) -> EngagementEvent:
    """Change an event. Once published, its places never drop below those confirmed."""
    require(actor, MANAGE_EVENTS)
    event = EngagementEvent.objects.select_for_update().get(pk=event.pk)
    _fill_event(event, values)
    if event.published_at and event.capacity < places_confirmed(event):
        raise EventInvalid(
            _("%(count)d places are already confirmed: the event needs at least that many")
            % {"count": places_confirmed(event)},
            field="capacity",
        )
    event.save()
    return event


@transaction.atomic
def event_publish(*, actor: Any, event: EngagementEvent) -> EngagementEvent:
    """Open a draft event's registration; it must still be ahead."""
    require(actor, MANAGE_EVENTS)
    if event.published_at is not None:
        raise EventInvalid(_("This event is already published"))
    if event.registration_deadline <= timezone.now():
        raise EventInvalid(
            _("Move the registration deadline into the future before publishing"),
            field="registration_deadline",
        )
    if event.challenge is not None and event.challenge.status == Challenge.Status.DRAFT:
        raise EventInvalid(_("Publish the challenge first"), field="challenge")
    before = audit.snapshot(event)
    event.published_at = timezone.now()
    event.save()
    audit.record(
        actor=actor,
        operation="action",
        action="market.event_publish",
        instance=event,
        before=before,
        after=audit.snapshot(event),
    )
    return event


def places_confirmed(event: EngagementEvent) -> int:
    """The places the event's confirmed registrations take (one per attendee named)."""
    return sum(
        len(names)
        for names in event.registrations.filter(
            status=EventRegistration.Status.CONFIRMED
        ).values_list("attendee_names", flat=True)
    )


def _clean_names(names: list[str], most: int) -> list[str]:
    cleaned = [" ".join((name or "").split()) for name in names]
    cleaned = [name for name in cleaned if name]
    if not cleaned:
        raise RegistrationInvalid(_("Give the name of at least 1 attendee"), field="attendees")
    if len(cleaned) > most:
        raise RegistrationInvalid(
            _("Name at most %(most)d attendees from your organisation") % {"most": most},
            field="attendees",
        )
    for name in cleaned:
        if len(name) > 200:
            raise RegistrationInvalid(
                _("An attendee's name must be 200 characters or fewer"), field="attendees"
            )
        try:
            single_line_text(name)
        except ValidationError as problem:
            raise RegistrationInvalid(problem.messages[0], field="attendees") from None
    return cleaned


@transaction.atomic
def event_register(
    *, actor: Any, event: EngagementEvent, attendee_names: list[str]
) -> EventRegistration:
    """Register the actor's organisation: a confirmed place when the attendees fit, else
    the waiting list. Refuses a second registration, and any after registration closes."""
    supplier = _supplier_of(actor)
    event = EngagementEvent.objects.select_for_update().get(pk=event.pk)
    if event.published_at is None:
        raise RegistrationInvalid(_("This event is not open for registration"))
    if timezone.now() > event.registration_deadline:
        raise DeadlinePassed(
            _("Registration for this event closed at %(when)s.")
            % {"when": govuk_datetime(event.registration_deadline)}
        )
    names = _clean_names(attendee_names, event.attendees_per_supplier)
    registration = EventRegistration.objects.filter(event=event, supplier=supplier).first()
    if registration is not None and registration.status != EventRegistration.Status.CANCELLED:
        raise RegistrationInvalid(
            _("Your organisation is already registered for this event. Cancel that "
              "registration first to change who is coming."),
            field="attendees",
        )  # fmt: skip
    registration = registration or EventRegistration(event=event, supplier=supplier)
    registration.attendee_names = names
    registration.registered_at = timezone.now()
    waiting = event.registrations.filter(status=EventRegistration.Status.WAITING).exists()
    fits = places_confirmed(event) + len(names) <= event.capacity
    registration.status = (
        EventRegistration.Status.CONFIRMED
        if fits and not waiting
        else EventRegistration.Status.WAITING
    )
    registration.save()
    return registration


@transaction.atomic
def event_registration_cancel(*, actor: Any, registration: EventRegistration) -> EventRegistration:
    """The supplier cancels its own registration before the event starts; the places it
    frees go to the waiting list, first come first served."""
    supplier = _supplier_of(actor)
    event = EngagementEvent.objects.select_for_update().get(pk=registration.event_id)
    registration = EventRegistration.objects.get(pk=registration.pk)
    if registration.supplier_id != supplier.pk:
        raise RegistrationInvalid(_("That registration is not your organisation's"))
    if registration.status == EventRegistration.Status.CANCELLED:
        raise RegistrationInvalid(_("This registration is already cancelled"))
    if timezone.now() >= event.starts_at:
        raise DeadlinePassed(_("The event has started: registrations can no longer change."))
    registration.status = EventRegistration.Status.CANCELLED
    registration.save()
    _promote_waiting(event)
    return registration


def _promote_waiting(event: EngagementEvent) -> None:
    """Confirm waiting registrations in the order they joined while each fits, and tell
    each organisation (the email is queued with the change, so it goes only if it holds)."""
    free = event.capacity - places_confirmed(event)
    for waiting in event.registrations.filter(status=EventRegistration.Status.WAITING):
        if len(waiting.attendee_names) > free:
            break
        waiting.status = EventRegistration.Status.CONFIRMED
        waiting.save()
        free -= len(waiting.attendee_names)
        place_confirmed_send.enqueue(registration_id=waiting.pk)


@retrying_task
def place_confirmed_send(*, registration_id: int) -> None:
    """Email the supplier's account, in its language, that its place is now confirmed.
    Sends nothing if the registration was cancelled again before the worker got to it."""
    registration = (
        EventRegistration.objects.select_related("event", "supplier__account")
        .filter(pk=registration_id, status=EventRegistration.Status.CONFIRMED)
        .first()
    )
    account = registration.supplier.account if registration else None
    if account is None or not account.email:
        return
    event = registration.event
    with translation.override(account.preferred_language):
        link = settings.TOWNHALL_SITE_URL.rstrip("/") + reverse(
            "market:event_detail", args=[event.public_id]
        )
        subject = _("A place has come up: %(event)s") % {"event": event.title}
        text = _(
            "A place has come up at %(event)s (%(when)s), and your organisation's "
            "registration is now confirmed for: %(names)s.\n\nIf you can no longer come, "
            "please cancel so that the place goes to someone else:\n%(link)s"
        ) % {
            "event": event.title,
            "when": govuk_datetime(event.starts_at),
            "names": ", ".join(registration.attendee_names),
            "link": link,
        }
    EmailMessage(subject, text, None, [account.email]).send()


@transaction.atomic
def event_attendance_record(
    *, actor: Any, event: EngagementEvent, attended: set[int]
) -> EngagementEvent:
    """Record which confirmed registrations (by id) came, once the event has started;
    the rest did not."""
    require(actor, MANAGE_EVENTS)
    if timezone.now() < event.starts_at:
        raise EventInvalid(_("Attendance can be recorded once the event has started"))
    for registration in event.registrations.filter(status=EventRegistration.Status.CONFIRMED):
        registration.attended = registration.pk in attended
        registration.save()
    audit.record(
        actor=actor,
        operation="action",
        action="market.event_attendance",
        instance=event,
        after={"attended": sorted(attended)},
    )
    return event


def _check_slides(upload: UploadedFile) -> None:
    _refuse_unless_pdf(
        upload,
        error=EventInvalid,
        field="slides",
        too_large=_("The slides must be smaller than %(size)s MB"),
        not_pdf=_("The slides must be a PDF"),
    )


@transaction.atomic
def event_materials_publish(
    *,
    actor: Any,
    event: EngagementEvent,
    notes: str,
    notes_cy: str = "",
    slides: UploadedFile | None = None,
) -> EngagementEvent:
    """Publish the slides (a PDF) and notes after the event has ended, to everyone at the
    same moment; published materials may be corrected, never withdrawn."""
    require(actor, MANAGE_EVENTS)
    if timezone.now() < event.ends_at:
        raise EventInvalid(_("Slides and notes are published once the event has ended"))
    if not (notes or "").strip():
        raise EventInvalid(_("Write the notes of the event"), field="notes")
    if slides is None and not event.slides:
        raise EventInvalid(_("Choose the slides to publish, as a PDF"), field="slides")
    if slides is not None:
        _check_slides(slides)
    before = audit.snapshot(event)
    _set_translated(event, ("notes",), {"notes": notes, "notes_cy": notes_cy})
    _validated(event, EventInvalid, exclude=("slides",))
    if slides is not None:
        event.slides.save(slides.name, slides, save=False)
    event.materials_published_at = event.materials_published_at or timezone.now()
    event.save()
    audit.record(
        actor=actor,
        operation="action",
        action="market.event_materials_publish",
        instance=event,
        before=before,
        after=audit.snapshot(event),
    )
    return event
