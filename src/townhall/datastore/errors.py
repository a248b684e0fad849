"""The DataStore's errors: a stable `code` for programs, a `message` for a person.

API layers map them to their own shapes by `code` (the native API by `http_status`,
the CKAN layer to CKAN's error types), so a code, once released, never changes.
"""

from typing import Any


class DataStoreError(Exception):
    """Base of every error the DataStore raises on purpose."""

    code = "datastore_error"
    http_status = 400

    def __init__(self, message: str, details: dict[str, Any] | None = None, *, code: str = ""):
        super().__init__(message)
        self.message = str(message)
        self.details = details or {}
        if code:
            self.code = code

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": self.details}


class TableNotFound(DataStoreError):
    """No table has this id, or the asker may not see it (the two are not told apart)."""

    code = "table_not_found"
    http_status = 404


class InvalidFilter(DataStoreError):
    code = "invalid_filter"


class InvalidSort(DataStoreError):
    code = "invalid_sort"


class InvalidField(DataStoreError):
    code = "invalid_field"


class InvalidCursor(DataStoreError):
    code = "invalid_cursor"


class InvalidQuery(DataStoreError):
    """A search argument other than filters, sort, fields and cursor is out of range."""

    code = "invalid_query"


class InvalidGroupBy(DataStoreError):
    """A grouped query's `group_by` or `period` cannot be used: `details["reason"]` says why
    (unknown_column, unknown_period, period_needs_date)."""

    code = "invalid_group_by"


class InvalidAggregate(DataStoreError):
    """A grouped query's aggregate cannot be computed: `details["reason"]` says why
    (unknown_function, unknown_column, needs_measure, not_numeric)."""

    code = "invalid_aggregate"


class QueryTimeout(DataStoreError):
    code = "query_timeout"


class SqlNotAllowed(DataStoreError):
    code = "sql_not_allowed"


class SqlInvalid(DataStoreError):
    """The SQL could not be parsed or the database rejected it."""

    code = "sql_invalid"


class SqlBusy(DataStoreError):
    """Every place for a read-only SQL query on this machine is taken: try again shortly."""

    code = "sql_busy"
    http_status = 503


class SqlUnavailable(DataStoreError):
    """Read-only SQL cannot run safely here (PostgreSQL without its reader role)."""

    code = "sql_unavailable"
    http_status = 503


class NothingHeld(DataStoreError):
    """The table has no held load to release or discard: it was released, discarded or
    replaced by a newer load meanwhile."""

    code = "nothing_held"
    http_status = 409


class IngestFailed(DataStoreError):
    """A load was refused or failed; `report` says why and where. The served table is intact."""

    code = "ingest_failed"

    def __init__(self, message: str, details: dict[str, Any] | None = None, *, report=None):
        super().__init__(message, details)
        self.report = report
