"""Reads about a resource's columns: its data dictionary and the preview's facets.

Selectors kept apart from `selectors.py`, which holds the catalogue's reads. The data
dictionary joins the DataStore's columns (name and type) with what the publisher wrote
about each (title, description, unit); facets count the commonest values of the table's
few-valued text columns, as Datasette's suggested facets do.
"""

import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache

from .formats import is_numeric
from .models import ColumnDescription, Resource

FACET_VALUES = 10
MAX_FACET_COLUMNS = 8
FACET_TIME_LIMIT_MS = 500
FACET_CACHE_SECONDS = 3600


@dataclass(frozen=True)
class DictionaryColumn:
    """One column of a table, with its data dictionary entry (None where there is none)."""

    id: str
    type: str
    entry: ColumnDescription | None = None

    @property
    def numeric(self) -> bool:
        return is_numeric(self.type)

    @property
    def money(self) -> bool:
        return self.entry is not None and self.entry.is_money

    @property
    def unit(self) -> str:
        return self.entry.unit if self.entry is not None else ""


@dataclass(frozen=True)
class FacetLink:
    value: str
    count: int
    query: str


@dataclass(frozen=True)
class ColumnFacet:
    column: str
    values: list[FacetLink]


def column_descriptions(resource: Resource) -> dict[str, ColumnDescription]:
    """The resource's data dictionary entries by column name."""
    return {entry.column: entry for entry in resource.column_descriptions.all()}


def column_dictionary(resource: Resource, columns: list[dict[str, Any]]) -> list[DictionaryColumn]:
    """The table's columns in order, each with its dictionary entry (blank where none).

    `columns` are the DataStore's [{id, type}]; entries for columns the table no longer
    has are left out.
    """
    entries = column_descriptions(resource)
    return [
        DictionaryColumn(
            id=column["id"], type=column.get("type", "text"), entry=entries.get(column["id"])
        )
        for column in columns
    ]


def table_facets(resource: Resource, table, state, columns: list[DictionaryColumn]):
    """The commonest values of the table's few-valued text columns among the rows the
    preview's filters match, each a link that adds "column is value" to the filters.

    A column is left out when it has more than FACET_VALUES different values, only one,
    only unique ones, or is already filtered to one value; counting shares a time limit,
    and a column not counted in time is left out too. `table` is the DataStore's
    TableInfo: counts made in time are cached until the table is loaded again.
    """
    key = (
        "opendata:facets:"
        + hashlib.sha256(
            f"{resource.pk}|{table.updated_at.isoformat()}|{state.query()}".encode()
        ).hexdigest()
    )
    found = cache.get(key)
    if found is None:
        found, complete = _count_facets(resource, state, columns)
        if complete:
            cache.set(key, found, timeout=FACET_CACHE_SECONDS)
    return found


def _count_facets(
    resource: Resource, state, columns: list[DictionaryColumn]
) -> tuple[list[ColumnFacet], bool]:
    """(the facets worth showing, whether every column was counted in time)."""
    from townhall.datastore import errors
    from townhall.datastore import selectors as datastore

    from .preview import FilterRow

    chosen = {row.column for row in state.filters if row.op == "eq"}
    candidates = [c.id for c in columns if c.type == "text" and c.id not in chosen]
    if not candidates:
        return [], True
    try:
        counted = datastore.facets(
            resource.pk,
            columns=candidates[:MAX_FACET_COLUMNS],
            filters=state.datastore_filters(),
            q=state.q or None,
            limit=FACET_VALUES + 1,
            time_limit_ms=FACET_TIME_LIMIT_MS,
        )
    except errors.DataStoreError:
        return [], False
    facets = []
    for name, facet in counted.items():
        values = [found for found in facet.values if found.value not in (None, "")]
        if not facet.complete or len(facet.values) > FACET_VALUES or len(values) < 2:
            continue
        if all(found.count == 1 for found in values):
            continue
        links = [
            FacetLink(
                value=str(found.value),
                count=found.count,
                query=state.query(
                    filters=[*state.filters, FilterRow(name, "eq", str(found.value))]
                ),
            )
            for found in values
        ]
        facets.append(ColumnFacet(column=name, values=links))
    return facets, all(facet.complete for facet in counted.values())
