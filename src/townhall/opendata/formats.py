"""A table's values as people read them: per the column's type and unit.

The DataStore hands back Python values (int, Decimal, date, datetime, bool, str); the
preview shows them formatted the way GOV.UK's style guide writes them: numbers with
thousands separators, money as £1,250.00, dates as "1 Oct 2023". Downloads and the API
keep the raw values: formatting is for reading only.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _

NUMERIC_TYPES = frozenset({"integer", "decimal"})


def is_numeric(type_name: str) -> bool:
    """Whether a column of this DataStore type is right-aligned as a number."""
    return type_name in NUMERIC_TYPES


def display_value(value: Any, *, money: bool = False) -> str:
    """`value` as text for the preview; "" for an empty cell.

    Money (a column whose unit is pounds) has a £ sign and two decimal places, with the
    minus sign before the £; other numbers keep their own decimal places.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int | Decimal):
        if money:
            sign = "-" if value < 0 else ""
            return f"{sign}£{abs(Decimal(value)):,.2f}"
        return f"{value:,}"
    if isinstance(value, datetime):
        shown = timezone.localtime(value) if timezone.is_aware(value) else value
        return formats.date_format(shown, "j M Y, H:i")
    if isinstance(value, date):
        return formats.date_format(value, "j M Y")
    return str(value)
