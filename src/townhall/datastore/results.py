"""The values the DataStore's services and selectors return. Plain dataclasses, no models."""

import uuid
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from typing import Any


@dataclass
class IngestReport:
    """What one load did: rows, columns with their inferred and final types, problems by row.

    `problems` holds at most DATASTORE_MAX_REPORTED_PROBLEMS entries
    {row, column, code, message} (row 1 is the header row), with the cell's text as written
    under `value` for a type-error (the cell itself is stored empty, ADR 0036);
    `problem_counts` counts them all by code and `column_problem_counts` by column. Codes follow Frictionless's error vocabulary: blank-header, duplicate-label,
    missing-cell, extra-cell, type-error. `status` is "ok" or "failed"; a failed report's
    `message` says why for a person and `code` says it for a program. A load asked to hold
    a table with problems reports "held" until released ("ok") or "discarded" (ADR 0037).
    """

    table_id: str
    filename: str
    status: str = "running"
    message: str = ""
    code: str = ""
    format: str = ""
    encoding: str | None = None
    delimiter: str | None = None
    rows: int = 0
    blank_rows: int = 0
    columns: list[dict[str, Any]] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    problem_counts: dict[str, int] = field(default_factory=dict)
    column_problem_counts: dict[str, int] = field(default_factory=dict)
    problems_truncated: bool = False
    passes: int = 0
    duration_seconds: float = 0.0
    started_at: str = ""
    finished_at: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def row_count(self) -> int:
        return self.rows

    @property
    def problem_total(self) -> int:
        """How many problems the load found, listed or not."""
        return sum(self.problem_counts.values())

    @property
    def emptied_cells(self) -> int:
        """How many cells did not fit their column's type and are stored empty."""
        return self.problem_counts.get("type-error", 0)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "IngestReport":
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})


@dataclass(frozen=True)
class TableInfo:
    """A served table: columns [{id, type, label}], cached row count and its last load."""

    id: uuid.UUID
    columns: list[dict[str, str]]
    row_count: int
    updated_at: datetime
    last_report: IngestReport | None
    full_text: bool

    @property
    def fields(self) -> list[dict[str, str]]:
        """The columns as CKAN names them: `_id` first, then each {id, type}."""
        return [{"id": "_id", "type": "integer"}] + [
            {"id": column["id"], "type": column["type"]} for column in self.columns
        ]


@dataclass(frozen=True)
class Filter:
    """One condition: `column op value`. Ops: eq ne lt lte gt gte in contains isnull.

    For `in` the value is a list; for `isnull` a boolean (true: the cell is empty).
    """

    column: str
    op: str = "eq"
    value: Any = None


@dataclass(frozen=True)
class SearchPage:
    """One page of rows. `total` is None when not asked for or too slow to count, and the
    planner's estimate when `total_was_estimated`; `next_cursor` is None on the last page."""

    fields: list[dict[str, str]]
    records: list[dict[str, Any]]
    total: int | None
    next_cursor: str | None
    total_was_estimated: bool = False


@dataclass(frozen=True)
class FacetValue:
    value: Any
    count: int


@dataclass(frozen=True)
class Facet:
    """The most frequent values of a column. `complete` is False when the time ran out."""

    column: str
    values: list[FacetValue]
    complete: bool


@dataclass(frozen=True)
class SqlResult:
    fields: list[dict[str, str]]
    records: list[dict[str, Any]]
    truncated: bool


@dataclass(frozen=True)
class Group:
    """One group of a grouped query: its `key` (a category's value, or the first day of a
    period, as a date), the aggregate's `value`, and how many `rows` it gathers."""

    key: Any
    value: Any
    rows: int


@dataclass(frozen=True)
class GroupedResult:
    """The aggregate of a measure per group, over every matching row.

    `groups` are the top `limit` categories by value (largest first), or every period in
    date order. `other` gathers the rest of the categories (`other_groups` of them), None
    when there are none. `truncated` says periods were left off past the most allowed.
    """

    group_by: str
    period: str | None
    function: str
    measure: str | None
    groups: list[Group]
    other: Group | None
    other_groups: int
    truncated: bool
