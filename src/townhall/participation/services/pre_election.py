"""Pre-election periods: the days before an election in which opening a consultation
asks its lead to confirm they have checked with the elections team.

The rules a consultation lead can count on (docs/modules/participation.md says the same):

- a period has a name (one line, no control characters) and ends on or after it starts;
- periods never share a day: a new or moved period that overlaps another is refused,
  naming the other, whose dates can be changed to cover both;
- a period that has started cannot be moved to start after today, and one still running
  cannot be made to end before today: the hold on today cannot be lifted by editing
  dates. A period that has ended keeps its dates as a record; only its name changes;
- a change or a deletion that would let approved consultations open without the
  pre-election warning names them, and is made only once the lead confirms those very
  consultations (`released_confirmed`, their ids); the confirmation is written to the
  audit log with the consultations it released.

Saves and deletes reach the audit log through its signals, like every staff save.
"""

from collections.abc import Collection
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from townhall.core import audit
from townhall.core.permissions import require
from townhall.core.text import single_line_text

from .. import selectors
from ..models import Consultation, PreElectionPeriod
from .consultations import ParticipationError

ACTION = "participation.manage_consultation"
NAME_MAX = PreElectionPeriod._meta.get_field("name").max_length


class PreElectionPeriodInvalid(ParticipationError):
    """The period's fields break a rule. `field` names the form field to blame, if any."""

    code = "pre_election_period_invalid"

    def __init__(self, message: Any, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class PreElectionPeriodGone(ParticipationError):
    code = "pre_election_period_gone"


class PreElectionPeriodRelease(ParticipationError):
    """The change would let `consultations` open without the pre-election warning."""

    code = "pre_election_period_release"

    def __init__(self, consultations: list[Consultation]) -> None:
        super().__init__(
            _(
                "After this change, these approved consultations could open without the "
                "pre-election warning: %(titles)s. Confirm that this is what you mean."
            )
            % {"titles": ", ".join(str(c) for c in consultations)}
        )
        self.consultations = consultations


def _day(day: date) -> str:
    return date_format(day, "j F Y")


def _clean(name: str, starts_on: date, ends_on: date, exclude_pk: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise PreElectionPeriodInvalid(_("Enter the period's name"), field="name")
    if len(name) > NAME_MAX:
        raise PreElectionPeriodInvalid(
            _("The name must be %(max)s characters or fewer") % {"max": NAME_MAX}, field="name"
        )
    try:
        single_line_text(name)
    except ValidationError as error:
        raise PreElectionPeriodInvalid(error.messages[0], field="name") from None
    if ends_on < starts_on:
        raise PreElectionPeriodInvalid(
            _("The end date must be on or after the start date"), field="ends_on"
        )
    clashing = selectors.pre_election_periods_clashing(
        starts_on=starts_on, ends_on=ends_on, exclude_pk=exclude_pk
    )
    if clashing:
        other = clashing[0]
        raise PreElectionPeriodInvalid(
            _(
                "These dates overlap “%(name)s” (%(start)s to %(end)s). Periods cannot "
                "share a day: change the dates, or change “%(name)s” to cover both."
            )
            % {"name": other.name, "start": _day(other.starts_on), "end": _day(other.ends_on)},
            field="starts_on",
        )
    return name


def _check_started(period: PreElectionPeriod, starts_on: date, ends_on: date) -> None:
    """A started period's hold on today cannot be lifted, and a past one's dates stay."""
    today = timezone.localdate()
    if period.starts_on > today:
        return
    if period.ends_on < today:
        if (starts_on, ends_on) != (period.starts_on, period.ends_on):
            raise PreElectionPeriodInvalid(
                _(
                    "This period ended on %(end)s: its dates are kept as a record. Add a "
                    "new period instead."
                )
                % {"end": _day(period.ends_on)},
                field="starts_on",
            )
        return
    if starts_on > today:
        raise PreElectionPeriodInvalid(
            _(
                "This period started on %(start)s, so it cannot be moved to start after "
                "today. To end it early, change its end date."
            )
            % {"start": _day(period.starts_on)},
            field="starts_on",
        )
    if ends_on < today:
        raise PreElectionPeriodInvalid(
            _(
                "This period is running, so it cannot end before today. To end it now, "
                "enter today's date."
            ),
            field="ends_on",
        )


def _locked(period: PreElectionPeriod) -> PreElectionPeriod:
    # Lock every period (there are a handful) so that two leads' changes cannot
    # both pass the overlap check; then the one being changed, if it is still there.
    list(PreElectionPeriod.objects.select_for_update().order_by("pk"))
    current = PreElectionPeriod.objects.filter(pk=period.pk).first()
    if current is None:
        raise PreElectionPeriodGone(_("Someone else has deleted this pre-election period."))
    return current


def _record_release(actor: Any, period: PreElectionPeriod, released: list[Consultation]) -> None:
    audit.record(
        actor=actor,
        operation="action",
        action="participation.pre_election_period_release",
        instance=period,
        after={"released_consultations": [c.slug for c in released]},
    )


def pre_election_period_create(
    *, actor: Any, name: str, starts_on: date, ends_on: date
) -> PreElectionPeriod:
    """Add a period. Raises PreElectionPeriodInvalid (with `field`) when a rule is broken."""
    require(actor, ACTION)
    with transaction.atomic():
        list(PreElectionPeriod.objects.select_for_update().order_by("pk"))
        name = _clean(name, starts_on, ends_on)
        return PreElectionPeriod.objects.create(name=name, starts_on=starts_on, ends_on=ends_on)


def pre_election_period_update(
    *,
    actor: Any,
    period: PreElectionPeriod,
    name: str,
    starts_on: date,
    ends_on: date,
    released_confirmed: Collection[int] = (),
) -> PreElectionPeriod:
    """Rename or move a period. Raises PreElectionPeriodInvalid when a rule is broken,
    PreElectionPeriodGone when someone deleted it meanwhile and PreElectionPeriodRelease
    when approved consultations would lose their warning and are not all among
    `released_confirmed` (the ids of those the lead was shown and confirmed)."""
    require(actor, ACTION)
    with transaction.atomic():
        period = _locked(period)
        _check_started(period, starts_on, ends_on)
        name = _clean(name, starts_on, ends_on, exclude_pk=period.pk)
        released = selectors.consultations_released(
            period=period, starts_on=starts_on, ends_on=ends_on
        )
        if {c.pk for c in released} - set(released_confirmed):
            raise PreElectionPeriodRelease(released)
        period.name, period.starts_on, period.ends_on = name, starts_on, ends_on
        period.save()
        if released:
            _record_release(actor, period, released)
        return period


def pre_election_period_delete(
    *, actor: Any, period: PreElectionPeriod, released_confirmed: Collection[int] = ()
) -> None:
    """Delete a period that has not started or has ended; one running now can instead be
    ended today. Raises as `pre_election_period_update` does."""
    require(actor, ACTION)
    with transaction.atomic():
        period = _locked(period)
        today = timezone.localdate()
        if period.starts_on <= today <= period.ends_on:
            raise PreElectionPeriodInvalid(
                _(
                    "This period is running, so it cannot be deleted. To end it now, change "
                    "its end date to today."
                )
            )
        released = selectors.consultations_released(period=period)
        if {c.pk for c in released} - set(released_confirmed):
            raise PreElectionPeriodRelease(released)
        if released:
            _record_release(actor, period, released)
        period.delete()
