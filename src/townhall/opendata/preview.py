"""The resource preview's state, read from the page's query string.

The preview works without JavaScript, so everything a person chooses (filters, sort,
page, chart) lives in GET parameters: filters are repeated triples `col`, `op`, `val`;
`sort` is a column name, `-` in front for descending; `after` is the DataStore's keyset
cursor for the next page and `page` the page's number (previous pages use offsets).
"""

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.utils.translation import gettext_lazy as _

PAGE_SIZE = 50
MAX_FILTERS = 10
MAX_PAGE = 100_000

OPERATORS = (
    ("eq", _("is")),
    ("ne", _("is not")),
    ("contains", _("contains")),
    ("lt", _("is less than")),
    ("lte", _("is at most")),
    ("gt", _("is more than")),
    ("gte", _("is at least")),
    ("in", _("is one of (separate with commas)")),
    ("isnull", _("is empty (yes or no)")),
)
OPERATOR_NAMES = dict(OPERATORS)


@dataclass(frozen=True)
class FilterRow:
    column: str
    op: str
    value: str

    def as_datastore(self) -> dict[str, Any]:
        """This filter as the DataStore's {column, op, value}."""
        if self.op == "in":
            return {
                "column": self.column,
                "op": "in",
                "value": [part.strip() for part in self.value.split(",") if part.strip()],
            }
        if self.op == "isnull":
            return {
                "column": self.column,
                "op": "isnull",
                "value": self.value.strip().lower() not in ("no", "false", "0", "n"),
            }
        return {"column": self.column, "op": self.op, "value": self.value}


@dataclass
class PreviewState:
    filters: list[FilterRow] = field(default_factory=list)
    sort_column: str = ""
    descending: bool = False
    after: str = ""
    page: int = 1
    q: str = ""

    @property
    def offset(self) -> int:
        return (self.page - 1) * PAGE_SIZE

    def datastore_filters(self) -> list[dict[str, Any]]:
        return [row.as_datastore() for row in self.filters]

    def datastore_sort(self) -> list[str]:
        if not self.sort_column:
            return []
        return [f"{self.sort_column} {'desc' if self.descending else 'asc'}"]

    def params(self, **changes: Any) -> list[tuple[str, str]]:
        """The query string of this state with some parts changed (for links)."""
        filters = changes.get("filters", self.filters)
        sort_column = changes.get("sort_column", self.sort_column)
        descending = changes.get("descending", self.descending)
        params: list[tuple[str, str]] = []
        for row in filters:
            params += [("col", row.column), ("op", row.op), ("val", row.value)]
        q = changes.get("q", self.q)
        if q:
            params.append(("q", q))
        if sort_column:
            params.append(("sort", f"{'-' if descending else ''}{sort_column}"))
        page = changes.get("page", 1)
        if page > 1:
            params.append(("page", str(page)))
        after = changes.get("after", "")
        if after:
            params.append(("after", after))
        return params

    def query(self, **changes: Any) -> str:
        params = self.params(**changes)
        return "?" + urlencode(params) if params else "?"

    def sort_link(self, column: str) -> str:
        """The link on a column's header: sort by it ascending, or flip it when already sorted."""
        descending = column == self.sort_column and not self.descending
        return self.query(sort_column=column, descending=descending)

    def without_filter(self, index: int) -> str:
        return self.query(filters=[row for i, row in enumerate(self.filters) if i != index])


def read_state(params, columns: list[str]) -> PreviewState:
    """The preview state from GET parameters; filters on unknown columns are dropped."""
    known = set(columns)
    rows = []
    for column, op, value in zip(
        params.getlist("col"), params.getlist("op"), params.getlist("val"), strict=False
    ):
        if column in known and op in OPERATOR_NAMES and (value.strip() or op == "isnull"):
            rows.append(FilterRow(column, op, value.strip()[:500]))
    sort = params.get("sort", "")
    descending = sort.startswith("-")
    sort_column = sort.lstrip("-")
    page_text = params.get("page", "1")
    page = int(page_text) if page_text.isdigit() and 0 < int(page_text) <= MAX_PAGE else 1
    return PreviewState(
        filters=rows[:MAX_FILTERS],
        sort_column=sort_column if sort_column in known else "",
        descending=descending,
        after=params.get("after", "")[:1000],
        page=page,
        q=params.get("q", "").strip()[:200],
    )
