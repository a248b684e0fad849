"""Checking an upload against its Transparency Code schema: typed errors with row and column.

Rows are numbered as a spreadsheet shows them: the header is row 1.
"""

import csv
import random
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage
from django.db.models import FileField
from django.db.models.fields.files import FieldFile
from openpyxl import Workbook

from townhall.opendata.transparency import demo_rows, kinds, validate_upload, validation

HEADER = (
    "Transaction date,Supplier,Net amount,Irrecoverable VAT,Department/service,"
    "Procurement category,Purpose narrative,CIPFA expenditure code"
)
GOOD_ROWS = [
    "2025-01-06,Northbridge Highways Ltd,1250.00,0,Highways,Works,Road repairs,PREM01",
    '2025-01-07,Castle Print,"£1,030.50",,Finance,Printing,Council tax leaflets,',
    "2025-01-08,Riverside Care,-640.00,0,Adult Social Care,Care,Credit note,",
]


def write(tmp_path, lines, name="spend.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def check(path, kind="spend-over-500"):
    return validate_upload(kind, path, path.name)


def found(report, problem_type):
    return [(p.row, p.column) for p in report.errors if p.type == problem_type]


def test_good_csv_passes_with_every_row_checked(tmp_path):
    report = check(write(tmp_path, [HEADER, *GOOD_ROWS]))
    assert report.valid, [p.message for p in report.errors]
    assert report.rows_checked == 3
    assert report.encoding == "utf-8"


def test_good_xlsx_passes_with_dates_as_text_or_as_spreadsheet_dates(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    sheet.append(
        ["2025-01-06", "Northbridge Highways Ltd", 1250, 0, "Highways", "Works", "Roads", ""]
    )
    sheet.append(
        [date(2025, 1, 7), "Castle Print", 1030.5, None, "Finance", None, "Leaflets", None]
    )
    path = tmp_path / "spend.xlsx"
    workbook.save(path)
    report = check(path)
    assert report.valid, [p.message for p in report.errors]
    assert report.rows_checked == 2


def test_columns_may_come_in_any_order(tmp_path):
    columns = HEADER.split(",")
    reordered = [",".join(reversed(columns))]
    rows = [",".join(reversed(row.split(","))) for row in GOOD_ROWS[:1] + GOOD_ROWS[2:]]
    assert check(write(tmp_path, reordered + rows)).valid


def test_wrong_types_are_type_errors_with_row_and_column(tmp_path):
    report = check(write(tmp_path, [HEADER, GOOD_ROWS[0], "31/01/2025,Acme,lots,0,Parks,,Mowing,"]))
    assert found(report, "type-error") == [(3, "Transaction date"), (3, "Net amount")]
    message = report.errors[0].message
    assert "Row 3" in message and "31/01/2025" in message and "YYYY-MM-DD" in message


def test_a_short_row_gives_missing_cells_only(tmp_path):
    report = check(write(tmp_path, [HEADER, "2025-01-06,Acme,12.00,0,Parks"]))
    assert found(report, "missing-cell") == [
        (2, "Procurement category"),
        (2, "Purpose narrative"),
        (2, "CIPFA expenditure code"),
    ]
    assert found(report, "constraint-error") == []


def test_a_long_row_gives_an_extra_cell(tmp_path):
    report = check(write(tmp_path, [HEADER, GOOD_ROWS[0] + ",surplus"]))
    assert [p.row for p in report.errors if p.type == "extra-cell"] == [2]


def test_a_blank_required_cell_is_a_constraint_error(tmp_path):
    report = check(write(tmp_path, [HEADER, "2025-01-06,,12.00,0,Parks,,Mowing,"]))
    assert found(report, "constraint-error") == [(2, "Supplier")]
    assert "must be filled in" in report.errors[0].message


def test_a_missing_required_column_is_a_missing_label(tmp_path):
    header = HEADER.replace("Supplier,", "")
    rows = [row.split(",", 2)[0] + "," + row.split(",", 2)[2] for row in GOOD_ROWS[:1]]
    report = check(write(tmp_path, [header, *rows]))
    assert found(report, "missing-label") == [(None, "Supplier")]


def test_a_missing_recommended_column_is_only_a_warning(tmp_path):
    header = HEADER.removesuffix(",CIPFA expenditure code")
    rows = [row.rsplit(",", 1)[0] for row in GOOD_ROWS]
    report = check(write(tmp_path, [header, *rows]))
    assert report.valid
    assert [(p.type, p.column) for p in report.warnings] == [
        ("missing-label", "CIPFA expenditure code")
    ]


def test_a_heading_in_the_wrong_case_is_an_incorrect_label_and_its_cells_are_still_checked(
    tmp_path,
):
    header = HEADER.replace("Net amount", "net  amount")
    report = check(write(tmp_path, [header, "2025-01-06,Acme,lots,0,Parks,,Mowing,"]))
    assert [(p.type, p.column_number, p.detail) for p in report.errors[:1]] == [
        ("incorrect-label", 3, "Net amount")
    ]
    assert found(report, "type-error") == [(2, "net  amount")]


def test_unknown_blank_and_repeated_headings(tmp_path):
    header = HEADER + ",Notes,,Supplier"
    report = check(write(tmp_path, [header, GOOD_ROWS[0] + ",a,b,c"]))
    assert [(p.type, p.column_number) for p in report.errors] == [
        ("blank-label", 10),
        ("duplicate-label", 11),
    ]
    assert [(p.type, p.column) for p in report.warnings] == [("extra-label", "Notes")]


def test_windows_1252_is_read_as_such(tmp_path):
    lines = [
        HEADER,
        "2025-01-06,Café Nero,£12.50,0,Parks,,Tea for volunteers,",
        "x,Café,£x,0,A,,B,",
    ]
    report = check(write(tmp_path, lines, encoding="cp1252"))
    assert report.encoding == "cp1252"
    assert found(report, "type-error") == [(3, "Transaction date"), (3, "Net amount")]
    assert [p.cell for p in report.errors] == ["x", "£x"]


def test_a_byte_order_mark_does_not_spoil_the_first_heading(tmp_path):
    report = check(write(tmp_path, [HEADER, *GOOD_ROWS], encoding="utf-8-sig"))
    assert report.encoding == "utf-8-sig"
    assert report.valid, [p.message for p in report.errors]


def test_tsv_is_read_with_tabs(tmp_path):
    lines = [HEADER.replace(",", "\t"), GOOD_ROWS[0].replace(",", "\t")]
    assert check(write(tmp_path, lines, name="spend.tsv")).valid


def test_a_file_that_is_not_a_table_is_a_format_error(tmp_path):
    path = tmp_path / "spend.pdf"
    path.write_bytes(b"%PDF-1.7")
    report = check(path)
    assert [p.type for p in report.errors] == ["format-error"]


def test_a_broken_xlsx_is_reported_not_raised(tmp_path):
    path = tmp_path / "spend.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    report = check(path)
    assert not report.valid
    assert report.errors[0].row is None


def test_checking_stops_at_the_error_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(validation, "ERROR_LIMIT", 5)
    report = check(write(tmp_path, [HEADER] + ["bad,Acme,1,0,Parks,,Mowing,"] * 50))
    assert report.truncated
    assert len(report.errors) == 5
    assert "may be more" in report.summary()


def test_report_survives_a_round_trip_through_json(tmp_path):
    report = check(write(tmp_path, [HEADER, "bad,,1,0,Parks,,Mowing,"]))
    again = validation.ValidationReport.from_dict(report.as_dict())
    assert again.errors == report.errors
    assert again.counts() == {"type-error": 1, "constraint-error": 1}


@pytest.mark.parametrize("kind", [kind.slug for kind in kinds()])
def test_demo_rows_meet_their_schema(tmp_path, kind):
    context = SimpleNamespace(random=random.Random(7), now=datetime(2026, 4, 1, tzinfo=UTC))
    rows = demo_rows(kind, context, 20)
    path = tmp_path / f"{kind}.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    report = validate_upload(kind, path, path.name)
    assert report.valid, [p.message for p in report.errors]


def test_a_file_in_storage_without_local_paths_is_checked_from_a_copy():
    storage = InMemoryStorage()
    name = storage.save("spend.csv", ContentFile(("\n".join([HEADER, *GOOD_ROWS]) + "\n").encode()))
    stored = FieldFile(instance=None, field=FileField(storage=storage), name=name)
    with validation.local_copy(stored) as path:
        assert check(path).valid
    assert not path.exists()
