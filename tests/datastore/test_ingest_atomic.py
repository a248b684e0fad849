"""A load is all or nothing: a failed load leaves the table served before intact."""

import uuid

import pytest

from townhall.core.models import TaskProgress
from townhall.datastore import selectors, services
from townhall.datastore.models import Table

from .factories import OWNER, spend_rows, write_csv, write_zip_bomb

# Loads run here as the background task runs them, outside a transaction, so they go
# through the bulk writer; tests elsewhere load inside one and cover the other path.
pytestmark = pytest.mark.django_db(transaction=True)


def test_a_failed_second_load_leaves_the_first_table_intact_and_readable(make_table, tmp_path):
    first = make_table(rows=spend_rows(30))
    bomb = write_zip_bomb(tmp_path, unpacked_bytes=64 * 1024**2)

    report = services.ingest_file(
        owner=OWNER, table_id=first.id, path=str(bomb), filename="bomb.xlsx"
    )

    assert report.status == "failed"
    info = selectors.table_info(first.id)
    assert info.row_count == 30
    assert info.columns == first.columns
    assert selectors.search(first.id, limit=5).total == 30
    assert selectors.last_report(first.id).status == "failed"


def test_a_load_that_breaks_off_midway_leaves_no_half_filled_table(make_table, tmp_path, settings):
    first = make_table(rows=spend_rows(10))
    path = write_csv(tmp_path, spend_rows(60_000), name="big.csv")
    settings.DATASTORE_MAX_ROWS = 55_000  # refused in the second batch, after the first is written

    report = services.ingest_file(
        owner=OWNER, table_id=first.id, path=str(path), filename="big.csv"
    )

    assert (report.status, report.code) == ("failed", "too_many_rows")
    assert selectors.table_info(first.id).row_count == 10
    assert selectors.search(first.id).total == 10


def test_a_successful_second_load_replaces_the_rows_and_drops_the_old_table(make_table, tmp_path):
    first = make_table(rows=spend_rows(10))
    path = write_csv(tmp_path, spend_rows(3), name="smaller.csv")

    report = services.ingest_file(
        owner=OWNER, table_id=first.id, path=str(path), filename="smaller.csv"
    )

    assert report.ok
    assert selectors.search(first.id).total == 3
    assert selectors.table_info(first.id).row_count == 3


def test_a_failed_first_load_serves_nothing_but_keeps_its_report(db, tmp_path):
    table_id = uuid.uuid4()
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")

    report = services.ingest_file(
        owner=OWNER, table_id=table_id, path=str(path), filename="empty.csv"
    )

    assert (report.status, report.code) == ("failed", "no_header")
    assert selectors.table_info(table_id) is None
    assert selectors.last_report(table_id).code == "no_header"


def test_ingest_calls_on_progress_with_rows_loaded_and_an_estimate(db, tmp_path):
    calls = []
    path = write_csv(tmp_path, spend_rows(120_000))

    services.ingest_file(
        owner=OWNER,
        table_id=uuid.uuid4(),
        path=str(path),
        filename="spend.csv",
        on_progress=lambda done, total: calls.append((done, total)),
    )

    assert calls[0] == (50_000, 120_000)
    assert calls[-1] == (120_000, 120_000)


def test_ingest_enqueue_loads_in_the_background_and_records_progress(
    db, tmp_path, django_capture_on_commit_callbacks
):
    table_id = uuid.uuid4()
    path = write_csv(tmp_path, spend_rows(25))

    with django_capture_on_commit_callbacks(execute=True):
        key = services.ingest_enqueue(
            owner=OWNER, table_id=table_id, path=str(path), filename="spend.csv"
        )

    assert key == f"datastore-ingest:{table_id}"
    progress = TaskProgress.objects.get(key=key)
    assert progress.state == TaskProgress.State.DONE
    assert selectors.table_info(table_id).row_count == 25


def test_table_drop_removes_the_table_and_its_history(make_table):
    info = make_table()

    services.table_drop(table_id=info.id)

    assert selectors.table_info(info.id) is None
    assert selectors.last_report(info.id) is None


def test_table_drop_of_an_unknown_table_says_so(db):
    from townhall.datastore.errors import TableNotFound

    try:
        services.table_drop(table_id=uuid.uuid4())
    except TableNotFound as error:
        assert error.code == "table_not_found"
    else:
        raise AssertionError("no error")


def test_a_load_serves_its_rows_before_building_the_indexes_and_searches_work_meanwhile(
    make_table, tmp_path, public_tables
):
    first = make_table(rows=spend_rows(10))
    path = write_csv(tmp_path, spend_rows(2_000), name="newer.csv")
    seen = {}

    def served(rows: int) -> None:
        info = Table.objects.get(pk=first.id)
        seen["rows"], seen["indexes_ready"] = rows, info.indexes_ready
        seen["found"] = selectors.search(first.id, q="Café Ñandú", limit=1).total

    report = services.ingest_file(
        owner=OWNER, table_id=first.id, path=str(path), filename="newer.csv", on_served=served
    )

    assert seen == {"rows": 2_000, "indexes_ready": False, "found": 500}
    assert Table.objects.get(pk=first.id).indexes_ready
    assert selectors.search(first.id, q="Café Ñandú", limit=1).total == 500
    assert all(column["indexed"] for column in report.columns)
