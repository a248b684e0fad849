"""Write the benchmark table: a deterministic CSV of spending rows, 10 columns.

    .venv/bin/python bench/make_csv.py var/bench/spend-1m.csv --rows 1000000

Same arguments, same bytes: the generator is seeded. Columns: an integer id, a date, a
datetime, three text columns of few distinct values (supplier, department, category), two
decimals (net amount, VAT), a boolean and a free-text purpose narrative.
"""

import argparse
import csv
import datetime as dt
import random
from pathlib import Path

HEADER = [
    "Transaction number",
    "Transaction date",
    "Recorded at",
    "Supplier",
    "Department",
    "Procurement category",
    "Net amount",
    "Irrecoverable VAT",
    "Paid",
    "Purpose",
]
DEPARTMENTS = [f"Department {n:02d}" for n in range(1, 21)]
CATEGORIES = ["Works", "Goods", "Services", "Consultancy", "Grants", "Utilities", "Rent", "IT"]
WORDS = [
    "road",
    "repair",
    "school",
    "meals",
    "library",
    "books",
    "street",
    "lighting",
    "waste",
    "collection",
    "parks",
    "maintenance",
    "housing",
    "repairs",
    "social",
    "care",
    "transport",
    "leisure",
    "centre",
    "cleaning",
    "security",
    "software",
    "licence",
    "consultancy",
    "training",
    "vehicle",
    "fuel",
    "printing",
    "postage",
    "catering",
]


def write(path: Path, rows: int, seed: int = 20261125) -> None:
    chance = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    suppliers = [f"Supplier {n:04d} Ltd" for n in range(2000)]
    start = dt.date(2022, 4, 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for number in range(1, rows + 1):
            day = start + dt.timedelta(days=chance.randrange(1096))
            net = chance.randrange(50_000, 5_000_000) / 100
            writer.writerow(
                [
                    number,
                    day.isoformat(),
                    f"{day.isoformat()} {chance.randrange(24):02d}:{chance.randrange(60):02d}:00",
                    suppliers[int(chance.paretovariate(1.2)) % len(suppliers)],
                    chance.choice(DEPARTMENTS),
                    chance.choice(CATEGORIES),
                    f"{net:.2f}",
                    f"{net * 0.2:.2f}" if chance.random() < 0.1 else "0.00",
                    "true" if chance.random() < 0.9 else "false",
                    " ".join(chance.choices(WORDS, k=chance.randrange(2, 7))),
                ]
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20261125)
    arguments = parser.parse_args()
    write(arguments.path, arguments.rows, arguments.seed)


if __name__ == "__main__":
    main()
