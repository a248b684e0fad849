"""Column types: inferring them from values, and checking and normalising each cell.

Every converter takes the cell as text and returns the text the database stores (or None
for an empty cell), raising ValueError when the cell does not fit. Both SQLite (through
column affinity) and PostgreSQL (through COPY's CSV format) turn that text into the typed
value, so the Python side never builds Decimal or date objects on the load path. Whole
batches are checked as Arrow arrays (`convert_batch`); the converters are the slow path.

Dates are read as ISO 8601 or, as UK councils write them, day/month/year.
"""

import calendar
import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

INTEGER, DECIMAL, DATE, DATETIME, BOOLEAN, TEXT = (
    "integer",
    "decimal",
    "date",
    "datetime",
    "boolean",
    "text",
)
TYPES = (INTEGER, DECIMAL, DATE, DATETIME, BOOLEAN, TEXT)
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

# Digits are ASCII: a database reads no others as numbers.
# Inference is strict so that codes keep their leading zeros ("007" stays text) ...
_STRICT_INTEGER = re.compile(r"-?(?:0|[1-9]\d{0,17})\Z", re.ASCII)
_STRICT_DECIMAL = re.compile(
    r"-?£?(?:0|[1-9]\d*)\.\d+\Z|-?£(?:0|[1-9]\d*)\Z|-?£?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?\Z",
    re.ASCII,
)
# ... while a publisher who declares a type gets the lenient reading.
_INTEGER = re.compile(r"[+-]?\d{1,18}\Z|[+-]?\d{1,3}(?:,\d{3}){1,5}\Z", re.ASCII)
_DECIMAL = re.compile(
    r"[+-]?£?(?:\d+(?:\.\d*)?|\.\d+)\Z|[+-]?£?\d{1,3}(?:,\d{3})+(?:\.\d*)?\Z", re.ASCII
)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z", re.ASCII)
_DMY_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\Z", re.ASCII)
_WORDY_DATE = re.compile(r"(\d{1,2})[ -]([A-Za-z]{3,9})[ -](\d{4})\Z", re.ASCII)
_DATETIME = re.compile(
    r"(?P<date>[^ T]+)[ T](?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?P<f>\.\d{1,6})?)?"
    r"(?P<tz>Z|[+-]\d{2}:?\d{2})?\Z",
    re.ASCII,
)


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
    """The narrowest type one non-empty cell fits, read strictly."""
    if value.lower() in TRUE_WORDS or value.lower() in FALSE_WORDS:
        return BOOLEAN
    if _STRICT_INTEGER.match(value):
        return INTEGER
    if _STRICT_DECIMAL.match(value):
        return DECIMAL
    try:
        to_date(value)
        return DATE
    except ValueError:
        pass
    try:
        to_datetime(value)
        return DATETIME
    except ValueError:
        return TEXT


def infer(samples: list[str | None]) -> str:
    """The type of a column from a sample of its cells; an empty sample gives text."""
    found = None
    for value in samples:
        if value is not None:
            found = join(found, kind_of(value))
            if found == TEXT:
                break
    return found or TEXT


def to_integer(value: str) -> str:
    if _INTEGER.match(value):
        return value.replace(",", "")
    raise ValueError(value)


def to_decimal(value: str) -> str:
    if _DECIMAL.match(value):
        return value.replace(",", "").replace("£", "")
    raise ValueError(value)


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
    if _STRICT_DECIMAL.match(value):
        return value.replace(",", "").replace("£", "")
    raise ValueError(value)


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
        return None
    if type_name in (DATE, DATETIME) and not _leap_days_fall_in_leap_years(cells):
        return None
    return cells


def _leap_days_fall_in_leap_years(cells: pa.Array) -> bool:
    leap_days = pc.filter(cells, pc.match_substring(cells, "-02-29"))
    if not len(leap_days):
        return True
    years = set(pc.utf8_slice_codeunits(leap_days, 0, 4).to_pylist())
    return all(map(calendar.isleap, map(int, years)))
