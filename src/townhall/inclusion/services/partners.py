"""Partners keep their own entries: they propose changes, which wait for a directory
officer's review, and confirm that details are still correct (ADR 0101). An officer
links accounts to organisations, approves or rejects each change, and the worker
reminds partners of entries not confirmed for INCLUSION_STALE_AFTER_MONTHS.

Every write checks permission, runs in a transaction and reaches the audit log; every
email goes through Django's mail (core's backends) after the transaction commits.
"""

import re
from datetime import date, time
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from townhall.core import audit
from townhall.core.permissions import can, require
from townhall.core.services.accounts import account_grant_roles
from townhall.core.services.search import search_index_update
from townhall.core.tasks import enqueue_on_commit, retrying_task

from ..manifest import DIRECTORY_PARTNER, MANAGE_DIRECTORY, UPDATE_OWN_ENTRIES
from ..models import (
    ChangeRequest,
    CostOption,
    Organization,
    Partnership,
    Phone,
    Schedule,
    Service,
    StaleReminder,
)
from ..selectors import SEARCH_KIND
from ..selectors import partners as selectors
from . import DirectoryInvalid, _audited_as, _tidy

#: "09:00-17:00", "9:30 to 12:00", "09.00 – 13.00"; sessions joined by "," ";" or "and".
_SESSION = re.compile(
    r"^\s*(\d{1,2})[:.](\d{2})\s*(?:-|–|—|to|i)\s*(\d{1,2})[:.](\d{2})\s*$", re.IGNORECASE
)
_SESSIONS_SPLIT = re.compile(r"\s*(?:,|;|\band\b|\ba\b)\s*", re.IGNORECASE)
_CLOSED_WORDS = {"", "closed", "ar gau", "-"}


class ChangeOutOfDate(DirectoryInvalid):
    """The entry changed after the partner proposed the change: approving it would
    overwrite what changed, so the officer must ask the partner to propose it again."""


def parse_hours(text: str, field: str = "") -> list[tuple[time, time]]:
    """One day's opening hours as typed ("09:00-12:00, 13:00-17:00"; blank or "closed"
    for none), as sorted (opens, closes) pairs. Raises DirectoryInvalid naming `field`
    for a session it cannot read, a time that does not exist, a closing time not after
    its opening time, or sessions that overlap."""
    text = _tidy(text)
    if text.lower() in _CLOSED_WORDS:
        return []
    sessions = []
    for part in _SESSIONS_SPLIT.split(text):
        match = _SESSION.match(part)
        if not match:
            raise DirectoryInvalid(
                gettext_lazy("Enter opening hours like 09:00-17:00, or leave blank if closed"),
                field,
            )
        hours_open, minutes_open, hours_close, minutes_close = map(int, match.groups())
        try:
            opens, closes = time(hours_open, minutes_open), time(hours_close, minutes_close)
        except ValueError:
            raise DirectoryInvalid(
                gettext_lazy("Enter real times, from 00:00 to 23:59"), field
            ) from None
        if closes <= opens:
            raise DirectoryInvalid(
                gettext_lazy("The closing time must be after the opening time"), field
            )
        sessions.append((opens, closes))
    sessions.sort()
    for (_opens, closes), (next_opens, _closes) in pairwise(sessions):
        if next_opens < closes:
            raise DirectoryInvalid(gettext_lazy("The opening hours overlap"), field)
    return sessions


def _amount(text: str) -> str:
    text = _tidy(text).lstrip("£")
    if not text:
        return ""
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise DirectoryInvalid(
            gettext_lazy("Enter the amount in pounds, like 2.50"), "amount"
        ) from None
    if value < 0 or value >= Decimal("1000000") or value != value.quantize(Decimal("0.01")):
        raise DirectoryInvalid(gettext_lazy("Enter the amount in pounds, like 2.50"), "amount")
    return f"{value:.2f}"


def _closure(closure: dict[str, Any], field: str) -> dict[str, str]:
    start, end = closure.get("from"), closure.get("to")
    if not isinstance(start, date) or not isinstance(end, date):
        raise DirectoryInvalid(gettext_lazy("Enter the first and last day closed"), field)
    if end < start:
        raise DirectoryInvalid(
            gettext_lazy("The last day must be the same as or after the first"), field
        )
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "reason": _tidy(closure.get("reason", ""))[:300],
    }


def proposal_from(
    service: Service,
    *,
    description: str,
    description_cy: str = "",
    eligibility: str = "",
    cost: str = "",
    amount: str = "",
    phone: str = "",
    email: str = "",
    url: str = "",
    hours: dict[str, dict[str, str]] | None = None,
    closures_kept: dict[str, list[int]] | None = None,
    closures_added: dict[str, dict[str, Any]] | None = None,
    closures_shown: dict[str, list[dict]] | None = None,
) -> dict[str, Any]:
    """The service's details with what the partner typed, checked, in the shape of
    `entry_details`: `hours` is {place id: {"MO": "09:00-17:00", ...}}; of each place's
    closures (or of `closures_shown`, those the form offered: a pending proposal's), those
    whose positions are in `closures_kept` stay, and `closures_added` adds one ({place id: {"from": date, "to": date, "reason": str}}). Raises
    DirectoryInvalid (with the form field to blame, "<place id>-<day>" for hours)."""
    current = selectors.entry_details(service)
    proposed = {
        **current,
        "description": _required_text(description),
        "description_cy": (description_cy or "").strip(),
        "eligibility": (eligibility or "").strip(),
        "cost": _tidy(cost)[:200],
        "amount": _amount(amount),
        "phone": _tidy(phone)[:30],
        "email": (email or "").strip(),
        "url": (url or "").strip(),
        "places": [],
    }
    for place in current["places"]:
        typed = (hours or {}).get(place["id"], place["hours"])
        week = {
            day: selectors.hours_text(parse_hours(typed.get(day, ""), f"{place['id']}-{day}"))
            for day in selectors.DAYS
        }
        kept = (closures_kept or {}).get(place["id"])
        shown = (closures_shown or {}).get(place["id"], place["closures"])
        closures = [
            closure for position, closure in enumerate(shown) if kept is None or position in kept
        ]
        added = (closures_added or {}).get(place["id"])
        if added:
            closures.append(_closure(added, f"{place['id']}-closure"))
        closures.sort(key=lambda closure: closure["from"])
        proposed["places"].append({**place, "hours": week, "closures": closures})
    return proposed


def _required_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DirectoryInvalid(gettext_lazy("Say what help the service gives"), "description")
    return text


def change_propose(*, actor, service: Service, **typed: Any) -> ChangeRequest:
    """Propose changes to a service the partner keeps; nothing goes live until an officer
    approves. A partner's new proposal replaces its pending one. Raises PermissionDenied
    for an entry of another organisation, DirectoryInvalid for what cannot be read, and
    DirectoryInvalid (field None) when nothing would change."""
    require(actor, UPDATE_OWN_ENTRIES, service)
    service = selectors.with_details(Service.objects.filter(pk=service.pk)).get()
    current = selectors.entry_details(service)
    proposed = proposal_from(service, **typed)
    if not selectors.differences(current, proposed):
        raise DirectoryInvalid(gettext_lazy("You have not changed anything"))
    try:
        with transaction.atomic(), _audited_as(actor):
            Service.objects.select_for_update().filter(pk=service.pk).first()
            change = selectors.pending_change(service) or ChangeRequest(service=service)
            change.proposed, change.based_on = proposed, current
            change.proposed_by, change.proposed_at = actor, timezone.now()
            change.save()
    except IntegrityError:  # Another proposal for the service was saved at the same moment.
        raise DirectoryInvalid(
            gettext_lazy("Someone else proposed changes to this entry just now. Try again.")
        ) from None
    return change


def service_confirm(*, actor, service: Service) -> Service:
    """Say the service's details are still correct today: this changes no content, so it
    goes live without review (ADR 0101). Open to its partners and to directory officers."""
    if not can(actor, MANAGE_DIRECTORY):
        require(actor, UPDATE_OWN_ENTRIES, service)
    today, was = timezone.localdate(), service.last_confirmed
    with transaction.atomic():
        Service.objects.filter(pk=service.pk).update(
            last_confirmed=today, last_modified=timezone.now()
        )
        audit.record(
            actor=actor,
            operation="update",
            action="inclusion.service_confirm",
            instance=service,
            before={"last_confirmed": was.isoformat() if was else None},
            after={"last_confirmed": today.isoformat()},
        )
    service.last_confirmed = today
    return service


def change_approve(*, actor, change: ChangeRequest) -> ChangeRequest:
    """Apply a pending change to its service, all of it or none, and confirm the service
    today. Raises ChangeOutOfDate, changing nothing, when the entry changed after the
    change was proposed (another change approved, an officer's edit), and DirectoryInvalid
    when the change was decided meanwhile."""
    require(actor, MANAGE_DIRECTORY)
    with transaction.atomic(), _audited_as(actor):
        change = _lock_pending(change)
        service = selectors.with_details(
            Service.objects.select_for_update(of=("self",)).filter(pk=change.service_id)
        ).get()
        if selectors.entry_details(service) != change.based_on:  # changed meanwhile
            raise ChangeOutOfDate(
                gettext_lazy(
                    "The entry has changed since this was proposed, so approving it would "
                    "undo those changes. Reject it and ask the partner to propose it again."
                )
            )
        _apply(service, change.proposed, was=change.based_on)
        service.last_confirmed = timezone.localdate()
        service.save()
        search_index_update(SEARCH_KIND, service)
        _decide(actor, change, ChangeRequest.State.APPROVED, reason="")
    return change


def change_reject(*, actor, change: ChangeRequest, reason: str) -> ChangeRequest:
    """Refuse a pending change, with a reason the partner reads; the entry stays as it is."""
    require(actor, MANAGE_DIRECTORY)
    reason = (reason or "").strip()
    if not reason:
        raise DirectoryInvalid(gettext_lazy("Say why the change is rejected"), "reason")
    with transaction.atomic(), _audited_as(actor):
        change = _lock_pending(change)
        _decide(actor, change, ChangeRequest.State.REJECTED, reason=reason)
    return change


def _lock_pending(change: ChangeRequest) -> ChangeRequest:
    locked = ChangeRequest.objects.select_for_update().filter(pk=change.pk).first()
    if locked is None or locked.state != ChangeRequest.State.PENDING:
        raise DirectoryInvalid(gettext_lazy("This change has already been decided"))
    return locked


def _decide(actor, change: ChangeRequest, state: str, *, reason: str) -> None:
    change.state, change.reason = state, reason
    change.decided_by, change.decided_at = actor, timezone.now()
    change.save()
    audit.record(
        actor=actor,
        operation=state,
        instance=change.service,
        action="inclusion.change_" + ("approve" if state == "approved" else "reject"),
        before=change.based_on,
        after=change.proposed if state == ChangeRequest.State.APPROVED else {"reason": reason},
    )
    enqueue_on_commit(change_decision_send, change_id=change.pk)


def _apply(service: Service, details: dict[str, Any], *, was: dict[str, Any]) -> None:
    service.description_en_gb = details["description"]
    service.description_cy = details["description_cy"]
    service.eligibility_en_gb = details["eligibility"]
    service.email, service.url = details["email"], details["url"]
    service.phones.filter(contact=None).delete()
    if details["phone"]:
        Phone.objects.create(service=service, number=details["phone"])
    cost_option = next(iter(service.cost_options.all()), None)
    amount = Decimal(details["amount"]) if details["amount"] else None
    if cost_option and (details["cost"] or amount is not None):
        cost_option.option_en_gb = details["cost"] or cost_option.option_en_gb
        cost_option.amount = amount
        cost_option.save()
    elif cost_option:
        cost_option.delete()
    elif details["cost"] or amount is not None:
        CostOption.objects.create(
            service=service,
            option_en_gb=details["cost"] or (_("Free") if amount == 0 else _("Cost")),
            amount=amount,
        )
    places_were = {place["id"]: place for place in was["places"]}
    for place in service.at_locations.all():
        proposed = next((p for p in details["places"] if p["id"] == str(place.pk)), None)
        if proposed is None:
            continue
        if proposed["hours"] != places_were[str(place.pk)]["hours"]:
            _replace_hours(place, proposed["hours"])
        if proposed["closures"] != places_were[str(place.pk)]["closures"]:
            place.schedules.filter(kind=Schedule.Kind.CLOSED).delete()
            for closure in proposed["closures"]:
                Schedule.objects.create(
                    service_at_location=place,
                    kind=Schedule.Kind.CLOSED,
                    valid_from=date.fromisoformat(closure["from"]),
                    valid_to=date.fromisoformat(closure["to"]),
                    description_en_gb=closure["reason"],
                )


def _replace_hours(place, hours: dict[str, str]) -> None:
    """Weekly hours again from each day's text: one schedule for each session, on every
    day that has it (so Monday to Friday 09:00-17:00 is one schedule)."""
    place.schedules.filter(kind=Schedule.Kind.OPEN).delete()
    days_of: dict[tuple[time, time], list[str]] = {}
    for day in selectors.DAYS:
        for session in parse_hours(hours.get(day, "")):
            days_of.setdefault(session, []).append(day)
    for (opens, closes), days in sorted(days_of.items()):
        Schedule.objects.create(
            service_at_location=place,
            kind=Schedule.Kind.OPEN,
            byday=",".join(days),
            opens_at=opens,
            closes_at=closes,
        )


# Partner accounts -----------------------------------------------------------------------


def partner_add(*, actor, organization: Organization, email: str) -> Partnership:
    """Let the account with this email address keep the organisation's entries (giving it
    the partner role). Raises DirectoryInvalid when no account has that address: the
    partner creates one first, by signing up."""
    require(actor, MANAGE_DIRECTORY)
    user = get_user_model().objects.filter(email__iexact=(email or "").strip()).first()
    if user is None or not user.is_active:
        raise DirectoryInvalid(
            gettext_lazy(
                "No account has that email address. Ask the partner to create an account, "
                "then add them"
            ),
            "email",
        )
    with transaction.atomic(), _audited_as(actor):
        account_grant_roles(user=user, role_slugs=[DIRECTORY_PARTNER])
        partnership, _created = Partnership.objects.get_or_create(
            user=user, organization=organization
        )
    return partnership


def partner_remove(*, actor, partnership: Partnership) -> None:
    """Stop the account keeping the organisation's entries; its other organisations stay."""
    require(actor, MANAGE_DIRECTORY)
    with transaction.atomic(), _audited_as(actor):
        partnership.delete()


# Reminders ------------------------------------------------------------------------------


def stale_reminders_send(*, day: date | None = None) -> int:
    """Email the partners of each organisation whose published services are stale (not
    confirmed for INCLUSION_STALE_AFTER_MONTHS) once for each date each was last
    confirmed; returns how many organisations were reminded. The worker runs it every few
    minutes (the manifest's housekeeping).

    The reminders are recorded in the transaction that sends the email: a second run, or
    a second worker at the same moment, finds the records (or waits on the unique index,
    then fails to insert them) and sends nothing.
    """
    sent = 0
    for due in selectors.stale_reminders_due(day or timezone.localdate()):
        try:
            with transaction.atomic():
                StaleReminder.objects.bulk_create(
                    [
                        StaleReminder(service=service, period=selectors.reminder_period(service))
                        for service in due.services
                    ]
                )
                for address, language in due.emails:
                    _send_reminder(due, address, language)
        except IntegrityError:
            continue  # Reminded by another run meanwhile.
        sent += 1
    return sent


def _site_url(path: str) -> str:
    return settings.TOWNHALL_SITE_URL.rstrip("/") + path


def _send_reminder(due: selectors.ReminderDue, address: str, language: str) -> None:
    with translation.override(language or settings.LANGUAGE_CODE):
        lines = [
            _(
                "Please check that these entries in the directory of digital help are still "
                "correct. Each has not been confirmed for %(months)s months or more:"
            )
            % {"months": settings.INCLUSION_STALE_AFTER_MONTHS}
        ]
        for service in due.services:
            lines.append(
                f"- {service.name}: "
                + _site_url(reverse("inclusion:partner_service", args=[service.pk]))
            )
        lines.append(
            _(
                "On each entry's page you can confirm the details are still correct, or "
                "propose changes for us to check."
            )
        )
        subject = _("Are your directory entries still correct? %(organization)s") % {
            "organization": due.organization.name
        }
    EmailMessage(subject, "\n\n".join(lines), None, [address]).send()


@retrying_task
def change_decision_send(*, change_id: int) -> None:
    """Tell the organisation's partners an officer approved or rejected their change."""
    change = ChangeRequest.objects.select_related("service").filter(pk=change_id).first()
    if change is None or change.state == ChangeRequest.State.PENDING:
        return
    for address, language in selectors.partner_addresses(change.service.organization_id):
        with translation.override(language or settings.LANGUAGE_CODE):
            link = _site_url(reverse("inclusion:partner_service", args=[change.service_id]))
            proposed = date_format(timezone.localtime(change.proposed_at), "j F Y")
            if change.state == ChangeRequest.State.APPROVED:
                subject = _("Your changes to “%(service)s” are approved") % {
                    "service": change.service.name
                }
                text = _(
                    "The changes you proposed on %(day)s to “%(service)s” are approved and "
                    "residents can now see them.\n\n%(link)s"
                ) % {"day": proposed, "service": change.service.name, "link": link}
            else:
                subject = _("Your changes to “%(service)s” were not approved") % {
                    "service": change.service.name
                }
                text = _(
                    "The changes you proposed on %(day)s to “%(service)s” were not approved, "
                    "for this reason:\n\n%(reason)s\n\nYou can propose them again:\n%(link)s"
                ) % {
                    "day": proposed,
                    "service": change.service.name,
                    "reason": change.reason,
                    "link": link,
                }
        EmailMessage(subject, text, None, [address]).send()
