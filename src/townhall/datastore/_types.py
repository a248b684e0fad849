"""Column types: inferring them from values, and checking and normalising each cell.

Every converter takes the cell as text and returns the text the database stores (or None
for an empty cell), raising ValueError when the cell does not fit. Both SQLite (through
column affinity) and PostgreSQL (through COPY's CSV format) turn that text into the typed
value, so the Python side never builds Decimal or date objects on the load path. Whole
batches are checked as Arrow arrays (`convert_batch`); the converters are the slow path.

Dates are read as ISO 8601 or, as UK councils write them, day/month/year ("01/10/2023")
or with the month's name ("1 Oct 2023"). Money is read in every form spreadsheets write it:
"£1,250.00", a minus before or after the pound sign ("-£120.00", "£-120.00") or brackets
for a negative amount ("(120.00)", "(£120.00)"), with or without spaces.

A column's type is the one that most of its cells fit (`choose`): a cell that does not fit
is reported by the load, not allowed to turn a money column into text (ADR 0036).
"""

import calendar
import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from django.utils.translation import gettext as _

INTEGER, DECIMAL, DATE, DATETIME, BOOLEAN, TEXT = (
    "integer",
    "decimal",
    "date",
    "datetime",
    "boolean",
    "text",
)
TYPES = (INTEGER, DECIMAL, DATE, DATETIME, BOOLEAN, TEXT)
#: The kind of a cell shaped like a date that no calendar has ("31/02/2023"): it is a
#: mistake in a date column, not a sign that the column is text.
IMPOSSIBLE_DATE = "impossible date"
#: The share of a column's non-empty cells that must fit a type for the column to take it;
#: the cells that do not fit are reported one by one.
FIT_SHARE = 0.98
ALIASES = {
    "int": INTEGER,
    "int4": INTEGER,
    "int8": INTEGER,
    "bigint": INTEGER,
    "numeric": DECIMAL,
    "number": DECIMAL,
    "float": DECIMAL,
    "float8": DECIMAL,
    "timestamp": DATETIME,
    "bool": BOOLEAN,
    "string": TEXT,
}
# The join of two types is the narrowest type that holds the values of both.
_WIDER = {
    frozenset((INTEGER, DECIMAL)): DECIMAL,
    frozenset((DATE, DATETIME)): DATETIME,
}

TRUE_WORDS = frozenset(("true", "yes", "y", "t"))
FALSE_WORDS = frozenset(("false", "no", "n", "f"))
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}

# Money: an optional sign before or after the pound sign, or brackets round the whole for
# a negative amount (accountants' style), spaces allowed between the parts.
_SIGN = "[-+\u2212]"
_MONEY = re.compile(
    rf"(?P<open>\(\s*)?(?P<before>{_SIGN})?\s*(?P<pound>£)?\s*(?P<after>{_SIGN})?\s*"
    r"(?P<number>[\d.,]+)(?(open)\s*\))\Z"
)
# Digits are ASCII: a database reads no others as numbers.
# Inference is strict so that codes keep their leading zeros ("007" stays text) ...
_STRICT_INTEGER = re.compile(r"-?(?:0|[1-9]\d{0,17})\Z", re.ASCII)
_STRICT_NUMBER = re.compile(r"(?:0|[1-9]\d*)(?:\.\d+)?|[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?", re.ASCII)
# ... while a publisher who declares a type gets the lenient reading.
_INTEGER = re.compile(r"[+-]?\d{1,18}\Z|[+-]?\d{1,3}(?:,\d{3}){1,5}\Z", re.ASCII)
_LENIENT_NUMBER = re.compile(r"\d+(?:\.\d*)?|\.\d+|\d{1,3}(?:,\d{3})+(?:\.\d*)?", re.ASCII)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z", re.ASCII)
_DMY_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\Z", re.ASCII)
_WORDY_DATE = re.compile(r"(\d{1,2})[ -]([A-Za-z]{3,9})[ -](\d{4})\Z", re.ASCII)
_DATETIME = re.compile(
    r"(?P<date>[^ T]+)[ T](?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?P<f>\.\d{1,6})?)?"
    r"(?P<tz>Z|[+-]\d{2}:?\d{2})?\Z",
    re.ASCII,
)


def described(type_name: str) -> str:
    """The type as a person would say it, to complete "… is not %s"."""
    return {
        INTEGER: _("a whole number"),
        DECIMAL: _("a number or amount of money"),
        DATE: _("a date on the calendar"),
        DATETIME: _("a date and time"),
        BOOLEAN: _("yes or no"),
    }.get(type_name, type_name)


def canonical(type_name: str) -> str:
    """Return the Townhall type for a type name or alias (CKAN's names are accepted)."""
    name = ALIASES.get(type_name.strip().lower(), type_name.strip().lower())
    if name not in TYPES:
        raise ValueError(type_name)
    return name


def join(first: str | None, second: str) -> str:
    """The narrowest type holding values of both types."""
    if first is None or first == second:
        return second
    return _WIDER.get(frozenset((first, second)), TEXT)


def kind_of(value: str) -> str:
    """The narrowest type one non-empty cell fits, read strictly, or IMPOSSIBLE_DATE."""
    if value.lower() in TRUE_WORDS or value.lower() in FALSE_WORDS:
        return BOOLEAN
    if _STRICT_INTEGER.match(value):
        return INTEGER
    try:
        _money(value, _STRICT_NUMBER)
        return DECIMAL
    except ValueError:
        pass
    try:
        to_date(value)
        return DATE
    except ValueError:
        pass
    try:
        to_datetime(value)
        return DATETIME
    except ValueError:
        return IMPOSSIBLE_DATE if _date_shaped(value) else TEXT


# Each type that inference may choose, narrowest first, with the kinds of cell it holds.
_HOLDS = (
    (BOOLEAN, (BOOLEAN,)),
    (INTEGER, (INTEGER,)),
    (DECIMAL, (INTEGER, DECIMAL)),
    (DATE, (DATE,)),
    (DATETIME, (DATE, DATETIME)),
)


def choose(kinds: Mapping[str, int]) -> str:
    """The type of a column from how many of its non-empty cells are of each kind.

    The type that holds the most cells (the narrower on a tie) is chosen when it holds at
    least FIT_SHARE of them, or when it holds most of them and every other cell is an
    impossible date; otherwise the column is text. The cells it does not hold are the
    load's to report.
    """
    filled = sum(kinds.values())
    best, most = TEXT, 0
    for candidate, held in _HOLDS:
        fits = sum(kinds.get(kind, 0) for kind in held)
        if fits > most:
            best, most = candidate, fits
    impossible = kinds.get(IMPOSSIBLE_DATE, 0) if best in (DATE, DATETIME) else 0
    if most >= FIT_SHARE * filled or (most > impossible and most + impossible == filled):
        return best
    return TEXT


def infer(samples: list[str | None]) -> str:
    """The type of a column from a sample of its cells; an empty sample gives text."""
    return choose(Counter(kind_of(value) for value in samples if value is not None))


def _money(value: str, number: re.Pattern) -> str:
    """The stored form of an amount written as spreadsheets write money."""
    found = _MONEY.match(value)
    if not found or not number.fullmatch(found["number"]):
        raise ValueError(value)
    signs = [sign for sign in (found["before"], found["after"]) if sign]
    if len(signs) > 1 or (found["open"] and signs):
        raise ValueError(value)
    negative = bool(found["open"]) or (bool(signs) and signs[0] != "+")
    return ("-" if negative else "") + found["number"].replace(",", "")


def _date_shaped(value: str) -> bool:
    """Whether the cell is written as a date (or a date and time), on the calendar or not."""
    moment = _DATETIME.match(value)
    value = moment["date"] if moment else value
    if _ISO_DATE.match(value) or _DMY_DATE.match(value):
        return True
    wordy = _WORDY_DATE.match(value)
    return bool(wordy) and wordy[2].lower() in MONTHS


def to_integer(value: str) -> str:
    if _INTEGER.match(value):
        return value.replace(",", "")
    raise ValueError(value)


def to_decimal(value: str) -> str:
    return _money(value, _LENIENT_NUMBER)


def to_date(value: str) -> str:
    if _ISO_DATE.match(value):
        return dt.date.fromisoformat(value).isoformat()
    if found := _DMY_DATE.match(value):
        day, month, year = found.groups()
        return dt.date(int(year), int(month), int(day)).isoformat()
    if found := _WORDY_DATE.match(value):
        day, month, year = found.groups()
        number = MONTHS.get(month.lower())
        if number:
            return dt.date(int(year), number, int(day)).isoformat()
    raise ValueError(value)


def to_datetime(value: str) -> str:
    """Datetimes are stored without a zone: one given with an offset is turned into UTC."""
    found = _DATETIME.match(value)
    if not found:
        return to_date(value) + " 00:00:00"
    moment = dt.datetime.combine(
        dt.date.fromisoformat(to_date(found["date"])),
        dt.time(
            int(found["h"]),
            int(found["m"]),
            int(found["s"] or 0),
            int((found["f"] or ".0")[1:].ljust(6, "0")),
        ),
    )
    if found["tz"]:
        zone = "+00:00" if found["tz"] == "Z" else found["tz"]
        moment = dt.datetime.fromisoformat(f"{moment.isoformat()}{zone}")
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.isoformat(sep=" ")


def to_boolean(value: str) -> str:
    lowered = value.lower()
    if lowered in TRUE_WORDS or lowered == "1":
        return "1"
    if lowered in FALSE_WORDS or lowered == "0":
        return "0"
    raise ValueError(value)


def _strict_integer(value: str) -> str:
    if _STRICT_INTEGER.match(value):
        return value
    raise ValueError(value)


def _strict_decimal(value: str) -> str:
    if _STRICT_INTEGER.match(value):
        return value
    return _money(value, _STRICT_NUMBER)


def _strict_boolean(value: str) -> str:
    if value in ("0", "1"):
        raise ValueError(value)
    return to_boolean(value)


_LENIENT = {
    INTEGER: to_integer,
    DECIMAL: to_decimal,
    DATE: to_date,
    DATETIME: to_datetime,
    BOOLEAN: to_boolean,
}
_STRICT = {**_LENIENT, INTEGER: _strict_integer, DECIMAL: _strict_decimal, BOOLEAN: _strict_boolean}


def converter(type_name: str, *, strict: bool) -> Callable[[str], str | None]:
    """A function from a raw cell to its stored text, None for an empty cell.

    `strict` (for inferred types) refuses what inference would not have accepted, such as
    leading zeros in an integer column, so that the load widens the type instead of losing
    them; a type the publisher chose reads leniently.
    """
    if type_name == TEXT:
        return _text
    check = (_STRICT if strict else _LENIENT)[type_name]

    def convert(value: str) -> str | None:
        value = value.strip()
        return check(value) if value else None

    return convert


def _text(value: str) -> str | None:
    return value or None


def parse_value(type_name: str, value) -> str | None:
    """Normalise a value given in a query (filter, cursor) to the stored text form."""
    if value is None:
        return None
    if isinstance(value, bool):
        value = "1" if value else "0"
    elif isinstance(value, dt.datetime):
        value = value.isoformat(sep=" ")
    elif isinstance(value, (dt.date, int, Decimal, float)):
        value = str(value)
    elif not isinstance(value, str):
        raise ValueError(value)
    return converter(type_name, strict=False)(value)


def reader(type_name: str, scale: int | None = None) -> Callable[[Any], Any]:
    """A function from a stored cell, as either database returns it, to its Python value.

    Decimals come back with the column's scale (the most decimal places any of its cells
    had when loaded), so 10.50 reads as 10.50 on SQLite, whose REAL would say 10.5.
    """
    if type_name == DECIMAL:
        exponent = Decimal(1).scaleb(-scale) if scale else None

        def decimal(stored):
            if stored is None:
                return None
            value = stored if isinstance(stored, Decimal) else Decimal(repr(stored))
            return value.quantize(exponent) if exponent is not None else value

        return decimal
    if type_name == BOOLEAN:
        return lambda stored: None if stored is None else bool(stored)
    if type_name == DATE:
        return lambda stored: dt.date.fromisoformat(stored) if isinstance(stored, str) else stored
    if type_name == DATETIME:
        return lambda stored: (
            dt.datetime.fromisoformat(stored) if isinstance(stored, str) else stored
        )
    return lambda stored: stored


MAX_SCALE = 12


def decimal_scale(values: pa.Array, at_least: int = 0) -> int:
    """The most decimal places among converted decimal cells (at most 12), or `at_least`
    if more, measured on the whole column at once."""
    point = pc.find_substring(values, ".")
    places = pc.subtract(pc.utf8_length(values), pc.add(point, 1))
    most = pc.max(pc.if_else(pc.greater_equal(point, 0), places, 0)).as_py() or 0
    return max(at_least, min(most, MAX_SCALE))


# Whole-batch checks: one regular expression (RE2, in Arrow's C++) over a column of a
# batch, far faster than a Python call per cell. A batch that does not match entirely is
# converted cell by cell instead, which finds and reports the cells at fault. The patterns
# accept only the stored form, so a matching column is stored as it was read.
# An ISO date on the calendar: the days each month has (29 February in any year; the
# rare batch that has one is checked for leap years), and no year 0.
_YEAR = r"(?:000[1-9]|00[1-9]\d|0[1-9]\d\d|[1-9]\d{3})"
_ISO = (
    rf"{_YEAR}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)"
    r"|(?:0[13578]|1[02])-31|02-29)"
)
_BATCH_PATTERNS = {
    (INTEGER, True): r"-?(?:0|[1-9]\d{0,17})",
    (INTEGER, False): r"[+-]?\d{1,18}",
    (DECIMAL, True): r"-?(?:0|[1-9]\d*)(?:\.\d+)?",
    (DECIMAL, False): r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)",
    (DATE, True): _ISO,
    (DATE, False): _ISO,
    (DATETIME, True): rf"{_ISO} (?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d",
    (DATETIME, False): rf"{_ISO} (?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d",
}
_BATCH = {key: f"^(?:{pattern})$" for key, pattern in _BATCH_PATTERNS.items()}
_BOOLEAN_CELLS = {
    **dict.fromkeys(TRUE_WORDS, "1"),
    **dict.fromkeys(FALSE_WORDS, "0"),
    **{word.upper(): "1" for word in TRUE_WORDS},
    **{word.upper(): "0" for word in FALSE_WORDS},
    "True": "1",
    "False": "0",
    "Yes": "1",
    "No": "0",
}
_BOOLEAN_WORDS = {
    strict: (
        pa.array(list(words), pa.string()),
        pa.array(list(words.values()), pa.string()),
    )
    for strict, words in (
        (True, _BOOLEAN_CELLS),
        (False, {**_BOOLEAN_CELLS, "1": "1", "0": "0"}),
    )
}


def convert_batch(type_name: str, strict: bool, cells: pa.Array) -> pa.Array | None:
    """Convert one column of a batch (text, null for an empty cell) at C speed, or None
    when the slow path must decide."""
    if type_name == TEXT:
        return cells
    if type_name == BOOLEAN:
        words, stored = _BOOLEAN_WORDS[strict]
        positions = pc.index_in(cells, value_set=words)
        if positions.null_count != cells.null_count:
            return None
        return pc.take(stored, positions)
    if not pc.all(pc.match_substring_regex(cells, _BATCH[type_name, strict]), min_count=0).as_py():
        return _money_batch(cells, strict) if type_name == DECIMAL else None
    if type_name in (DATE, DATETIME) and not _leap_days_fall_in_leap_years(cells):
        return None
    return cells


# Money as spreadsheets write it, in the forms common enough to be worth C speed: a minus
# before or after the pound sign, or brackets; rarer forms take the slow path (`_money`).
_BATCH_NUMBERS = {
    True: r"(?:(?:0|[1-9]\d*)(?:\.\d+)?|[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?)",
    False: r"(?:\d+(?:\.\d*)?|\.\d+|\d{1,3}(?:,\d{3})+(?:\.\d*)?)",
}
_BATCH_MONEY = {
    strict: rf"^(?:-? *£? *{number}|£ *- *{number}|\( *£? *{number} *\))$"
    for strict, number in _BATCH_NUMBERS.items()
}
_MONEY_MARKS = ("£", ",", " ", "-", "(", ")")


def _money_batch(cells: pa.Array, strict: bool) -> pa.Array | None:
    """Money cells in their stored form (what `_money` gives), or None for the slow path."""
    if not pc.all(pc.match_substring_regex(cells, _BATCH_MONEY[strict]), min_count=0).as_py():
        return None
    number = cells
    for mark in _MONEY_MARKS:
        number = pc.replace_substring(number, mark, "")
    negative = pc.or_(pc.match_substring(cells, "-"), pc.match_substring(cells, "("))
    return pc.if_else(negative, pc.binary_join_element_wise("-", number, ""), number)


def _leap_days_fall_in_leap_years(cells: pa.Array) -> bool:
    leap_days = pc.filter(cells, pc.match_substring(cells, "-02-29"))
    if not len(leap_days):
        return True
    years = set(pc.utf8_slice_codeunits(leap_days, 0, 4).to_pylist())
    return all(map(calendar.isleap, map(int, years)))
