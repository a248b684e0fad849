"""Files as councils really send them: odd encodings, ragged rows, bad headers, huge files."""

import uuid

import pytest

from townhall.datastore import selectors, services

from .factories import (
    OWNER,
    spend_rows,
    write_csv,
    write_shared_strings_workbook,
    write_xlsx,
    write_zip_bomb,
)

# Loads run here as the background task runs them, outside a transaction, so they go
# through the bulk writer; tests elsewhere load inside one and cover the other path.
pytestmark = pytest.mark.django_db(transaction=True)


def _load(path, **options):
    table_id = uuid.uuid4()
    report = services.ingest_file(
        owner=OWNER,
        table_id=table_id,
        path=str(path),
        filename=options.pop("filename", path.name),
        **options,
    )
    return table_id, report


def test_ingest_reads_windows_1252_and_says_so(db, tmp_path):
    path = write_csv(
        tmp_path, [["2024-01-01", "Café £ supplies", "1.00", "1", "yes"]] * 3, encoding="cp1252"
    )

    table_id, report = _load(path)

    assert report.ok
    assert report.encoding == "windows-1252"
    assert selectors.search(table_id).records[0]["Supplier"] == "Café £ supplies"


def test_ingest_reads_windows_1252_found_late_in_the_file(db, tmp_path):
    rows = [*spend_rows(70_000), ["2024-01-01", "Caf\u00e9", "1.00", "1", "yes"]]
    path = write_csv(tmp_path, rows, encoding="cp1252")

    table_id, report = _load(path)

    assert (report.ok, report.encoding, report.rows) == (True, "windows-1252", 70_001)
    assert selectors.search(table_id, filters={"Supplier": "Café"}).total == 1


def test_ingest_drops_a_utf8_byte_order_mark_from_the_first_header(db, tmp_path):
    path = write_csv(tmp_path, spend_rows(2), encoding="utf-8-sig")

    table_id, report = _load(path)

    assert report.encoding == "utf-8-sig"
    assert selectors.table_info(table_id).columns[0]["id"] == "Transaction date"


def test_ingest_pads_short_rows_and_cuts_long_ones_and_reports_both(db, tmp_path):
    path = write_csv(
        tmp_path,
        [["1", "a", "x"], ["2"], ["3", "c", "z", "extra"], ["4", "d", "w", ""]],
        header=["n", "letter", "other"],
    )

    table_id, report = _load(path)

    assert report.rows == 4
    assert [(p["row"], p["code"]) for p in report.problems] == [
        (3, "missing-cell"),
        (4, "extra-cell"),
    ]
    records = selectors.search(table_id).records
    assert [(r["n"], r["letter"], r["other"]) for r in records] == [
        (1, "a", "x"),
        (2, None, None),
        (3, "c", "z"),
        (4, "d", "w"),
    ]


def test_ingest_names_blank_and_repeated_headers_and_reports_them(db, tmp_path):
    path = write_csv(
        tmp_path, [["1", "2", "3", "4", "5"]], header=["amount", "", "Amount", "amount", "_id"]
    )

    table_id, report = _load(path)

    ids = [c["id"] for c in selectors.table_info(table_id).columns]
    assert ids == ["amount", "column_2", "Amount_2", "amount_3", "_id_2"]
    assert [(p["column"], p["code"]) for p in report.problems] == [
        ("column_2", "blank-header"),
        ("Amount_2", "duplicate-label"),
        ("amount_3", "duplicate-label"),
    ]


def test_ingest_keeps_headers_with_quotes_and_percent_signs(db, tmp_path):
    path = write_csv(tmp_path, [["1", "2"]], header=['Say "hi"', "% change"])

    table_id, report = _load(path)

    assert report.ok
    page = selectors.search(table_id, filters=[("% change", "gte", 2)], sort='-Say "hi"')
    assert page.records == [{"_id": 1, 'Say "hi"': 1, "% change": 2}]


def test_ingest_skips_blank_rows_and_counts_them(db, tmp_path):
    path = write_csv(tmp_path, [["1", "a"], ["", ""], ["2", "b"], []], header=["n", "t"])

    _table_id, report = _load(path)

    assert (report.rows, report.blank_rows) == (2, 2)


def test_ingest_refuses_a_file_over_the_size_limit_without_reading_it(db, tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.truncate(2 * 1024**3)  # a sparse 2 GB file: nothing is written to disk

    table_id, report = _load(path)

    assert (report.status, report.code) == ("failed", "file_too_large")
    assert "2,048 MB" in report.message
    assert selectors.table_info(table_id) is None


def test_ingest_size_limit_is_a_setting(db, tmp_path, settings):
    settings.DATASTORE_MAX_UPLOAD_BYTES = 100
    path = write_csv(tmp_path, spend_rows(10))

    _table_id, report = _load(path)

    assert report.code == "file_too_large"


def test_ingest_refuses_an_xlsx_zip_bomb_before_unpacking_it(db, tmp_path, settings):
    settings.DATASTORE_XLSX_MAX_UNCOMPRESSED_BYTES = 32 * 1024**2
    bomb = write_zip_bomb(tmp_path, unpacked_bytes=64 * 1024**2)

    _table_id, report = _load(bomb)

    assert (report.status, report.code) == ("failed", "xlsx_too_large")


def test_ingest_refuses_a_highly_compressed_xlsx_member(db, tmp_path):
    bomb = write_zip_bomb(tmp_path, unpacked_bytes=64 * 1024**2)

    _table_id, report = _load(bomb)

    assert report.code == "xlsx_too_large"


def test_ingest_refuses_an_xlsx_whose_shared_strings_unpack_past_the_limit(db, tmp_path, settings):
    settings.DATASTORE_XLSX_MAX_SHARED_STRINGS_BYTES = 64 * 1024
    path = write_shared_strings_workbook(tmp_path, strings=10_000)  # 250 KB of XML

    _table_id, report = _load(path)

    assert (report.status, report.code) == ("failed", "xlsx_too_large")
    assert "Save it as CSV" in report.message


def test_ingest_refuses_an_xlsx_whose_shared_strings_take_too_much_memory_as_they_are_read(
    db, tmp_path, settings
):
    settings.DATASTORE_XLSX_MAX_SHARED_STRINGS_BYTES = 100 * 1024
    # 60 KB of XML, within the limit, but as 3,000 Python strings about 180 KB.
    path = write_shared_strings_workbook(tmp_path, strings=3_000, length=4)

    _table_id, report = _load(path)

    assert (report.status, report.code) == ("failed", "xlsx_too_large")


def test_ingest_reads_an_xlsx_whose_shared_strings_are_within_the_limit(db, tmp_path, settings):
    settings.DATASTORE_XLSX_MAX_SHARED_STRINGS_BYTES = 100 * 1024
    path = write_shared_strings_workbook(tmp_path, strings=500, length=4, rows=20)

    table_id, report = _load(path)

    assert report.ok, report.message
    assert report.rows == 20
    first = selectors.search(table_id).records[0]
    assert (first["0000"], first["0004"]) == ("0005", "0009")


def test_ingest_leaves_no_workbook_in_memory_when_it_ends(db, tmp_path):
    import gc

    import openpyxl

    path = write_xlsx(tmp_path, [["2024-01-01", "Acme", 1.5, 1, True]] * 10)
    gc.collect()
    gc.disable()  # as a worker between automatic collections
    try:
        _table_id, report = _load(path)
        workbooks = [item for item in gc.get_objects() if isinstance(item, openpyxl.Workbook)]
    finally:
        gc.enable()

    assert report.ok
    assert workbooks == []


def test_ingest_reads_an_xlsx_spreadsheet(db, tmp_path):
    import datetime as dt

    path = write_xlsx(tmp_path, [[dt.datetime(2024, 3, 1), "Acme", 12.5, 3, True]] * 4)

    table_id, report = _load(path)

    assert report.ok and report.format == "xlsx"
    assert {c["id"]: c["type"] for c in selectors.table_info(table_id).columns} == {
        "Transaction date": "date",
        "Supplier": "text",
        "Net amount": "decimal",
        "Invoice count": "integer",
        "Paid": "boolean",
    }


def test_ingest_reads_tab_separated_files(db, tmp_path):
    path = write_csv(tmp_path, spend_rows(3), delimiter="\t", name="spend.tsv")

    _table_id, report = _load(path)

    assert (report.format, report.rows) == ("tsv", 3)


def test_ingest_tells_tsv_from_csv_by_content_when_the_name_does_not(db, tmp_path):
    path = write_csv(tmp_path, spend_rows(3), delimiter="\t", name="download")

    _table_id, report = _load(path)

    assert report.format == "tsv"


def test_ingest_refuses_a_format_it_cannot_read(db, tmp_path):
    path = write_csv(tmp_path, spend_rows(3))

    _table_id, report = _load(path, format="pdf")

    assert report.code == "unsupported_format"


def test_ingest_removes_nul_characters(db, tmp_path):
    path = tmp_path / "nul.csv"
    path.write_bytes(b"name\r\nA\x00B\r\n")

    table_id, _report = _load(path)

    assert selectors.search(table_id).records[0]["name"] == "AB"


@pytest.mark.parametrize("columns", [3, 600])
def test_ingest_limits_the_number_of_columns(db, tmp_path, settings, columns):
    settings.DATASTORE_MAX_COLUMNS = 500
    path = write_csv(tmp_path, [["1"] * columns], header=[f"c{n}" for n in range(columns)])

    _table_id, report = _load(path)

    assert report.ok is (columns <= 500)


def test_ingest_keeps_tabs_newlines_and_backslashes_in_text(db, tmp_path):
    awkward = ["a\tb", "line one\nline two", "C:\\temp\\N", "\\N", "cr\rhere"]
    path = write_csv(tmp_path, [[value] for value in awkward], header=["text"])

    table_id, report = _load(path)

    assert report.ok
    assert [r["text"] for r in selectors.search(table_id).records] == awkward


def test_ingest_refuses_a_quote_left_open_that_swallows_the_rest_of_the_file(make_table, tmp_path):
    first = make_table(rows=spend_rows(10))
    path = write_csv(tmp_path, spend_rows(60_000), name="big.csv")
    with path.open("ab") as handle:
        handle.write(b'2024-01-01,Acme Ltd,1.00,1,"unterminated\n' + b"x" * 200_000 + b"\n")

    report = services.ingest_file(
        owner=OWNER, table_id=first.id, path=str(path), filename="big.csv"
    )

    assert (report.status, report.code) == ("failed", "unreadable_row")
    assert report.message.startswith("Row 60002 ")
    assert selectors.table_info(first.id).row_count == 10
