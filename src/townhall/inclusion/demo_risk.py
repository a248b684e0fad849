"""The risk index's part of the Northbridge demo: small areas made by cutting each ward
into four or six pieces, with synthetic indicators (seeded, so the same seed gives the
same index) that rise towards the borough's outer edge and with distance from help, so the
map shows a gradient and a few gaps. Imported through the same services an officer uses,
from a GeoJSON file and a CSV made here, and marked as synthetic on every page.
"""

import csv
import io
import json
import math

from shapely.geometry import box, mapping, shape

from .models import RiskImport, RiskWeights, SmallArea
from .risk_scoring import INDICATORS
from .risk_selectors import _help_points, _nearest
from .risk_services import risk_indicators_import, small_areas_import

#: The first demo LSOA code: real English codes run from E01000001 to about E01035700;
#: these sit just beyond them, so they can never be mistaken for a real area's.
FIRST_CODE = 35_800
SOURCE = "Synthetic indicators for the Northbridge demo (not real data)"


def _pieces(geometry: dict, count: int) -> list:
    """The ward cut into a grid of `count` (4 or 6) cells, each cell's part of the ward."""
    ward = shape(geometry)
    min_x, min_y, max_x, max_y = ward.bounds
    columns, rows = (3, 2) if count == 6 else (2, 2)
    width, height = (max_x - min_x) / columns, (max_y - min_y) / rows
    pieces = []
    for row in range(rows):
        for column in range(columns):
            cell = box(
                min_x + column * width,
                min_y + row * height,
                min_x + (column + 1) * width,
                min_y + (row + 1) * height,
            )
            piece = ward.intersection(cell)
            if piece.area > ward.area / (count * 8) and piece.geom_type in (
                "Polygon",
                "MultiPolygon",
            ):
                pieces.append(piece)
    return pieces


def boundaries(context) -> dict:
    """The demo's small areas as an ONS-shaped GeoJSON FeatureCollection."""
    features, number = [], FIRST_CODE
    for ward in context.wards():
        count = context.random.choice((4, 5, 6))
        for letter, piece in zip(
            "ABCDEF", _pieces(ward.geometry, 6 if count > 4 else 4), strict=False
        ):
            features.append(
                {
                    "type": "Feature",
                    "properties": {
                        "LSOA21CD": f"E01{number:06d}",
                        "LSOA21NM": f"Northbridge {ward.name} {letter}",
                    },
                    "geometry": mapping(piece),
                }
            )
            number += 1
    return {"type": "FeatureCollection", "features": features}


def indicators(context) -> str:
    """A CSV of plausible synthetic indicators for every demo small area."""
    areas = list(SmallArea.objects.order_by("code"))
    latitude = sum(a.centroid_latitude for a in areas) / len(areas)
    longitude = sum(a.centroid_longitude for a in areas) / len(areas)
    help_points = _help_points()
    reach = max(
        math.hypot(a.centroid_latitude - latitude, a.centroid_longitude - longitude) for a in areas
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["LSOA21CD", "LSOA21NM", *(indicator.code for indicator in INDICATORS)])
    for area in areas:
        outer = math.hypot(area.centroid_latitude - latitude, area.centroid_longitude - longitude)
        distance, _name = _nearest(area.centroid_latitude, area.centroid_longitude, help_points)
        # Risk rises towards the edge and with distance from help, plus noise.
        risk = 0.6 * outer / reach + 0.4 * min(1.0, (distance or 0) / 2500)
        risk = min(1.0, max(0.0, risk + context.random.uniform(-0.15, 0.15)))

        def around(low, high, noise=0.08, spread=risk):
            value = low + (high - low) * min(
                1.0, max(0.0, spread + context.random.uniform(-noise, noise))
            )
            return round(value, 1)

        row = {
            "aged_65_plus": around(12, 32),
            "aged_75_plus": around(5, 16),
            "activities_limited": around(13, 30),
            "social_grade_de": around(12, 42),
            "no_30mbps": around(0, 18, 0.2),
            "under_10mbps": around(1, 12, 0.2),
            "average_download": around(140, 45, 0.2),
            "pension_credit": around(2, 14),
            "no_qualifications": around(10, 34),
            "claimant_rate": around(1.5, 7.5),
            "imd_score": around(8, 52),
        }
        if context.random.random() < 0.05:
            row["pension_credit"] = ""  # a suppressed value, as Stat-Xplore gives
        writer.writerow([area.code, area.name, *(row[indicator.code] for indicator in INDICATORS)])
    return out.getvalue()


def build_risk_index(context) -> None:
    """Replace the risk index with Northbridge's synthetic one (after the directory)."""
    SmallArea.objects.all().delete()
    RiskImport.objects.all().delete()
    RiskWeights.objects.all().delete()
    geojson = json.dumps(boundaries(context)).encode()
    small_areas_import(
        actor=None,
        data=geojson,
        file_name="northbridge-lsoa.geojson",
        source=SOURCE,
        synthetic=True,
    )
    risk_indicators_import(
        actor=None,
        data=indicators(context).encode(),
        file_name="northbridge-indicators.csv",
        source=SOURCE,
        synthetic=True,
    )
