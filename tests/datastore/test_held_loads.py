"""A load asked to hold what it found problems in is kept, loaded and indexed, unserved
until its owner releases or discards it (ADR 0037)."""

import threading
import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection

from townhall.datastore import errors, selectors, services
from townhall.datastore._backends import backend
from townhall.datastore.models import Ingest, Table

from .factories import OWNER, spend_rows, write_csv
from .test_killed_load import index_names

# Loads run outside any transaction of the test's, as in the worker.
pytestmark = pytest.mark.django_db(transaction=True)

# 100 spending rows, one of whose amounts is not money: the load reports it as a type-error.
WITH_PROBLEM = [*spend_rows(99), ["2024-03-01", "Acme Ltd", "see note", "1", "yes"]]


@pytest.fixture
def served(make_table, public_tables):
    """A table serving 20 clean spending rows."""
    return make_table(rows=spend_rows(20))


def load(table_id: uuid.UUID, folder, rows: list[list[str]], **options):
    path = write_csv(folder, rows, name=f"{uuid.uuid4()}.csv")
    return services.ingest_file(
        table_id=table_id, owner=OWNER, path=str(path), filename=path.name, **options
    )


def held_table(table_id: uuid.UUID) -> str:
    return Ingest.objects.get(table_id=table_id, status=Ingest.Status.HELD).staging


def test_a_held_load_with_problems_keeps_the_old_rows_served_and_its_own_table_indexed(
    served, tmp_path
):
    report = load(served.id, tmp_path, WITH_PROBLEM, hold=True)

    staging = held_table(served.id)
    assert report.status == "held"
    assert selectors.search(served.id).total == 20
    assert selectors.held_report(served.id).problem_counts == {"type-error": 1}
    assert staging in backend().table_names()
    assert f"{staging}_i2" in index_names()
    assert Table.objects.get(pk=served.id).physical_name != staging


def test_a_load_asked_to_hold_but_without_problems_is_served_at_once(served, tmp_path):
    report = load(served.id, tmp_path, spend_rows(4), hold=True)

    assert report.ok
    assert selectors.search(served.id).total == 4
    assert selectors.held_report(served.id) is None


def test_releasing_a_held_load_serves_it_and_drops_the_old_rows(served, tmp_path):
    load(served.id, tmp_path, WITH_PROBLEM, hold=True)
    old = Table.objects.get(pk=served.id).physical_name

    report = services.held_release(table_id=served.id)

    assert report.ok
    assert selectors.search(served.id).total == 100
    assert selectors.served_report(served.id).problem_total == 1
    assert selectors.held_report(served.id) is None
    assert old not in backend().table_names()
    assert Table.objects.get(pk=served.id).indexes_ready


def test_a_second_release_is_told_nothing_is_held_and_changes_nothing(served, tmp_path):
    load(served.id, tmp_path, WITH_PROBLEM, hold=True)
    services.held_release(table_id=served.id)
    physical = Table.objects.get(pk=served.id).physical_name

    with pytest.raises(errors.NothingHeld) as refused:
        services.held_release(table_id=served.id)

    assert refused.value.code == "nothing_held"
    assert Table.objects.get(pk=served.id).physical_name == physical
    assert selectors.search(served.id).total == 100


@pytest.mark.skipif(
    "sqlite" in settings.DATABASES["default"]["ENGINE"],
    reason="The tests' in-memory SQLite shares one cache, whose table locks do not wait; a "
    "file database takes its write lock at BEGIN IMMEDIATE, so releases queue there",
)
def test_two_releases_at_once_give_one_swap_and_one_clear_refusal(served, tmp_path):
    load(served.id, tmp_path, WITH_PROBLEM, hold=True)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def release() -> None:
        start.wait()
        try:
            services.held_release(table_id=served.id)
            outcomes.append("released")
        except errors.NothingHeld:
            outcomes.append("nothing_held")
        finally:
            connection.close()

    threads = [threading.Thread(target=release) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["nothing_held", "released"]
    assert selectors.search(served.id).total == 100


def test_discarding_a_held_load_drops_its_table_and_keeps_the_old_rows(served, tmp_path):
    load(served.id, tmp_path, WITH_PROBLEM, hold=True)
    staging = held_table(served.id)

    report = services.held_discard(table_id=served.id)

    assert report.status == "discarded"
    assert staging not in backend().table_names()
    assert selectors.search(served.id).total == 20
    with pytest.raises(errors.NothingHeld):
        services.held_release(table_id=served.id)


def test_a_newer_load_replaces_the_held_one(served, tmp_path):
    load(served.id, tmp_path, WITH_PROBLEM, hold=True)
    first = held_table(served.id)

    load(served.id, tmp_path, [*spend_rows(59), WITH_PROBLEM[-1]], hold=True)

    assert first not in backend().table_names()
    assert Ingest.objects.filter(table_id=served.id, status=Ingest.Status.HELD).count() == 1
    services.held_release(table_id=served.id)
    assert selectors.search(served.id).total == 60


def test_recovery_keeps_a_held_table_but_discards_one_a_newer_load_replaced(served, tmp_path):
    load(served.id, tmp_path, WITH_PROBLEM, hold=True)
    kept = held_table(served.id)
    services.ingests_recover()
    assert kept in backend().table_names()

    # A process stopped between serving a newer load and discarding the held one.
    held = Ingest.objects.get(staging=kept)
    Ingest.objects.filter(table_id=served.id, status=Ingest.Status.OK).update(
        started_at=held.started_at + timedelta(seconds=1)
    )
    services.ingests_recover()

    assert kept not in backend().table_names()
    assert Ingest.objects.get(pk=held.pk).status == Ingest.Status.DISCARDED
    assert selectors.search(served.id).total == 20
