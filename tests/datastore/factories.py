"""Files to load and tables loaded from them."""

import csv
import io
import uuid
import zipfile
from pathlib import Path

import factory
import openpyxl

from townhall.datastore import selectors, services

SPEND_HEADER = ["Transaction date", "Supplier", "Net amount", "Invoice count", "Paid"]


def spend_rows(count: int) -> list[list[str]]:
    """Deterministic spending-over-£500 rows: date, supplier, amount, count, paid."""
    suppliers = ["Acme Ltd", "Borough Builders", "Café Ñandú", "Northbridge Tyres"]
    return [
        [
            f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}",
            suppliers[n % len(suppliers)],
            f"{500 + n * 7.25:.2f}",
            str(n % 5),
            "yes" if n % 2 else "no",
        ]
        for n in range(count)
    ]


def write_csv(
    folder: Path,
    rows: list[list[str]],
    *,
    header: list[str] | None = SPEND_HEADER,
    name: str = "table.csv",
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    if header is not None:
        writer.writerow(header)
    writer.writerows(rows)
    path = folder / name
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(folder: Path, rows: list[list], *, header=SPEND_HEADER, name="table.xlsx") -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    path = folder / name
    workbook.save(path)
    return path


def write_zip_bomb(folder: Path, *, unpacked_bytes: int) -> Path:
    """An .xlsx whose sheet inflates from a few kilobytes to `unpacked_bytes` of zeros."""
    path = folder / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            block = b"0" * (1024 * 1024)
            for _ in range(unpacked_bytes // len(block)):
                member.write(block)
    return path


class TableFactory(factory.Factory):
    """A DataStore table loaded from a CSV of `rows` (spending rows by default).

    Returns the table's TableInfo; the ingest report is on `.last_report`.
    """

    class Meta:
        model = dict

    folder = None
    rows = factory.LazyFunction(lambda: spend_rows(20))
    header = SPEND_HEADER
    type_overrides = None
    table_id = factory.LazyFunction(uuid.uuid4)

    @classmethod
    def _create(cls, model_class, *, folder, rows, header, type_overrides, table_id):
        path = write_csv(Path(folder), rows, header=header, name=f"{table_id}.csv")
        report = services.ingest_file(
            table_id=table_id, path=str(path), filename=path.name, type_overrides=type_overrides
        )
        assert report.ok, report.message
        return selectors.table_info(table_id)
