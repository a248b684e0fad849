"""How a load is carried out: Arrow's columnar reader and Python's row reader give the same
table, a file the columnar reader cannot take is read again row by row, the reading thread
speaks the publisher's language, and scratch files never outlive a load."""

import os
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager

import pytest
from django.db import connection, transaction
from django.utils import translation

from townhall.datastore import _ingest, _readers, selectors, services

from .factories import OWNER

pytestmark = pytest.mark.django_db(transaction=True)

FILES = {
    "quoted commas, quotes and newlines": (
        'name,note,amount\r\n"Smith, J","said ""hello""\nthen left",12.50\r\nLee,plain,3\r\n'
    ),
    "a blank row of commas and a blank line": "name,count\na,1\n,\n\nb,2\n",
    "trailing blank headers and a stray cell": "name,count,,\na,1,,\nb,2,,oops\nc,3,,\n",
    "cells that need the slow path": (
        'day,amount,paid,code\n14/12/2024,"£1,234.50",Yes,007\n2024-12-15, 12 ,no,010\n'
    ),
    "a cell past the sample that widens the type": (
        "n\n" + "".join(f"{n}\n" for n in range(60)) + "x\n"
    ),
    "rows of white space, and white space past the header": "a,b,\n  ,  ,\n1,2,  \n3,4,\n",
    "a byte order mark and Welsh text": "\ufeffenw,rhif\nCaerdydd,1\nAberystwyth,2\n",
    "one column with blank lines": "word\nalpha\n\nbeta\n",
    "whitespace kept in text, dropped in numbers": "label,n\n  padded  , 7 \n",
}


def _load(path, **options):
    table_id = uuid.uuid4()
    report = services.ingest_file(
        owner=OWNER, table_id=table_id, path=str(path), filename=path.name, **options
    )
    return table_id, report


def _rows_only(monkeypatch):
    opened = _readers.open_source
    monkeypatch.setattr(
        _readers,
        "open_source",
        lambda path, format, *, encoding=None, columnar=True: opened(
            path, format, encoding=encoding, columnar=False
        ),
    )


def _table(table_id, report):
    return {
        "records": selectors.search(table_id, limit=1000).records,
        "rows": report.rows,
        "blank_rows": report.blank_rows,
        "problems": report.problems,
        "columns": report.columns,
    }


@pytest.mark.parametrize("content", FILES.values(), ids=FILES.keys())
def test_the_columnar_and_row_readers_load_the_same_table(tmp_path, monkeypatch, content):
    monkeypatch.setattr(_ingest, "SAMPLE_ROWS", 20)  # so a later cell can widen a type
    read_in_columns = []
    column_batches = _ingest._Loader._column_batches

    def spy(loader, *args):
        read_in_columns.append(True)
        return column_batches(loader, *args)

    monkeypatch.setattr(_ingest._Loader, "_column_batches", spy)
    path = tmp_path / "table.csv"
    path.write_bytes(content.encode())

    columnar = _table(*_load(path))
    assert read_in_columns
    read_in_columns.clear()
    _rows_only(monkeypatch)
    rows = _table(*_load(path))
    assert not read_in_columns

    assert columnar == rows
    assert columnar["rows"] > 0


def test_a_file_the_columnar_reader_cannot_take_is_read_again_row_by_row(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("name,count\na,1\nb\nc,3\n")

    table_id, report = _load(path)

    assert report.ok
    assert report.passes == 2
    assert [(p["row"], p["code"]) for p in report.problems] == [(3, "missing-cell")]
    assert [r["count"] for r in selectors.search(table_id).records] == [1, None, 3]


def test_messages_from_the_reading_thread_are_in_the_publishers_language(tmp_path):
    path = tmp_path / "amounts.csv"
    path.write_text("amount\n12\nlots\n")

    with translation.override("cy"):
        _, report = _load(path, type_overrides={"amount": "integer"})
        expected = translation.gettext(
            "“%(value)s” in row %(row)s is not %(type)s. The cell is empty in the table; "
            "the original file keeps it as written."
        ) % {"value": "lots", "row": 3, "type": translation.gettext("a whole number")}

    assert report.problems[0]["message"] == expected
    assert "row 3" not in expected


def test_a_load_that_fails_while_writing_stops_its_reading_threads(tmp_path):
    path = tmp_path / "numbers.csv"
    path.write_text("n\n" + "".join(f"{n}\n" for n in range(200_000)))

    def progress_fails(done, total):
        raise RuntimeError("the progress record could not be saved")

    with pytest.raises(RuntimeError) as failure:  # held, as a task runner's report would
        services.ingest_file(
            owner=OWNER,
            table_id=uuid.uuid4(),
            path=str(path),
            filename="n.csv",
            on_progress=progress_fails,
        )

    assert failure.value.__traceback__ is not None
    assert not [t for t in threading.enumerate() if t.name == "townhall-ingest-reader"]


@pytest.fixture
def scratch_folder(tmp_path, monkeypatch):
    """Where SQLite's scratch files go for the tests' in-memory database."""
    if connection.vendor != "sqlite":
        pytest.skip("only SQLite loads through scratch files")
    folder = tmp_path / "scratch"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_no_scratch_file_outlives_a_load_that_succeeds_or_fails(tmp_path, scratch_folder, settings):
    path = tmp_path / "numbers.csv"
    path.write_text("n\n" + "".join(f"{n}\n" for n in range(300_000)))

    assert _load(path)[1].ok
    settings.DATASTORE_MAX_ROWS = 200_000
    assert _load(path)[1].code == "too_many_rows"

    assert list(scratch_folder.iterdir()) == []


def test_scratch_files_left_by_a_killed_load_are_removed_by_the_next_load(tmp_path, scratch_folder):
    stale = scratch_folder / ".townhall-load-killed.sqlite3"
    recent = scratch_folder / ".townhall-load-running.sqlite3"
    for left in (stale, recent):
        left.write_bytes(b"left behind")
    a_day_ago = time.time() - 24 * 3600
    os.utime(stale, (a_day_ago, a_day_ago))
    path = tmp_path / "numbers.csv"
    path.write_text("n\n1\n2\n")

    assert _load(path)[1].ok

    assert not stale.exists()
    assert recent.exists()


@pytest.mark.parametrize("hold", ["atomic", "autocommit off"])
def test_a_load_inside_a_callers_transaction_leaves_its_commit_durable(tmp_path, hold):
    if connection.vendor != "postgresql":
        pytest.skip("synchronous_commit is PostgreSQL's")
    path = tmp_path / "numbers.csv"
    path.write_text("n\n1\n2\n")

    with _callers_transaction(hold), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO on")  # the test server runs without
        assert _load(path)[1].ok
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"


@contextmanager
def _callers_transaction(hold: str):
    if hold == "atomic":
        with transaction.atomic():
            yield
        return
    transaction.set_autocommit(False)
    try:
        yield
    finally:
        transaction.rollback()
        transaction.set_autocommit(True)
