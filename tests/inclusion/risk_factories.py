"""Small areas and indicators for the risk index's tests: a row of square LSOAs near
Northbridge, imported through the services as an officer would."""

import csv
import io
import json

from tests.core.factories import square
from townhall.inclusion import risk_services

#: Each test area is a square this many degrees a side (about 1.1 km north to south).
SIDE = 0.01
WEST, SOUTH = -1.60, 53.0


def code(number: int) -> str:
    return f"E01{900000 + number:06d}"


def lsoa_feature(number: int, *, property_code="LSOA21CD", geometry=None) -> dict:
    return {
        "type": "Feature",
        "properties": {
            property_code: code(number),
            property_code[:-2] + "NM": f"Testville {number:03d}",
        },
        "geometry": geometry or square(WEST + number * SIDE, SOUTH, SIDE),
    }


def geojson(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def import_areas(count: int, actor=None) -> list[str]:
    """Import `count` small areas in a row from west to east; returns their codes."""
    risk_services.small_areas_import(
        actor=actor,
        data=geojson(*(lsoa_feature(n) for n in range(count))),
        file_name="lsoa.geojson",
        source="Test boundaries",
    )
    return [code(n) for n in range(count)]


def csv_bytes(header: list[str], rows: list[list], encoding="utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def import_indicators(values: dict[str, dict[str, float | None]], actor=None):
    """Import indicators given as {area code: {indicator code: value}}."""
    columns = sorted({name for row in values.values() for name in row})
    rows = [
        [area, *("" if row.get(c) is None else row[c] for c in columns)]
        for area, row in values.items()
    ]
    return risk_services.risk_indicators_import(
        actor=actor,
        data=csv_bytes(["LSOA21CD", *columns], rows),
        file_name="indicators.csv",
        source="Test indicators",
    )
