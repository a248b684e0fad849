"""Streamed CSV and JSON downloads of a whole or filtered table."""

import csv
import io
import json

import pytest

from townhall.datastore import selectors
from townhall.datastore.errors import InvalidFilter


@pytest.fixture
def table(make_table):
    return make_table(
        header=["text", "amount", "paid"],
        rows=[
            ['=HYPERLINK("http://evil")', "-5.5", "yes"],
            ["+1+2", "3", "no"],
            ["-2", "", ""],
            ["@SUM(A1)", "1", "yes"],
            ["\tTab", "2", "yes"],
            ["plain", "7", "no"],
        ],
        type_overrides={"text": "text"},
    )


def test_csv_download_neutralises_formulas_in_text_cells_only(table):
    rows = list(csv.reader(io.StringIO("".join(selectors.stream_csv(table.id)))))

    assert rows[0] == ["_id", "text", "amount", "paid"]
    assert [row[1] for row in rows[1:]] == [
        '\'=HYPERLINK("http://evil")',
        "'+1+2",
        "'-2",
        "'@SUM(A1)",
        "'\tTab",
        "plain",
    ]
    assert rows[1][2:] == ["-5.5", "true"]
    assert rows[3][2:] == ["", ""]


def test_csv_download_honours_filters_sort_and_fields(table):
    text = "".join(
        selectors.stream_csv(table.id, filters={"paid": True}, sort="-amount", fields=["amount"])
    )

    assert text.splitlines() == ["amount", "2.0", "1.0", "-5.5"]


def test_json_download_is_one_document_with_fields_and_records(table):
    document = json.loads("".join(selectors.stream_json(table.id, fields=["text", "amount"])))

    assert document["fields"] == [
        {"id": "text", "type": "text"},
        {"id": "amount", "type": "decimal"},
    ]
    assert len(document["records"]) == 6
    assert document["records"][5] == {"text": "plain", "amount": "7.0"}


def test_downloads_check_their_arguments_before_the_first_byte(table):
    with pytest.raises(InvalidFilter):
        selectors.stream_csv(table.id, filters={"nope": 1})
    with pytest.raises(InvalidFilter):
        selectors.stream_json(table.id, filters={"nope": 1})


def test_a_large_download_streams_in_many_chunks(make_table):
    from .factories import spend_rows

    info = make_table(rows=spend_rows(3000))

    chunks = list(selectors.stream_csv(info.id))

    assert len(chunks) > 5
    assert sum(chunk.count("\n") for chunk in chunks) == 3001
