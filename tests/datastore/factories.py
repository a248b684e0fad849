"""Files to load and tables loaded from them."""

import csv
import io
import uuid
import zipfile
from pathlib import Path

import factory
import openpyxl

from townhall.datastore import selectors, services

# The module the tests load tables as; conftest's `readers` fixture declares who reads them.
OWNER = "datastore_tests"
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


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_MINIMAL_WORKBOOK = {
    "[Content_Types].xml": f"""<Types xmlns="{_PACKAGE}/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_TYPE}.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="{_TYPE}.sharedStrings+xml"/>
</Types>""",
    "_rels/.rels": f"""<Relationships xmlns="{_PACKAGE}/relationships">
<Relationship Id="rId1" Type="{_RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>
</Relationships>""",
    "xl/workbook.xml": f"""<workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}">
<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>""",
    "xl/_rels/workbook.xml.rels": f"""<Relationships xmlns="{_PACKAGE}/relationships">
<Relationship Id="rId1" Type="{_RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="{_RELATIONSHIPS}/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>""",
}


def write_shared_strings_workbook(
    folder: Path, *, strings: int, length: int = 8, rows: int = 1, name: str = "strings.xlsx"
) -> Path:
    """A valid .xlsx whose shared-strings part holds `strings` distinct strings of `length`
    digits, and whose sheet is a header and `rows` rows of five cells using the first ones:
    the shape of a workbook that is small as a file but large in a reader's memory."""
    path = folder / name
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for part, text in _MINIMAL_WORKBOOK.items():
            archive.writestr(part, text)
        cells = (
            "".join(f'<c t="s"><v>{(row * 5 + column) % strings}</v></c>' for column in range(5))
            for row in range(rows + 1)
        )
        sheet = "".join(
            f'<row r="{row + 1}">{row_cells}</row>' for row, row_cells in enumerate(cells)
        )
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet xmlns="{_MAIN}"><sheetData>{sheet}</sheetData></worksheet>',
        )
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(f'<sst xmlns="{_MAIN}" uniqueCount="{strings}">'.encode())
            for start in range(0, strings, 10_000):
                block = range(start, min(start + 10_000, strings))
                part.write("".join(f"<si><t>{n:0{length}d}</t></si>" for n in block).encode())
            part.write(b"</sst>")
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
            table_id=table_id,
            owner=OWNER,
            path=str(path),
            filename=path.name,
            type_overrides=type_overrides,
        )
        assert report.ok, report.message
        return selectors.table_info(table_id)
