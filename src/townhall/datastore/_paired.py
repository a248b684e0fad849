"""Indexes on a filtered column and a sorted one together, learned from the pages people
ask for (ADR 0025).

Every column has its own index, so a page filtered on one column and sorted on another
either walks the sort column's index testing the filter row by row, or finds the filter's
rows and sorts them. A two-column index reads just the page. A table cannot have one for
every pair, so each web process counts the (filter, sort) pairs its large tables are asked
for, and the pair asked for often enough is indexed by the worker and remembered on the
table (`Table.paired_indexes`), so every later load of the table builds it too.
"""

import hashlib
import logging
import uuid
from collections import Counter
from collections.abc import Sequence

from django.db import DatabaseError, transaction

from ._backends import backend
from ._query import Sort
from .models import Table
from .results import Filter

logger = logging.getLogger(__name__)

#: Pairs counted in this process, by table, generation and pair; bounded.
_asked: Counter = Counter()
_MOST_COUNTED = 10_000


def _limit(name: str) -> int:
    from ._ingest import configured

    return configured(name)


def pair_asked(table: Table, filters: Sequence[Filter], order: Sort, q: str | None):
    """The (filter column, sort column) pair a page asks for, or None: a page sorted on one
    column with an equality filter on another, and no full-text search."""
    if not order or q:
        return None
    sorted_on = order[0][0]
    for condition in filters:
        if condition.op == "eq" and condition.column != sorted_on:
            return (condition.column, sorted_on)
    return None


def is_indexed(table: Table, pair) -> bool:
    return table.indexes_ready and list(pair) in table.paired_indexes


def note_asked(table: Table, pair) -> None:
    """Count a page that asked for `pair`; the count that reaches DATASTORE_PAIRED_INDEX_AFTER
    in this process asks the worker to index it, once."""
    most = _limit("PAIRED_INDEXES")
    if (
        not most
        or len(table.paired_indexes) >= most
        or table.row_count < _limit("PAIRED_INDEX_MIN_ROWS")
    ):
        return
    if len(_asked) > _MOST_COUNTED:
        _asked.clear()
    key = (table.pk, table.generation, pair)
    _asked[key] += 1
    if _asked[key] == _limit("PAIRED_INDEX_AFTER"):
        from .services import paired_index_task

        paired_index_task.enqueue(table_id=str(table.pk), first=pair[0], second=pair[1])


def index_name(physical_name: str, first: str, second: str) -> str:
    digest = hashlib.sha256(f"{first}\x00{second}".encode()).hexdigest()[:8]
    return f"{physical_name}_p{digest}"


def remembered(table_id: uuid.UUID, columns: Sequence[dict]) -> list[tuple[str, str]]:
    """The pairs a table has learned whose columns the new load still has."""
    names = {column["id"] for column in columns}
    learned = Table.objects.filter(pk=table_id).values_list("paired_indexes", flat=True).first()
    return [(a, b) for a, b in learned or [] if a in names and b in names]


def build(table_id: uuid.UUID, first: str, second: str) -> bool:
    """Index the pair on the served table and remember it; False when the table has gone,
    is still building its own indexes, lacks a column, already has the pair or as many
    pairs as allowed, or the database refuses. The table's row is locked meanwhile, so a
    load does not swap in a new table half way."""
    with transaction.atomic():
        table = Table.objects.select_for_update().filter(pk=table_id).first()
        names = {column["id"] for column in table.columns} if table else set()
        if (
            table is None
            or not table.indexes_ready
            or not {first, second} <= names
            or [first, second] in table.paired_indexes
            or len(table.paired_indexes) >= _limit("PAIRED_INDEXES")
        ):
            return False
        engine = backend()
        name = index_name(table.physical_name, first, second)
        try:
            built = engine.create_paired_index(table.physical_name, name, first, second)
        except DatabaseError:
            logger.exception("Could not index %s and %s of %s", first, second, table_id)
            return False
        if built:
            engine.analyse_index(table.physical_name, name)
            table.paired_indexes = [*table.paired_indexes, [first, second]]
            table.save(update_fields=["paired_indexes"])
        return built
