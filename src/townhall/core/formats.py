"""Dates and times as GOV.UK writes them, for pages and emails alike."""

from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext


def govuk_time(value: datetime | None) -> str:
    """A time as GOV.UK writes it: 9:30am, 5pm, midday, midnight (Welsh: 9:30yb, canol dydd)."""
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    if (local.hour, local.minute) == (12, 0):
        return gettext("midday")
    if (local.hour, local.minute) == (0, 0):
        return gettext("midnight")
    hour = local.hour % 12 or 12
    minutes = f":{local.minute:02d}" if local.minute else ""
    suffix = pgettext("time of day", "am") if local.hour < 12 else pgettext("time of day", "pm")
    return f"{hour}{minutes}{suffix}"


def govuk_datetime(value: datetime | None) -> str:
    """A date and time as GOV.UK writes them: 14 December 2026, 9:30am."""
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{date_format(local, 'j F Y')}, {govuk_time(local)}"


def pounds(pence: int) -> str:
    """Pence as pounds the way GOV.UK writes money: 250000 -> "£2,500", 250050 -> "£2,500.50"."""
    return f"£{pence / 100:,.0f}" if pence % 100 == 0 else f"£{pence / 100:,.2f}"
