"""Column types: inferred from the cells, checked on every row, overridable by the publisher."""

import datetime as dt
from decimal import Decimal

import pytest

from townhall.datastore import selectors

from .factories import OWNER, SPEND_HEADER, spend_rows

# Loads run here as the background task runs them, outside a transaction, so they go
# through the bulk writer; tests elsewhere load inside one and cover the other path.
pytestmark = pytest.mark.django_db(transaction=True)


def _types(info) -> dict[str, str]:
    return {column["id"]: column["type"] for column in info.columns}


def test_ingest_infers_each_type_from_the_cells(make_table):
    info = make_table()

    assert _types(info) == {
        "Transaction date": "date",
        "Supplier": "text",
        "Net amount": "decimal",
        "Invoice count": "integer",
        "Paid": "boolean",
    }


def test_ingest_reads_values_as_their_types(make_table):
    info = make_table(rows=spend_rows(2))

    first = selectors.search(info.id, limit=1).records[0]

    assert first == {
        "_id": 1,
        "Transaction date": dt.date(2024, 1, 1),
        "Supplier": "Acme Ltd",
        "Net amount": Decimal("500.00"),
        "Invoice count": 0,
        "Paid": False,
    }


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["1", "-20", ""], "integer"),
        (["1", "2.5"], "decimal"),
        (["£1,234.50", "£7"], "decimal"),
        (["007", "8"], "text"),
        (["2024-01-31", "31/01/2024", "5 Feb 2024"], "date"),
        (["2024-01-31", "2024-01-31 10:15"], "datetime"),
        (["2024-01-31T10:15:00Z"], "datetime"),
        (["yes", "No", "TRUE"], "boolean"),
        (["1", "x"], "text"),
        (["", ""], "text"),
    ],
)
def test_ingest_infers_the_narrowest_type_that_holds_every_cell(make_table, cells, expected):
    info = make_table(header=["value"], rows=[[cell] for cell in cells])

    assert _types(info) == {"value": expected}


def test_ingest_reads_uk_dates_as_day_month_year(make_table):
    info = make_table(header=["when"], rows=[["03/04/2024"], ["5 Feb 2024"]])

    records = selectors.search(info.id, sort="when").records

    assert [r["when"] for r in records] == [dt.date(2024, 2, 5), dt.date(2024, 4, 3)]


def test_ingest_keeps_the_type_a_publisher_chose(make_table):
    info = make_table(
        header=["code", "amount"],
        rows=[["01", "3"], ["02", "4"]],
        type_overrides={"code": "text", "amount": "numeric"},
    )

    assert _types(info) == {"code": "text", "amount": "decimal"}
    assert [c["inferred_type"] for c in info.last_report.columns] == [None, None]
    assert selectors.search(info.id).records[0]["code"] == "01"


def test_ingest_reports_cells_that_do_not_fit_a_chosen_type_and_keeps_the_row(make_table):
    info = make_table(
        header=["name", "amount"],
        rows=[["a", "10"], ["b", "ten"], ["c", "12"]],
        type_overrides={"amount": "integer"},
    )

    report = info.last_report
    assert report.rows == 3
    assert report.problems == [
        {
            "row": 3,
            "column": "amount",
            "code": "type-error",
            "message": "“ten” in row 3 is not a whole number. The cell is empty in the table; "
            "the original file keeps it as written.",
            "value": "ten",
        }
    ]
    assert report.column_problem_counts == {"amount": 1}
    assert [r["amount"] for r in selectors.search(info.id).records] == [10, None, 12]


def test_ingest_widens_an_inferred_type_when_a_later_row_contradicts_it(make_table):
    rows = [[str(n)] for n in range(10_050)] + [["12.5"], ["not a number"]]
    info = make_table(header=["value"], rows=rows)

    report = info.last_report
    assert _types(info) == {"value": "decimal"}
    assert report.passes == 2
    assert report.rows == 10_052
    assert [(p["row"], p["value"]) for p in report.problems] == [(10_053, "not a number")]


def test_ingest_widens_an_inferred_type_to_text_when_many_later_cells_do_not_fit(make_table):
    rows = [[str(n)] for n in range(10_050)] + [[f"code {n}"] for n in range(300)]
    info = make_table(header=["value"], rows=rows)

    assert _types(info) == {"value": "text"}
    assert info.last_report.problems == []


def test_ingest_keeps_a_money_column_typed_when_one_cell_in_ten_thousand_is_not_money(make_table):
    rows = [[f"£{n:,}.50"] for n in range(1_000, 11_000)]
    rows[5_000] = ["see note"]
    info = make_table(header=["amount"], rows=rows)

    report = info.last_report
    assert _types(info) == {"amount": "decimal"}
    assert report.problems == [
        {
            "row": 5_002,
            "column": "amount",
            "code": "type-error",
            "message": "“see note” in row 5002 is not a number or amount of money. The cell is "
            "empty in the table; the original file keeps it as written.",
            "value": "see note",
        }
    ]
    assert report.column_problem_counts == {"amount": 1}
    page = selectors.search(info.id, filters=[("amount", "isnull", True)])
    assert page.total == 1


@pytest.mark.parametrize(
    ("written", "amount"),
    [
        ("-£120.00", "-120.00"),
        ("£-120.00", "-120.00"),
        ("(120.00)", "-120.00"),
        ("(£120.00)", "-120.00"),
        ("-120", "-120.00"),
        ("£1,250.00", "1250.00"),
        ("1,250", "1250.00"),
        ("- £120.00", "-120.00"),
        ("£ -120.00", "-120.00"),
        ("( £ 45.50 )", "-45.50"),
        ("£ 1,250.00", "1250.00"),
    ],
)
def test_ingest_reads_money_in_every_common_form(make_table, written, amount):
    info = make_table(header=["amount"], rows=[["£10.00"], [written]])

    assert _types(info) == {"amount": "decimal"}
    assert selectors.search(info.id).records[1]["amount"] == Decimal(amount)
    assert info.last_report.problems == []


@pytest.mark.parametrize("written", ["--120", "(-120.00)", "-£-120", "£1,25.00", "(120.00", "12)"])
def test_ingest_does_not_read_malformed_money(written):
    from townhall.datastore import _types

    assert _types.kind_of(written) == _types.TEXT
    with pytest.raises(ValueError):
        _types.converter(_types.DECIMAL, strict=False)(written)


def test_ingest_batch_check_reads_money_exactly_as_the_cell_by_cell_path_does():
    import pyarrow as pa

    from townhall.datastore import _types

    forms = ["-£120.00", "£-120.00", "(120.00)", "(£120.00)", "( £ 45.50 )", "- £7.25"]
    forms += ["£ -1", "1,250", "£0.50", "12.", ".5", "(.5)", "007.5", "1,25", "--1", "(-1)"]
    forms += ["£", "-£-1", "£\t5", "(1", "1)", "£1,250.00"]
    common = pa.array(["-£120.00", "£-120.00", "(£1,120.00)", "£ 5", None])
    assert _types.convert_batch(_types.DECIMAL, True, common).to_pylist() == [
        "-120.00",
        "-120.00",
        "-1120.00",
        "5",
        None,
    ]
    for strict in (True, False):
        convert = _types.converter(_types.DECIMAL, strict=strict)
        for written in forms:
            batch = _types.convert_batch(_types.DECIMAL, strict, pa.array([written]))
            if batch is not None:
                assert batch.to_pylist() == [convert(written)], written


def test_ingest_reports_an_impossible_date_without_making_the_column_text(make_table):
    rows = [["01/10/2023"], ["2023-10-02"], ["1 Oct 2023"], ["31/02/2023"], ["15/11/2023"]]
    info = make_table(header=["when"], rows=rows)

    report = info.last_report
    assert _types(info) == {"when": "date"}
    assert [(p["row"], p["column"], p["value"]) for p in report.problems] == [
        (5, "when", "31/02/2023")
    ]
    assert [r["when"] for r in selectors.search(info.id).records] == [
        dt.date(2023, 10, 1),
        dt.date(2023, 10, 2),
        dt.date(2023, 10, 1),
        None,
        dt.date(2023, 11, 15),
    ]


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        ({"decimal": 98, "text": 2}, "decimal"),
        ({"decimal": 97, "text": 3}, "text"),
        ({"integer": 9_999, "decimal": 1}, "decimal"),
        ({"date": 4, "impossible date": 1}, "date"),
        ({"date": 1, "impossible date": 1}, "text"),
        ({"date": 3, "impossible date": 1, "text": 1}, "text"),
        ({}, "text"),
    ],
)
def test_ingest_chooses_the_type_most_cells_fit(kinds, expected):
    from townhall.datastore import _types

    assert _types.choose(kinds) == expected


def test_ingest_widens_integer_to_decimal_without_losing_a_row(make_table):
    rows = [[str(n)] for n in range(10_050)] + [["0.5"]]
    info = make_table(header=["value"], rows=rows)

    assert _types(info) == {"value": "decimal"}
    page = selectors.search(info.id, filters=[("value", "eq", "0.5")])
    assert page.total == 1


def test_ingest_refuses_an_unknown_type_or_column_in_the_overrides(make_table, tmp_path):
    from townhall.datastore import services

    from .factories import write_csv

    path = write_csv(tmp_path, spend_rows(2))
    unknown_type = services.ingest_file(
        owner=OWNER,
        table_id="9a3c1a4e-0000-4000-8000-000000000001",
        path=str(path),
        filename="spend.csv",
        type_overrides={"Supplier": "money"},
    )
    unknown_column = services.ingest_file(
        owner=OWNER,
        table_id="9a3c1a4e-0000-4000-8000-000000000001",
        path=str(path),
        filename="spend.csv",
        type_overrides={"Vendor": "text"},
    )

    assert (unknown_type.status, unknown_type.code) == ("failed", "unknown_type")
    assert (unknown_column.status, unknown_column.code) == ("failed", "unknown_column")
    assert "Vendor" in unknown_column.message


def test_ingest_report_lists_columns_with_inferred_and_final_types(make_table):
    info = make_table(type_overrides={"Invoice count": "text"})

    columns = {c["id"]: c for c in info.last_report.columns}
    assert columns["Invoice count"]["type"] == "text"
    assert columns["Net amount"] == {
        "id": "Net amount",
        "label": "Net amount",
        "inferred_type": "decimal",
        "type": "decimal",
        "indexed": True,
    }
    assert [c["id"] for c in info.columns] == SPEND_HEADER


def test_ingest_reports_iso_dates_that_no_calendar_has_in_a_chosen_date_column(make_table):
    days = ["2024-02-29", "2023-02-29", "2024-04-31", "2024-02-30", "0000-01-01", "2024-12-31"]
    info = make_table(header=["day"], rows=[[day] for day in days], type_overrides={"day": "date"})

    report = info.last_report
    assert [(p["row"], p["code"]) for p in report.problems] == [
        (3, "type-error"),
        (4, "type-error"),
        (5, "type-error"),
        (6, "type-error"),
    ]
    assert [r["day"] for r in selectors.search(info.id).records] == [
        dt.date(2024, 2, 29),
        None,
        None,
        None,
        None,
        dt.date(2024, 12, 31),
    ]


def test_ingest_keeps_the_most_decimal_places_found_in_any_batch(make_table, monkeypatch):
    from townhall.datastore import _ingest

    monkeypatch.setattr(_ingest, "BATCH_ROWS", 2)
    amounts = ["1.5", "2", "3.25", "", "4.125", "5"]
    info = make_table(header=["name", "amount"], rows=[["x", amount] for amount in amounts])

    assert [r["amount"] for r in selectors.search(info.id).records] == [
        Decimal("1.500"),
        Decimal("2.000"),
        Decimal("3.250"),
        None,
        Decimal("4.125"),
        Decimal("5.000"),
    ]


def test_ingest_fits_ragged_and_blank_rows_the_same_across_batches(make_table, monkeypatch):
    from townhall.datastore import _ingest

    monkeypatch.setattr(_ingest, "BATCH_ROWS", 2)
    rows = [["a", "1"], ["", ""], ["b"], ["", ""], ["", ""], ["c", "3", ""], ["d", "4", "x"]]
    info = make_table(header=["name", "count"], rows=rows)

    report = info.last_report
    assert (report.rows, report.blank_rows) == (4, 3)
    assert [(p["row"], p["code"]) for p in report.problems] == [
        (4, "missing-cell"),
        (8, "extra-cell"),
    ]
    assert [(r["name"], r["count"]) for r in selectors.search(info.id).records] == [
        ("a", 1),
        ("b", None),
        ("c", 3),
        ("d", 4),
    ]


def test_ingest_batch_check_accepts_exactly_the_dates_on_the_calendar():
    from townhall.datastore import _types

    def on_calendar(text: str) -> bool:
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            return False
        return True

    for year in ("0000", "1900", "2000", "2023", "2024"):
        for month in range(14):
            for day in range(33):
                text = f"{year}-{month:02d}-{day:02d}"
                for strict in (True, False):
                    accepted = _types.convert_batch(_types.DATE, strict, (text,)) is not None
                    assert accepted == on_calendar(text), text
                    moment = _types.convert_batch(_types.DATETIME, strict, (f"{text} 10:00:00",))
                    assert (moment is not None) == on_calendar(text), text


def test_ingest_reads_only_ascii_digits_as_numbers(make_table):
    info = make_table(
        header=["code", "count"],
        rows=[["1٢٣", "١٢٣"], ["7", "8"]],
        type_overrides={"count": "integer"},
    )

    assert _types(info)["code"] == "text"
    assert [(p["row"], p["code"]) for p in info.last_report.problems] == [(2, "type-error")]
    assert [(r["code"], r["count"]) for r in selectors.search(info.id).records] == [
        ("1٢٣", None),
        ("7", 8),
    ]
