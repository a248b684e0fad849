"""Public reads from a read replica, every write and what follows it on the primary.

With DATABASE_REPLICA_URL set (a PostgreSQL streaming standby, docs/operations.md),
settings add the database alias "replica", ReplicaRouter and ReplicaReadsMiddleware.
A request may read from the replica only when it is a GET or HEAD that follows no recent
write by the same browser; everything else (forms sent, the worker, commands, tests)
reads from the primary, as without a replica.

A standby lags its primary by a moment, so a person must never be shown the page from
before their own change: the first write in a request moves the rest of that request's
reads to the primary, and a short-lived cookie (REPLICA_STICKY_SECONDS) does the same for
the requests that follow it, such as the page a form redirects to.
"""

from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import connections

REPLICA = "replica"
PRIMARY = "default"
STICKY_COOKIE = "townhall_primary"


@dataclass
class _Request:
    replica: bool
    wrote: bool = False


#: The request being handled; None outside requests (the worker, commands): the primary.
_current: ContextVar[_Request | None] = ContextVar("townhall_replica_request", default=None)


def reading_from_replica() -> bool:
    """Whether a read now would go to the replica."""
    current = _current.get()
    return (
        current is not None
        and current.replica
        and not current.wrote
        and not connections[PRIMARY].in_atomic_block  # a service reading before it writes
    )


class ReplicaRouter:
    """Sends reads to the replica while the current request allows it; writes, and
    migrations, always to the primary."""

    def db_for_read(self, model, **hints) -> str:
        return REPLICA if reading_from_replica() else PRIMARY

    def db_for_write(self, model, **hints) -> str:
        current = _current.get()
        if current is not None:
            current.wrote = True
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # one database, copied: every row is on both

    def allow_migrate(self, db: str, app_label: str, model_name=None, **hints) -> bool:
        return db == PRIMARY


class ReplicaReadsMiddleware:
    """Lets a request read from the replica, or keeps it on the primary (see above)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        current = _Request(
            replica=request.method in ("GET", "HEAD") and STICKY_COOKIE not in request.COOKIES
        )
        token = _current.set(current)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        if current.wrote:
            response.set_cookie(
                STICKY_COOKIE,
                "1",
                max_age=settings.REPLICA_STICKY_SECONDS,
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
        return response
