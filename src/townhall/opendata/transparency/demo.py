"""Plausible rows for the demo council, made from a mandated dataset's schema.

The rows are built from the schema's fields (their types, enums and patterns), so demo data
always meets the schema it claims to. The same seeded `context.random` gives the same rows.
"""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from .kinds import kind

DEPARTMENTS = (
    "Adult Social Care",
    "Children's Services",
    "Highways and Transport",
    "Waste and Recycling",
    "Housing",
    "Parks and Leisure",
    "Planning",
    "Finance",
)
ORGANISATIONS = (
    "Northbridge Highways Ltd",
    "Riverside Care Partnership",
    "Greenway Grounds Maintenance",
    "Castle Print and Design",
    "Northbridge Community Trust",
    "Harbour IT Services",
    "Millfield Waste Solutions",
    "Old Town Youth Club",
)
PURPOSES = (
    "Road resurfacing",
    "Residential care placement",
    "Grounds maintenance",
    "Printing of council tax leaflets",
    "Software licences",
    "Community event support",
    "Vehicle fuel",
    "Temporary accommodation",
)
WORDS_BY_COLUMN = {
    "supplier": ORGANISATIONS,
    "beneficiary": ORGANISATIONS,
    "department": DEPARTMENTS,
    "purpose": PURPOSES,
    "description": PURPOSES,
    "title": PURPOSES,
    "category": ("Works", "Social care", "Facilities", "ICT", "Professional services"),
    "job title": ("Chief Executive", "Director of Finance", "Head of Housing", "Head of Planning"),
    "trade unions": ("UNISON; GMB; Unite",),
    "salary band": ("£50,000 - £54,999", "£65,000 - £69,999", "£90,000 - £94,999"),
}


def demo_rows(kind_slug: str, context: Any, count: int) -> list[dict[str, str]]:
    """`count` rows (column name -> text as it would appear in a CSV) meeting the schema.

    `context` is the demo context: `context.random` (seeded) and `context.now`.
    """
    fields = kind(kind_slug).fields
    return [
        {spec["name"]: _cell(spec, index, context) for spec in fields} for index in range(count)
    ]


def _cell(spec: dict[str, Any], index: int, context: Any) -> str:
    rng = context.random
    constraints = spec.get("constraints", {})
    if "enum" in constraints:
        return rng.choice(constraints["enum"])
    match spec.get("type", "string"):
        case "date":
            return (context.now.date() - timedelta(days=rng.randint(1, 360))).isoformat()
        case "number":
            return str(Decimal(rng.randint(50_000, 5_000_000)) / 100)
        case "integer":
            return str(rng.randint(0, 60))
        case "boolean":
            return rng.choice(
                spec.get("trueValues", ["Yes"])[:1] + spec.get("falseValues", ["No"])[:1]
            )
    return _text(spec, index, context)


def _text(spec: dict[str, Any], index: int, context: Any) -> str:
    rng = context.random
    name = spec["name"].lower()
    pattern = spec.get("constraints", {}).get("pattern", "")
    if pattern.startswith("[0-9]{4}/"):
        year = context.now.year - 1
        return f"{year}/{(year + 1) % 100:02d}"
    if pattern.startswith("[0-9]"):
        return str(rng.randint(10**9, 10**11))
    for key, words in WORDS_BY_COLUMN.items():
        if key in name:
            return rng.choice(words)
    return f"NB-{index + 1:05d}"
