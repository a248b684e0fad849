"""A load killed midway (SIGKILL, as a deploy or the out-of-memory killer does) is put right
by the worker's housekeeping: the version that was loading fails with a clear message, its
staging table goes, the published version keeps serving, and the publisher can retry."""

import csv
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from tests.opendata.factories import DatasetFactory, upload
from townhall.datastore import selectors, services
from townhall.datastore._backends import backend
from townhall.datastore._recovery import Heartbeat
from townhall.datastore.models import Ingest, Table
from townhall.opendata import services as opendata
from townhall.opendata.models import ResourceVersion

pytestmark = pytest.mark.django_db(transaction=True)

BIG_ROWS = 120_000  # Three batches of the load.
# The load, paused after its first batch (on_progress is called after each) so that the
# test kills it midway however fast or slow the machine is.
LOAD = (
    "import sys, time, django; django.setup(); "
    "from townhall.opendata.services import ingest_version; "
    "ingest_version(version_id=sys.argv[1], on_progress=lambda done, total: time.sleep(60))"
)


@pytest.fixture
def shared_database(tmp_path):
    """The URL of a database this test and a second process both use: PostgreSQL's test
    database, or, on SQLite, a file copy of the in-memory test database that this test's
    connection uses for its duration (the DataStore's own file is shared already)."""
    if connection.vendor == "postgresql":
        server = urlsplit(os.environ["DATABASE_URL"])
        yield urlunsplit(server._replace(path=f"/{connection.settings_dict['NAME']}"))
        return
    path = tmp_path / "site.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute("VACUUM main INTO %s", [str(path)])
    in_memory, name = connection.connection, connection.settings_dict["NAME"]
    connection.connection = None  # Kept open in `in_memory`, or the test database is lost.
    connection.settings_dict["NAME"] = str(path)
    try:
        yield f"sqlite:///{path}"
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name
        connection.connection = in_memory


def write_big_csv(path, rows: int) -> bytes:
    with path.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["Ward", "Year", "Households", "Recycling rate"])
        writer.writerows(
            (f"Ward {n % 97}", 2000 + n % 25, 1000 + n, f"{n % 1000 / 10:.1f}") for n in range(rows)
        )
    return path.read_bytes()


def start_load(version, database_url: str) -> subprocess.Popen:
    environment = dict(
        os.environ,
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="townhall.settings.test",
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
    )
    if connection.vendor == "sqlite":
        environment["DATASTORE_SQLITE_PATH"] = str(settings.DATASTORE_SQLITE_PATH)
    return subprocess.Popen([sys.executable, "-c", LOAD, str(version.pk)], env=environment)


def wait_for_staging(table_id: uuid.UUID, process: subprocess.Popen) -> str:
    """The staging table of the running load, once it exists and holds rows."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        assert process.poll() is None, "The load ended before it could be killed"
        staging = (
            Ingest.objects.filter(table_id=table_id, status=Ingest.Status.RUNNING)
            .exclude(staging="")
            .values_list("staging", flat=True)
            .first()
        )
        if staging and staging in backend().table_names():
            with connection.cursor() as cursor:
                cursor.execute(f'SELECT count(*) FROM "{staging}"')  # noqa: S608 - our own name
                if cursor.fetchone()[0]:
                    return staging
        time.sleep(0.02)
    raise AssertionError("The load never filled its staging table")


def test_a_load_killed_midway_fails_clearly_drops_its_staging_table_and_can_be_retried(
    shared_database, person, tmp_path, settings
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    publisher = person("data_publisher", is_staff=True)
    dataset = DatasetFactory(published=True)
    published = upload(publisher, dataset)
    resource = published.resource
    big = write_big_csv(tmp_path / "big.csv", BIG_ROWS)
    newer = upload(publisher, dataset, big, filename="big.csv", resource=resource, ingest="never")

    load = start_load(newer, shared_database)
    staging = wait_for_staging(resource.pk, load)
    os.kill(load.pid, signal.SIGKILL)
    load.wait()

    assert services.ingests_recover() >= 2  # The load failed and its staging table dropped.

    message = (
        "The load stopped before it finished (the server restarted). Nothing was published. "
        "Try again."
    )
    newer.refresh_from_db()
    assert (newer.ingest_status, newer.ingest_message) == (
        ResourceVersion.Ingest.FAILED,
        message,
    )
    assert (selectors.last_report(resource.pk).status, selectors.last_report(resource.pk).code) == (
        "failed",
        "load_stopped",
    )
    assert staging not in backend().table_names()
    assert selectors.search(resource.pk).total == 6
    resource.refresh_from_db()
    assert resource.current_version_id == published.pk

    opendata.version_ingest_retry(actor=publisher, version=newer, ingest="now")

    newer.refresh_from_db()
    assert newer.ingest_status == ResourceVersion.Ingest.DONE
    assert selectors.search(resource.pk).total == BIG_ROWS
    services.table_drop(table_id=resource.pk)


def running_ingest(**fields) -> Ingest:
    return Ingest.objects.create(
        table_id=uuid.uuid4(), filename="live.csv", started_at=timezone.now(), **fields
    )


def test_recovery_leaves_a_load_this_process_is_running_alone_but_not_one_it_is_not(db):
    ingest = running_ingest(**Heartbeat.fields())
    heartbeat = Heartbeat(ingest)
    try:
        services.ingests_recover()
        ingest.refresh_from_db()
        assert ingest.status == Ingest.Status.RUNNING
    finally:
        heartbeat.stop()

    services.ingests_recover()  # A restarted process may have the same pid.
    ingest.refresh_from_db()
    assert (ingest.status, ingest.report["code"]) == (Ingest.Status.FAILED, "load_stopped")


@pytest.mark.parametrize(("minutes_ago", "stopped"), [(1, False), (30, True)])
def test_a_load_on_another_host_is_stopped_once_its_heartbeat_is_stale(db, minutes_ago, stopped):
    ingest = running_ingest(
        host="another-host",
        pid=os.getpid(),
        heartbeat_at=timezone.now() - timedelta(minutes=minutes_ago),
    )

    services.ingests_recover()

    ingest.refresh_from_db()
    assert (ingest.status == Ingest.Status.FAILED) is stopped


def test_recovery_drops_a_staging_table_no_load_and_no_table_owns(db):
    engine = backend()
    orphan = f"ds_{uuid.uuid4().hex}_0badcafe"
    engine.create_table(orphan, [("Ward", "text")])

    services.ingests_recover()

    assert orphan not in engine.table_names()


def test_recovery_builds_the_indexes_a_stopped_load_served_its_table_without(
    make_table, public_tables
):
    table = make_table(rows=[["2024-01-02", "Café Ñandú", "510.00", "1", "yes"]])
    physical = Table.objects.get(pk=table.id).physical_name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP INDEX "{physical}_i2"')
    Table.objects.filter(pk=table.id).update(indexes_ready=False)
    Ingest.objects.filter(table_id=table.id).update(
        staging=physical, finished_at=None, heartbeat_at=None
    )

    services.ingests_recover()

    assert Table.objects.get(pk=table.id).indexes_ready
    assert f"{physical}_i2" in index_names()
    assert selectors.search(table.id, q="Ñandú").total == 1


def index_names() -> set[str]:
    catalogue = (
        "SELECT indexname FROM pg_indexes"
        if connection.vendor == "postgresql"
        else "SELECT name FROM datastore.sqlite_master WHERE type = 'index'"
    )
    with connection.cursor() as cursor:
        cursor.execute(catalogue)
        return {name for (name,) in cursor.fetchall()}
