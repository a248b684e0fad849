"""/api/v1/datastore: JSON shapes, `next` links, streamed downloads and error codes."""

import csv
import io
import json
from urllib.parse import urlencode

import pytest

from .factories import spend_rows


@pytest.fixture
def table(make_table, public_tables):
    return make_table(rows=spend_rows(25))


def _url(table, suffix=""):
    return f"/api/v1/datastore/{table.id}{suffix}"


def test_api_describes_a_table(client, table):
    body = client.get(_url(table)).json()

    assert body["id"] == str(table.id)
    assert body["row_count"] == 25
    assert body["fields"][:2] == [
        {"id": "_id", "type": "integer", "label": None},
        {"id": "Transaction date", "type": "date", "label": "Transaction date"},
    ]
    assert body["last_load"]["status"] == "ok"
    assert body["csv_url"].endswith(f"/api/v1/datastore/{table.id}/rows.csv")


def test_api_rows_filter_sort_and_page_with_a_next_link(client, table):
    response = client.get(
        _url(table, "/rows"),
        {
            "filter.Net amount__gte": "550",
            "sort": "-Net amount",
            "fields": "Supplier,Net amount",
            "limit": 4,
        },
    )
    body = response.json()

    assert response.status_code == 200
    assert (body["total"], body["total_was_estimated"]) == (18, False)
    assert body["fields"] == [
        {"id": "Supplier", "type": "text", "label": None},
        {"id": "Net amount", "type": "decimal", "label": None},
    ]
    assert body["records"][0] == {"Supplier": "Acme Ltd", "Net amount": "674.00"}
    following = client.get(body["next"]).json()
    assert following["records"][0]["Net amount"] == "645.00"
    assert "after=" in body["next"] and "filter.Net+amount__gte=550" in body["next"]


def test_api_rows_follow_next_to_the_end(client, table):
    seen, url = [], _url(table, "/rows?limit=10&include_total=false")
    while url:
        body = client.get(url).json()
        seen += [record["_id"] for record in body["records"]]
        url = body["next"]

    assert seen == list(range(1, 26))


def test_api_rows_take_in_and_isnull_filters(client, table):
    body = client.get(
        _url(table, "/rows"),
        {"filter.Supplier__in": "Acme Ltd,Borough Builders", "filter.Paid__isnull": "false"},
    ).json()

    assert body["total"] == 13


def test_api_rows_search_words(client, table):
    body = client.get(_url(table, "/rows"), {"q": "tyres"}).json()

    assert {record["Supplier"] for record in body["records"]} == {"Northbridge Tyres"}


@pytest.mark.parametrize("q", ["!!! ???", "😀", "%FF%FE"])
def test_api_rows_and_downloads_with_a_q_of_no_words_match_no_row(client, table, q):
    """%FF%FE is not UTF-8: Django reads it as two replacement characters, not words."""
    query = f"q={q}" if q.startswith("%") else urlencode({"q": q})

    rows = client.get(_url(table, f"/rows?{query}"))
    csv_download = client.get(_url(table, f"/rows.csv?{query}"))

    assert rows.status_code == 200
    assert (rows.json()["records"], rows.json()["total"]) == ([], 0)
    assert csv_download.status_code == 200
    assert len(b"".join(csv_download.streaming_content).decode().splitlines()) == 1


def test_api_csv_download_streams_the_filtered_table(client, table):
    response = client.get(_url(table, "/rows.csv"), {"filter.Supplier": "Acme Ltd"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 1 + 7


def test_api_json_download_is_one_document(client, table):
    response = client.get(_url(table, "/rows.json"), {"fields": "Supplier"})

    document = json.loads(b"".join(response.streaming_content))
    assert len(document["records"]) == 25


@pytest.mark.django_db(transaction=True)  # SQL runs on its own connection: committed rows only
def test_api_sql_runs_read_only_sql(client, table):
    body = client.get(
        "/api/v1/datastore/sql",
        {"sql": 'SELECT count(*) AS n FROM "{t}"'.replace("{t}", str(table.id))},
    ).json()

    assert body == {
        "fields": [{"id": "n", "type": "integer", "label": None}],
        "records": [{"n": 25}],
        "truncated": False,
    }


@pytest.mark.parametrize(
    ("suffix", "query", "status", "code"),
    [
        ("/rows", {"filter.nope": "1"}, 400, "invalid_filter"),
        ("/rows", {"filter.Invoice count__gt": "many"}, 400, "invalid_filter"),
        ("/rows", {"sort": "nope"}, 400, "invalid_sort"),
        ("/rows", {"fields": "Supplier,nope"}, 400, "invalid_field"),
        ("/rows", {"after": "forged"}, 400, "invalid_cursor"),
        ("/rows", {"limit": "100000"}, 400, "invalid_query"),
        ("/rows", {"offset": "99999999999999999999999"}, 400, "invalid_query"),
        ("/rows", {"limit": "99999999999999999999999"}, 400, "invalid_query"),
        ("/rows.csv", {"sort": "nope"}, 400, "invalid_sort"),
    ],
)
def test_api_errors_have_stable_codes(client, table, suffix, query, status, code):
    response = client.get(_url(table, suffix), query)

    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("sql", "code"),
    [("DROP TABLE x", "sql_not_allowed"), ("SELECT * FROM core_user", "table_not_found")],
)
def test_api_sql_errors_have_stable_codes(client, table, sql, code):
    response = client.get("/api/v1/datastore/sql", {"sql": sql})

    assert response.json()["error"]["code"] == code


def test_api_hides_tables_the_visibility_check_refuses(client, make_table, private_tables):
    hidden = make_table()

    for suffix in ("", "/rows", "/rows.csv", "/rows.json"):
        response = client.get(_url(hidden, suffix))
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "table_not_found"


def test_api_rows_of_a_hidden_table_answer_as_an_unknown_table_does(client, make_table, readers):
    hidden = make_table()
    readers.check = staticmethod(lambda table_id, user: table_id != hidden.id)
    unknown = "00000000-0000-4000-8000-000000000000"

    hidden_error = client.get(_url(hidden, "/rows")).json()["error"]
    unknown_error = client.get(f"/api/v1/datastore/{unknown}/rows").json()["error"]

    assert hidden_error == {**unknown_error, "details": {"id": str(hidden.id)}}
    assert unknown_error["code"] == "table_not_found"


def test_api_rows_page_reads_the_table_record_once(client, table):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(_url(table, "/rows"), {"filter.Net amount__gte": "550"})

    assert response.status_code == 200
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "datastore_table"' in q["sql"]]
    assert len(reads) == 1


def test_api_answers_404_for_an_unknown_table(client, db, public_tables):
    response = client.get("/api/v1/datastore/00000000-0000-4000-8000-000000000000")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "table_not_found"


@pytest.mark.django_db(transaction=True)
def test_api_sql_answers_503_sql_busy_when_every_place_is_taken(client, table, settings):
    from townhall.datastore import _sandbox

    settings.DATASTORE_SQL_CONCURRENCY = 1
    with _sandbox._slot():
        statement = f'SELECT count(*) AS n FROM "{table.id}"'  # noqa: S608 - a table id
        response = client.get("/api/v1/datastore/sql", {"sql": statement})

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "sql_busy"
    assert response.json()["error"]["details"] == {"retry_after_seconds": 5}
