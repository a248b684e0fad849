"""The Solr query language CKAN clients send to package_search, answered by the ORM.

CKAN hands `q`, `fq` and `sort` to Solr; harvesters and clients write them in Lucene's
syntax. Townhall parses each with luqum (a maintained Lucene-syntax parser, ADR 0032) and
translates the tree into a Django `Q` over the catalogue's datasets: user text only ever
becomes ORM lookup values, never SQL.

What is understood (anything else is CKAN's `Search Query Error`, answered with 409):

- fields: `organization`, `owner_org`, `groups`, `tags`, `res_format`, `license_id`,
  `name`, `id`, `title`, `notes`, `text`, `transparency_code`, `update_frequency`;
  `metadata_created` and `metadata_modified` take dates and date ranges; `capacity:public`,
  `dataset_type:dataset`, `type:dataset` and `state:active` are true of every dataset
  searched (any other value of theirs of none).
- values: a word, a `"quoted phrase"`, `*` (the field has a value), a trailing `*` (starts
  with), `field:(a OR b)`; backslash escapes as Solr's.
- date ranges: `[X TO Y]` (inclusive), `{X TO Y}` (exclusive), either end `*`; a date is
  `2026-12-05`, `2026-12-05T03:04:05`, with or without fractions of a second and `Z`, or
  `NOW`, each optionally followed by Solr's date maths (`NOW-1DAY`, `NOW/DAY`,
  `2026-01-01T00:00:00Z+6MONTHS`).
- `AND`, `OR`, `NOT`, `-` and `+` prefixes, parentheses, `*:*`; clauses side by side must
  all hold (CKAN's `q.op=AND`), after `OR` has joined its neighbours, so ckanext-harvest's
  `organization:a OR organization:b metadata_modified:[...]` is "(a or b) and modified".
- a multi-valued field (groups, tags, res_format, a keyword in free text) is tested by a
  subquery of its own, so `tags:a AND tags:b` needs both tags and `-tags:a` excludes.
- bare words match, each, the title, description, a keyword or the publisher's name in
  either language, as the catalogue's own search does; a `q` holding none of Lucene's
  structure (no `:()[]{}"`) that luqum cannot read is read as plain words, as CKAN's
  dismax parser forgives such text.
- sort: `id`, `name`, `title_string` (and `title`), `metadata_created`,
  `metadata_modified`, `score`, each `asc` or `desc`, several separated by commas.

Work is bounded: each parameter at most MAX_QUERY_LENGTH characters, a tree of at most
MAX_NODES nodes and MAX_DEPTH levels, at most MAX_SORT_KEYS sort keys.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from luqum import tree
from luqum.exceptions import ParseError
from luqum.thread import parse as luqum_parse

from townhall.core.languages import in_any_language

from .. import selectors
from ..ids import as_uuid
from ..models import Dataset
from .errors import SearchQueryError

MAX_QUERY_LENGTH = 4000
MAX_NODES = 400
MAX_DEPTH = 32
MAX_SORT_KEYS = 8
#: Words `score` ranks by (each adds to one SQL expression, which SQLite nests no deeper
#: than its parser allows); the rest still filter.
MAX_SCORED_WORDS = 20

EVERYTHING = Q(pk__isnull=False)
NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Field:
    """A CKAN search field and the dataset column (or relation) it is answered from."""

    lookup: str
    many: bool = False  # through a relation a dataset has several of
    uuid: bool = False
    ignore_case: bool = False


#: CKAN's exact-value (Solr `string`) fields.
EXACT_FIELDS = {
    "organization": Field("publisher__slug"),
    "owner_org": Field("publisher_id", uuid=True),
    "groups": Field("themes__slug", many=True),
    "tags": Field("keywords__name", many=True),
    "res_format": Field("resources__format", many=True, ignore_case=True),
    "license_id": Field("licence"),
    "name": Field("slug"),
    "id": Field("pk", uuid=True),
    "transparency_code": Field("transparency_code"),
    "update_frequency": Field("update_frequency"),
}
#: CKAN's text fields: words in them, in either language.
TEXT_FIELDS = {"title": ("title",), "notes": ("description",), "text": ()}
DATE_FIELDS = {"metadata_created": "created_at", "metadata_modified": "updated_at"}
#: Fields CKAN's index always has, with the one value every dataset searched here holds.
CONSTANT_FIELDS = {
    "capacity": "public",
    "dataset_type": "dataset",
    "type": "dataset",
    "state": "active",
}
SORT_FIELDS = {
    "id": "pk",
    "name": "slug",
    "title_string": "title",
    "title": "title",
    "metadata_created": "created_at",
    "metadata_modified": "updated_at",
    "score": "score",
}

_STRUCTURE = re.compile(r'[:()\[\]{}"]')
_WORD = re.compile(r"[^\W_]+")
_ESCAPED = re.compile(r"\\(.)")
_DATE = re.compile(
    r"(?P<base>NOW|\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?Z?)"
    r"(?P<maths>(?:[+-]\d+[A-Z]+|/[A-Z]+)*)"
)
_DATE_STEP = re.compile(r"([+-])(\d+)([A-Z]+)|/([A-Z]+)")
_UNITS = {
    "YEAR": "years", "YEARS": "years",
    "MONTH": "months", "MONTHS": "months",
    "DAY": "days", "DAYS": "days", "DATE": "days",
    "HOUR": "hours", "HOURS": "hours",
    "MINUTE": "minutes", "MINUTES": "minutes",
    "SECOND": "seconds", "SECONDS": "seconds",
    "MILLI": "milliseconds", "MILLIS": "milliseconds",
    "MILLISECOND": "milliseconds", "MILLISECONDS": "milliseconds",
}  # fmt: skip


@dataclass
class Search:
    """A translated search: the condition datasets must meet, and the words asked for
    (which `score` ranks by)."""

    condition: Q = field(default_factory=lambda: EVERYTHING)
    words: list[str] = field(default_factory=list)


def search(
    datasets: QuerySet[Dataset], *, q: str = "", fq: list[str] | str = ""
) -> tuple[QuerySet[Dataset], list[str]]:
    """`datasets` narrowed by `q` and every `fq`, and the words of `q` (for `score`).

    Raises SearchQueryError for a query this module cannot answer."""
    translated = translate(q, fq)
    return datasets.filter(translated.condition), translated.words


def translate(q: str = "", fq: list[str] | str = "") -> Search:
    """`q` and the filter queries as one condition (they all must hold)."""
    result = Search()
    conditions = []
    for parameter, text in [("q", q), *(("fq", item) for item in as_list(fq))]:
        text = str(text or "").strip()
        if text in ("", "*", "*:*", '""', "''"):
            continue
        node = _parse(text, parameter=parameter)
        conditions.append(_Translator(result.words).node(node))
    for condition in conditions:
        result.condition &= condition
    return result


def ordered(datasets: QuerySet[Dataset], sort: str, words: list[str]) -> QuerySet[Dataset]:
    """`datasets` in the order of CKAN's `sort` ("metadata_modified desc, name asc"),
    then by name so that pages never overlap. Raises SearchQueryError for a sort on a
    field CKAN does not sort on, or a direction other than asc or desc."""
    ordering = []
    parts = [part.strip() for part in sort.split(",") if part.strip()]
    if len(parts) > MAX_SORT_KEYS:
        raise SearchQueryError(f"can not sort on more than {MAX_SORT_KEYS} fields")
    for part in parts:
        pieces = part.split()
        column = SORT_FIELDS.get(pieces[0])
        direction = pieces[1].lower() if len(pieces) > 1 else "asc"
        if column is None or direction not in ("asc", "desc") or len(pieces) > 2:
            raise SearchQueryError(f"can not sort on {part}")
        if column == "score":
            datasets = selectors.with_relevance(datasets, words[:MAX_SCORED_WORDS])
        ordering.append(f"{'-' if direction == 'desc' else ''}{column}")
    return datasets.order_by(*ordering, "slug")


def as_list(value: Any) -> list:
    """A parameter that may come once (text) or repeated (a list), as a list."""
    if value in (None, ""):
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _parse(text: str, *, parameter: str) -> tree.Item:
    if len(text) > MAX_QUERY_LENGTH:
        raise SearchQueryError(
            f"{parameter} is {len(text)} characters long; at most {MAX_QUERY_LENGTH} are read"
        )
    try:
        node = luqum_parse(text)
    except ParseError as error:
        if parameter == "q" and not _STRUCTURE.search(text):
            # Plain text that is not Lucene (a stray "!" or "/"): words, as dismax reads it.
            words = _WORD.findall(text)
            node = tree.AndOperation(*map(tree.Word, words)) if words else tree.Word("*")
        else:
            raise SearchQueryError(f"{parameter}: {error}") from None
    _check_size(node, parameter)
    return node


def _check_size(node: tree.Item, parameter: str) -> None:
    """Refuse a tree too large or too deep to translate (walked without recursion)."""
    count, pending = 0, [(node, 1)]
    while pending:
        item, depth = pending.pop()
        count += 1
        if depth > MAX_DEPTH:
            raise SearchQueryError(f"{parameter} nests deeper than {MAX_DEPTH} levels")
        if count > MAX_NODES:
            raise SearchQueryError(f"{parameter} has more than {MAX_NODES} terms and operators")
        pending.extend((child, depth + 1) for child in item.children)


def _unescape(text: str) -> str:
    return _ESCAPED.sub(r"\1", text)


def _value_text(node: tree.Item) -> str:
    if isinstance(node, tree.Phrase):
        return _unescape(node.value[1:-1])
    return _unescape(node.value)


class _Translator:
    """Walks a luqum tree, building the Q each node means."""

    def __init__(self, words: list[str]) -> None:
        self.words = words

    def node(self, node: tree.Item, field_name: str | None = None) -> Q:
        if isinstance(node, tree.AndOperation | tree.UnknownOperation):
            condition = EVERYTHING
            for child in node.children:
                condition &= self.node(child, field_name)
            return condition
        if isinstance(node, tree.OrOperation):
            condition = NOTHING
            for child in node.children:
                condition |= self.node(child, field_name)
            return condition
        if isinstance(node, tree.Not | tree.Prohibit):
            return ~self.node(node.a, field_name)
        if isinstance(node, tree.Plus | tree.Group | tree.FieldGroup):
            return self.node(node.children[0], field_name)
        if isinstance(node, tree.Boost):
            return self.node(node.expr, field_name)  # ranking weights change no match
        if isinstance(node, tree.SearchField):
            if field_name is not None:
                raise SearchQueryError(f"field {node.name} inside field {field_name}")
            return self.field(node.name, node.expr)
        if isinstance(node, tree.Word | tree.Phrase | tree.Range):
            if field_name is None:
                return self.free_text(node)
            return self.value(field_name, node)
        raise SearchQueryError(f"{type(node).__name__.lower()} queries are not supported: {node}")

    def field(self, name: str, expr: tree.Item) -> Q:
        if name == "*":
            if not (isinstance(expr, tree.Word) and expr.value == "*"):
                raise SearchQueryError(f"undefined field {name}")
            return EVERYTHING
        known = EXACT_FIELDS | TEXT_FIELDS | DATE_FIELDS | CONSTANT_FIELDS
        if name not in known:
            raise SearchQueryError(f"undefined field {name}")
        return self.node(expr, name)

    def value(self, name: str, node: tree.Word | tree.Phrase | tree.Range) -> Q:
        if name in DATE_FIELDS:
            return _date_condition(DATE_FIELDS[name], node)
        if isinstance(node, tree.Range):
            raise SearchQueryError(f"can not search {name} by range")
        text = _value_text(node)
        if name in CONSTANT_FIELDS:
            return EVERYTHING if text in (CONSTANT_FIELDS[name], "*") else NOTHING
        if name in TEXT_FIELDS:
            return self.text(node, TEXT_FIELDS[name])
        return _exact_condition(name, EXACT_FIELDS[name], node, text)

    def free_text(self, node: tree.Word | tree.Phrase | tree.Range) -> Q:
        if isinstance(node, tree.Range):
            raise SearchQueryError(f"a range needs a field: {node}")
        if isinstance(node, tree.Word) and node.value == "*":
            return EVERYTHING
        return self.text(node, ())

    def text(self, node: tree.Word | tree.Phrase, columns: tuple[str, ...]) -> Q:
        """Each word (or the phrase) in one of `columns`, or anywhere when none is named."""
        if isinstance(node, tree.Phrase):
            phrase = " ".join(_WORD.findall(_value_text(node)))
            pieces = [phrase] if phrase else []
        else:
            pieces = _WORD.findall(_value_text(node))
        condition = EVERYTHING
        for piece in pieces:
            self.words.extend(_WORD.findall(piece))
            if columns:
                matches = Q()
                for column in columns:
                    matches |= in_any_language(f"{column}__icontains", piece)
                condition &= matches
            else:
                condition &= selectors.text_condition(piece, keywords_apart=True)
        return condition


def _through(condition: Q) -> Q:
    """A condition over a relation a dataset has several of, as a subquery: so that
    `tags:a AND tags:b` needs both tags (not one tag that is both), and NOT excludes."""
    return Q(pk__in=Dataset.objects.filter(condition).values("pk"))


def _exact_condition(name: str, spec: Field, node: tree.Word | tree.Phrase, text: str) -> Q:
    lookup = spec.lookup
    if isinstance(node, tree.Word) and node.value == "*":
        condition = Q(**{f"{lookup}__isnull": False})
    elif isinstance(node, tree.Word) and re.search(r"(?<!\\)[*?]", node.value):
        prefix = node.value[:-1]
        if not node.value.endswith("*") or re.search(r"(?<!\\)[*?]", prefix) or spec.uuid:
            raise SearchQueryError(f"wildcards other than a trailing * are not supported: {name}")
        condition = Q(**{f"{lookup}__startswith": _unescape(prefix)})
    elif spec.uuid:
        uuid = as_uuid(text)
        condition = Q(**{lookup: uuid}) if uuid else NOTHING
    else:
        operator = "__iexact" if spec.ignore_case else ""
        condition = Q(**{f"{lookup}{operator}": text})
    return _through(condition) if spec.many else condition


def _now() -> datetime:
    return timezone.now()


def _date_condition(column: str, node: tree.Word | tree.Phrase | tree.Range) -> Q:
    now = _now()
    if isinstance(node, tree.Range):
        condition = Q(**{f"{column}__isnull": False})
        low, high = _value_text(node.low), _value_text(node.high)
        if low != "*":
            operator = "gte" if node.include_low else "gt"
            condition &= Q(**{f"{column}__{operator}": _date_value(low, now)})
        if high != "*":
            operator = "lte" if node.include_high else "lt"
            condition &= Q(**{f"{column}__{operator}": _date_value(high, now)})
        return condition
    text = _value_text(node)
    if text == "*":
        return Q(**{f"{column}__isnull": False})
    return Q(**{column: _date_value(text, now)})


def _date_value(text: str, now: datetime) -> datetime:
    """A Solr date (ISO 8601, UTC) or date maths expression as an aware datetime."""
    match = _DATE.fullmatch(text.strip())
    if match is None:
        raise SearchQueryError(f"Invalid Date String:'{text}'")
    base = match["base"]
    moment = now if base == "NOW" else _iso_moment(base, text)
    for sign, amount, unit, rounding in _DATE_STEP.findall(match["maths"]):
        name = _UNITS.get(unit or rounding)
        if name is None:
            raise SearchQueryError(f"Invalid Date Math String:'{text}'")
        moment = _round(moment, name) if rounding else _add(moment, name, int(amount), sign)
    return moment


def _iso_moment(base: str, text: str) -> datetime:
    clean = base.removesuffix("Z")
    if "." in clean:  # Solr allows any number of fraction digits; Python six at most
        whole, fraction = clean.split(".")
        clean = f"{whole}.{fraction[:6].ljust(6, '0')}"
    try:
        parsed = datetime.fromisoformat(clean) if "T" in clean else date.fromisoformat(clean)
    except ValueError:
        raise SearchQueryError(f"Invalid Date String:'{text}'") from None
    if not isinstance(parsed, datetime):
        parsed = datetime(parsed.year, parsed.month, parsed.day)
    return parsed.replace(tzinfo=UTC)


def _add(moment: datetime, unit: str, amount: int, sign: str) -> datetime:
    amount = -amount if sign == "-" else amount
    try:
        if unit in ("years", "months"):
            months = moment.month - 1 + amount * (12 if unit == "years" else 1)
            year, month = moment.year + months // 12, months % 12 + 1
            return moment.replace(
                year=year, month=month, day=min(moment.day, _days_in(year, month))
            )
        return moment + timedelta(**{unit: amount})
    except (OverflowError, ValueError):
        raise SearchQueryError(f"Invalid Date Math String: {sign}{abs(amount)} {unit}") from None


def _days_in(year: int, month: int) -> int:
    following = date(year + month // 12, month % 12 + 1, 1)
    return (following - timedelta(days=1)).day


def _round(moment: datetime, unit: str) -> datetime:
    """Solr's `/UNIT`: down to the start of that unit."""
    if unit == "milliseconds":
        return moment.replace(microsecond=moment.microsecond // 1000 * 1000)
    kept = ("years", "months", "days", "hours", "minutes", "seconds").index(unit)
    return moment.replace(
        month=moment.month if kept >= 1 else 1,
        day=moment.day if kept >= 2 else 1,
        hour=moment.hour if kept >= 3 else 0,
        minute=moment.minute if kept >= 4 else 0,
        second=moment.second if kept >= 5 else 0,
        microsecond=0,
    )
