"""Reading the files the risk index is imported from, checked row by row (ADR 0104).

Both readers are all or nothing: they return what the file holds only when every row is
usable, and otherwise raise ImportRefused listing every problem with its feature or row,
so an officer can mend the whole file at once. Nothing here writes to the database.

- Small area boundaries: a GeoJSON FeatureCollection in the shape of the ONS LSOA
  boundaries (properties LSOA21CD and LSOA21NM, or the 2011 LSOA11CD and LSOA11NM), WGS84.
  Each feature's geometry is checked and repaired by core's boundary reader.
- Indicators: a CSV with one row per small area and one column per indicator; header
  names vary between sources, so each indicator accepts several (`Indicator.aliases`).
"""

import csv
import io
import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from shapely.geometry import mapping, shape

from townhall.core.services.geography import (
    AreaProperties,
    GeographyImportError,
    areas_from_geojson,
)

from .risk_scoring import INDICATORS, Indicator

#: GSS codes of LSOAs in England (E01) and Wales (W01).
LSOA_CODE = re.compile(r"[EW]01\d{6}")
CODE_PROPERTIES = ("LSOA21CD", "LSOA11CD")
NAME_PROPERTIES = {"LSOA21CD": "LSOA21NM", "LSOA11CD": "LSOA11NM"}
WELSH_NAME_PROPERTIES = {"LSOA21CD": "LSOA21NMW", "LSOA11CD": "LSOA11NMW"}

#: Headers that name the small area's code, once normalised (see _normalised).
CODE_HEADERS = frozenset(
    {"lsoa21cd", "lsoa11cd", "lsoa_code", "lsoa21_code", "lsoa11_code", "lsoa", "code"}
    | {"area_code", "gss_code", "geography_code"}
)
#: Headers read and left alone: the area's name and the like.
IGNORED_HEADERS = frozenset(
    {"lsoa21nm", "lsoa11nm", "lsoa_name", "name", "area_name", "geography", "ward", "ward_name"}
)
#: What a cell may hold to say "no value" (blank, and the statistical offices' markers).
MISSING = frozenset({"", "-", "..", ":", "n/a", "na", "x", "*"})


class ImportRefused(ValueError):
    """A file the index will not import; `problems` says why, one line per feature or row."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class BoundaryRow:
    code: str
    name: str
    name_cy: str
    geometry: dict[str, Any]
    centroid_latitude: float
    centroid_longitude: float
    inside_latitude: float
    inside_longitude: float


def decoded(data: bytes) -> str:
    """The text of an uploaded file: UTF-8 (with or without a byte order mark), else
    Windows-1252, which is what a spreadsheet saved as "CSV" on Windows gives."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def boundaries_read(data: bytes) -> list[BoundaryRow]:
    """The small areas of a GeoJSON file of LSOA boundaries; raises ImportRefused."""
    try:
        collection = json.loads(decoded(data))
    except ValueError as error:
        raise ImportRefused(
            [_("The file is not valid GeoJSON: %(error)s") % {"error": error}]
        ) from None
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise ImportRefused([_("The file is not a GeoJSON FeatureCollection.")])
    features = collection.get("features") or []
    if not isinstance(features, list) or not features:
        raise ImportRefused([_("The file has no features.")])
    rows, problems, seen = [], [], {}
    for number, feature in enumerate(features, start=1):
        try:
            row = _boundary(feature)
        except ValueError as error:
            problems.append(
                _("Feature %(number)s: %(problem)s") % {"number": number, "problem": error}
            )
            continue
        if row.code in seen:
            problems.append(
                _("Feature %(number)s: %(code)s is also feature %(first)s")
                % {"number": number, "code": row.code, "first": seen[row.code]}
            )
            continue
        seen[row.code] = number
        rows.append(row)
    if problems:
        raise ImportRefused(problems)
    return rows


def _boundary(feature: Any) -> BoundaryRow:
    values = feature.get("properties") if isinstance(feature, dict) else None
    if not isinstance(values, dict):
        raise ValueError(_("it is not a GeoJSON Feature with properties"))
    upper = {str(key).upper(): key for key in values}
    found = next((name for name in CODE_PROPERTIES if name in upper), None)
    if found is None:
        raise ValueError(_("it has no LSOA21CD or LSOA11CD property"))
    code = str(values[upper[found]] or "").strip().upper()
    if not LSOA_CODE.fullmatch(code):
        raise ValueError(
            _("%(code)s is not an LSOA code (E01 or W01 and six digits)") % {"code": code or '""'}
        )
    name_key = upper.get(NAME_PROPERTIES[found])
    properties = AreaProperties(
        code=upper[found],
        name=name_key or upper[found],
        name_cy=upper.get(WELSH_NAME_PROPERTIES[found], ""),
    )
    try:
        (area,) = areas_from_geojson(
            {"type": "FeatureCollection", "features": [feature]},
            kind="other",
            properties=properties,
        )
    except GeographyImportError as error:
        raise ValueError(str(error)) from None
    polygon = shape(area.geometry)
    centroid, inside = polygon.centroid, polygon.representative_point()
    return BoundaryRow(
        code=code,
        name=str(values.get(name_key) or code).strip()[:200] if name_key else code,
        name_cy=area.name_cy.strip(),
        geometry=mapping(polygon),
        centroid_latitude=centroid.y,
        centroid_longitude=centroid.x,
        inside_latitude=inside.y,
        inside_longitude=inside.x,
    )


@dataclass
class IndicatorFile:
    """What an indicators file holds: each area's values of the indicators it has columns
    for, and what the officer should know (columns ignored, areas absent)."""

    values: dict[str, dict[str, float | None]] = field(default_factory=dict)
    columns: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    rows: int = 0


def _normalised(header: str) -> str:
    text = header.strip().lower().replace("+", " plus ").replace("%", " pct ")
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


_AFFIXES = re.compile(
    r"^(?:pct|percent|percentage|proportion|share|number|rate)_|"
    r"_(?:pct|percent|percentage|proportion|mbit_s|mbps|mb_s|score|2019|2021|2011)$"
)


def indicator_for(header: str) -> Indicator | None:
    """The indicator a column's header names, or None. The header is compared without
    case, punctuation, "%" and units ("% aged 65+" names aged_65_plus)."""
    name = _normalised(header)
    candidates = [name]
    while (shorter := _AFFIXES.sub("", candidates[-1], count=1)) != candidates[-1]:
        candidates.append(shorter)
    for candidate in candidates:
        for indicator in INDICATORS:
            if candidate == indicator.code or candidate in indicator.aliases:
                return indicator
    return None


def indicators_read(data: bytes, *, known: set[str]) -> IndicatorFile:
    """The indicator values of a CSV, for the small areas whose codes are in `known`;
    raises ImportRefused listing every problem (row 1 is the header)."""
    reader = csv.reader(io.StringIO(decoded(data), newline=""))
    header = next(reader, None)
    if not header or not any(cell.strip() for cell in header):
        raise ImportRefused([_("The file is empty.")])
    problems: list[str] = []
    result = IndicatorFile()
    code_column, columns = None, {}
    for position, name in enumerate(header):
        normalised = _normalised(name)
        if normalised in CODE_HEADERS and code_column is None:
            code_column = position
        elif (indicator := indicator_for(name)) is not None:
            if indicator.code in columns.values():
                problems.append(
                    _("Row 1: two columns give %(indicator)s") % {"indicator": indicator.code}
                )
            columns[position] = indicator.code
        elif normalised not in IGNORED_HEADERS:
            result.ignored.append(name.strip())
    if code_column is None:
        problems.append(_("Row 1: no column gives the LSOA code (LSOA21CD, say)"))
    if not columns:
        problems.append(_("Row 1: no column is one of the indicators the user guide lists"))
    if problems:
        raise ImportRefused(problems)
    result.columns = list(columns.values())
    marked: dict[str, list[float]] = {code: [] for code in result.columns}
    unmarked: dict[str, list[float]] = {code: [] for code in result.columns}
    first_row: dict[str, int] = {}
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        result.rows += 1
        if len(row) > len(header):
            problems.append(_("Row %(row)s: it has more cells than the header") % {"row": number})
            continue
        row = row + [""] * (len(header) - len(row))
        code = row[code_column].strip().upper()
        if code not in known:
            problems.append(
                _("Row %(row)s: %(code)s is not one of the council's small areas")
                % {"row": number, "code": code or '""'}
            )
            continue
        if code in first_row:
            problems.append(
                _("Row %(row)s: %(code)s is also on row %(first)s")
                % {"row": number, "code": code, "first": first_row[code]}
            )
            continue
        first_row[code] = number
        values = {}
        for position, indicator_code in columns.items():
            try:
                value, percent = _number(row[position])
            except ValueError:
                problems.append(
                    _("Row %(row)s, column %(column)s: %(value)s is not a number")
                    % {
                        "row": number,
                        "column": header[position].strip(),
                        "value": row[position].strip(),
                    }
                )
                continue
            problem = _out_of_range(value, indicator_code)
            if problem:
                problems.append(
                    _("Row %(row)s, column %(column)s: %(problem)s")
                    % {"row": number, "column": header[position].strip(), "problem": problem}
                )
                continue
            if value is not None:
                (marked if percent else unmarked)[indicator_code].append(value)
            values[indicator_code] = value
        result.values[code] = values
    for indicator_code in result.columns:
        percentages, plain = marked[indicator_code], unmarked[indicator_code]
        if percentages and plain and max(plain) <= 1 < max(percentages):
            problems.append(
                _(
                    "Column %(indicator)s mixes proportions (such as 0.12) and percentages "
                    "(such as 12%%): give every value in one of them"
                )
                % {"indicator": indicator_code}
            )
    if not result.values and not problems:
        problems.append(_("The file has no rows of small areas."))
    if problems:
        raise ImportRefused(problems)
    result.absent = sorted(known - result.values.keys())
    return result


def _number(cell: str) -> tuple[float | None, bool]:
    """The number in a cell and whether it was marked with "%"; (None, False) for none."""
    text = cell.strip()
    if text.lower() in MISSING:
        return None, False
    percent = text.endswith("%")
    text = text.removesuffix("%").strip().replace(",", "")
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value, percent


def _out_of_range(value: float | None, indicator_code: str) -> str:
    from .risk_scoring import INDICATORS_BY_CODE

    if value is None:
        return ""
    if value < 0:
        return _("%(value)s is less than 0") % {"value": value}
    if INDICATORS_BY_CODE[indicator_code].is_percentage and value > 100:
        return _("%(value)s is more than 100 per cent") % {"value": value}
    return ""
