"""The replica router against a real PostgreSQL streaming standby.

Run by scripts/run-tests's PostgreSQL pass under `scripts/throwaway-postgres --standby`,
which sets DATABASE_REPLICA_URL; skipped elsewhere. The standby's replay is paused while
the primary changes, so whatever a request reads shows which of the two it read.
"""

import time
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from tests.elections.factories import riverside_stations, riverside_ward
from townhall.core.replicas import STICKY_COOKIE, ReplicaReadsMiddleware
from townhall.elections.models import PollingDistrict, PollingStation

pytestmark = [
    pytest.mark.skipif(
        not getattr(settings, "DATABASE_REPLICA_URL", ""),
        reason="needs a standby: scripts/throwaway-postgres --standby",
    ),
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]


def _wait_for_the_standby(seconds: float = 20) -> None:
    """Until the standby has replayed everything the primary has committed. The insert
    position, not pg_current_wal_lsn's write position: the throwaway server commits
    with synchronous_commit off, so a commit record can still sit in the primary's WAL
    buffers, behind the write position, and a standby "caught up" to that would not yet
    show it."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_insert_lsn()")
        (position,) = cursor.fetchone()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [position])
            if cursor.fetchone()[0]:
                return
        time.sleep(0.05)
    raise AssertionError("the standby did not catch up")


@contextmanager
def standby_paused():
    """The standby stops replaying what the primary writes until the block ends."""
    _wait_for_the_standby()
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    try:
        yield
    finally:
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")


def test_the_replica_is_a_standby_and_the_primary_is_not():
    for alias, in_recovery in (("default", False), ("replica", True)):
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery()")
            assert cursor.fetchone()[0] is in_recovery


def test_a_postcode_lookup_reads_from_the_standby(client):
    riverside_ward()
    hall, _ = riverside_stations()
    url = reverse("elections:where_to_vote")

    with standby_paused():
        PollingStation.objects.filter(pk=hall.pk).update(address="Moorend Library")
        during = client.get(url, {"postcode": "NB1 1AA"}).content.decode()
    _wait_for_the_standby()
    cache.clear()  # the update went round the services, which would forget the answer
    after = client.get(url, {"postcode": "NB1 1AA"}).content.decode()

    assert "St Peter&#x27;s Hall" in during and "Moorend Library" not in during
    assert "Moorend Library" in after


def test_a_request_that_wrote_reads_its_own_write_and_so_does_the_next_request():
    def view(request):
        if request.GET.get("write"):
            PollingDistrict.objects.create(code="ZZ")
        found = PollingDistrict.objects.filter(code="ZZ").exists()
        return HttpResponse("found" if found else "missing")

    def get(query: str = "", cookies: dict | None = None):
        request = RequestFactory().get(f"/{query}")
        request.COOKIES.update(cookies or {})
        return ReplicaReadsMiddleware(view)(request)

    with standby_paused():
        wrote = get("?write=1")
        following = get(cookies={STICKY_COOKIE: "1"})
        someone_else = get()

    assert wrote.content == b"found"
    assert following.content == b"found"
    assert someone_else.content == b"missing"  # the paused standby: proof it is read
