"""The read replica router: which database each read of a request goes to.

These run without a replica (the router's choice is the same whether or not one is
configured); tests/core/test_replica_standby.py runs the same rules against a real
PostgreSQL standby.
"""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from townhall.core.replicas import (
    STICKY_COOKIE,
    ReplicaReadsMiddleware,
    ReplicaRouter,
    reading_from_replica,
)

router = ReplicaRouter()


def _handle(method: str, *, writes: bool = False, cookies: dict | None = None):
    """Run a request through the middleware; return the databases its reads went to
    (before and after any write) and the response."""
    seen = []

    def view(request):
        seen.append(router.db_for_read(None))
        if writes:
            assert router.db_for_write(None) == "default"
            seen.append(router.db_for_read(None))
        return HttpResponse("ok")

    request = getattr(RequestFactory(), method.lower())("/elections/where-to-vote/")
    request.COOKIES.update(cookies or {})
    response = ReplicaReadsMiddleware(view)(request)
    return seen, response


def test_outside_a_request_every_read_goes_to_the_primary():
    assert router.db_for_read(None) == "default"
    assert not reading_from_replica()


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_public_read_goes_to_the_replica(method):
    seen, response = _handle(method)

    assert seen == ["replica"]
    assert STICKY_COOKIE not in response.cookies


def test_a_form_sent_reads_from_the_primary():
    seen, _ = _handle("POST")

    assert seen == ["default"]


def test_after_a_write_the_rest_of_the_request_reads_from_the_primary_and_so_does_the_next():
    seen, response = _handle("GET", writes=True)

    assert seen == ["replica", "default"]
    assert response.cookies[STICKY_COOKIE]["max-age"] == 15
    assert response.cookies[STICKY_COOKIE]["httponly"]


def test_a_post_that_wrote_keeps_the_page_it_redirects_to_on_the_primary():
    _, response = _handle("POST", writes=True)
    seen, _ = _handle("GET", cookies={STICKY_COOKIE: "1"})

    assert STICKY_COOKIE in response.cookies
    assert seen == ["default"]


def test_only_the_primary_is_migrated():
    assert router.allow_migrate("default", "elections")
    assert not router.allow_migrate("replica", "elections")
