"""Site search: one interface over SQLite FTS5 and PostgreSQL full-text search.

The query text comes from anyone, so it is never passed to the database's query syntax:
it is reduced to plain words (letters and digits), and each word is quoted (FTS5) or
handed to plainto_tsquery (PostgreSQL). Every word must match, in any column; results are
ordered with title matches first, then by relevance (bm25 or ts_rank, title weighted
highest). Snippets are built by the database with control characters around matches;
the snippet is HTML-escaped and only then are those characters turned into <mark>.
"""

import re
from dataclasses import dataclass, field
from importlib import import_module

import markdown as markdown_lib
from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse, translate_url
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from ..languages import in_each_language
from ..models import Page
from ..registry import Label, SearchDocument, registry

MAX_QUERY_LENGTH = 200
MAX_WORDS = 12
MAX_LIMIT = 100
# Nobody reads result 10,000; the cap also keeps a hostile offset inside the database's integers.
MAX_OFFSET = 10_000
MARK_START, MARK_END = "\x02", "\x03"
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class SearchHit:
    kind: str
    kind_label: Label
    title: str
    url: str
    summary: str
    snippet: SafeString
    language: str


@dataclass(frozen=True)
class SearchResults:
    query: str
    total: int
    limit: int
    offset: int
    hits: list[SearchHit] = field(default_factory=list)

    @property
    def has_next(self) -> bool:
        return self.offset + len(self.hits) < self.total

    @property
    def has_previous(self) -> bool:
        return self.offset > 0


def query_words(query: str) -> list[str]:
    """The plain words of a query, at most MAX_WORDS of them, from its first 200 characters."""
    return _WORD.findall((query or "")[:MAX_QUERY_LENGTH])[:MAX_WORDS]


def plain_text_from_markdown(text: str) -> str:
    """The words of a Markdown text without its markup, for a SearchDocument's body."""
    return strip_tags(markdown_lib.markdown(text or "")).strip()


def kind_labels() -> dict[str, Label]:
    """Every registered kind of content and its label, for filters and result lists."""
    return {kind: resource.label for kind, resource in registry.search_resources().items()}


def search(
    query: str,
    *,
    language: str,
    kinds: list[str] | None = None,
    limit: int = 20,
    offset: int = 0,
) -> SearchResults:
    """Published content matching every word of `query`, best first.

    `language` is "en-gb" or "cy": entries in that language are searched, and for content
    that has no entry in it, the entry in the default language (its URL moved to the
    language's prefix when it has one, so a Welsh reader stays on the Welsh site). `kinds` limits the search to
    those kinds (None or empty: all). A query with no words gives no results, not an error.
    """
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, min(offset, MAX_OFFSET))
    words = query_words(query)
    if not words:
        return SearchResults(query=query, total=0, limit=limit, offset=offset)
    engine = _postgresql if connection.vendor == "postgresql" else _sqlite
    where, params = _scope(language, kinds)
    total, rows = engine(words, where, params, limit, offset)
    labels = kind_labels()
    hits = [
        SearchHit(
            kind=kind,
            kind_label=labels.get(kind, kind),
            title=title,
            url=url if row_language == language else translate_url(url, language),
            summary=summary,
            snippet=_highlighted(snippet) if MARK_START in (snippet or "") else escape(summary),
            language=row_language,
        )
        for kind, title, url, summary, snippet, row_language in rows
    ]
    return SearchResults(query=query, total=total, limit=limit, offset=offset, hits=hits)


def _highlighted(snippet: str) -> SafeString:
    """Escape the snippet, then turn the match markers into <mark> elements."""
    escaped = str(escape(snippet))
    return mark_safe(escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


def _scope(language: str, kinds: list[str] | None) -> tuple[str, dict]:
    """The WHERE clause (on alias e) for the language with fallback and the kinds filter."""
    params: dict = {"language": language, "default_language": settings.LANGUAGE_CODE}
    if language == settings.LANGUAGE_CODE:
        where = "e.language = %(language)s"
    else:
        where = (
            "(e.language = %(language)s OR (e.language = %(default_language)s AND NOT EXISTS ("
            "SELECT 1 FROM core_searchentry t WHERE t.kind = e.kind AND t.key = e.key"
            " AND t.language = %(language)s)))"
        )
    if kinds:
        names = [f"kind_{number}" for number in range(len(kinds))]
        where += " AND e.kind IN (" + ", ".join(f"%({name})s" for name in names) + ")"
        params.update(zip(names, kinds, strict=True))
    return where, params


def _sqlite(words: list[str], where: str, params: dict, limit: int, offset: int):
    """FTS5: each word quoted, so nothing the person typed is read as query syntax."""
    match = " ".join(f'"{word}"' for word in words)
    params = {
        **params,
        "match": match,
        "title_match": f"title : ({match})",
        "start": MARK_START,
        "end": MARK_END,
        "limit": limit,
        "offset": offset,
    }
    base = (
        "FROM core_searchentry_fts JOIN core_searchentry e ON e.id = core_searchentry_fts.rowid "
        f"WHERE core_searchentry_fts MATCH %(match)s AND {where}"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) {base}", params)
        total = cursor.fetchone()[0]
        cursor.execute(
            "SELECT e.kind, e.title, e.url, e.summary, "  # noqa: S608 - values are parameters
            "snippet(core_searchentry_fts, 2, %(start)s, %(end)s, '…', 30), e.language "
            f"{base} ORDER BY e.id IN (SELECT rowid FROM core_searchentry_fts"
            " WHERE core_searchentry_fts MATCH %(title_match)s) DESC,"
            " bm25(core_searchentry_fts, 10.0, 3.0, 1.0), e.title"
            " LIMIT %(limit)s OFFSET %(offset)s",
            params,
        )
        return total, cursor.fetchall()


def _fold_diacritics() -> dict[int, str]:
    """The same diacritic folding the PostgreSQL index applies (see migration 0004)."""
    migration = import_module("townhall.core.migrations.0004_search_fulltext")
    return str.maketrans(migration.ACCENTED, migration.UNACCENTED)


# English rows are stemmed, Welsh rows are not: match either form of each word.
_TSQUERY = (
    "(plainto_tsquery('english'::regconfig, %(words)s)"
    " || plainto_tsquery('simple'::regconfig, %(words)s))"
)


def _postgresql(words: list[str], where: str, params: dict, limit: int, offset: int):
    """PostgreSQL: plainto_tsquery treats the words as plain text whatever they contain."""
    params = {
        **params,
        "words": " ".join(words).translate(_fold_diacritics()),
        "headline": f'StartSel="{MARK_START}", StopSel="{MARK_END}", MaxWords=35, MinWords=15',
        "limit": limit,
        "offset": offset,
    }
    base = f"FROM core_searchentry e WHERE e.search_vector @@ {_TSQUERY} AND {where}"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) {base}", params)
        total = cursor.fetchone()[0]
        cursor.execute(
            "SELECT e.kind, e.title, e.url, e.summary, "
            "ts_headline(CASE WHEN e.language = 'cy' THEN 'simple'::regconfig"
            f" ELSE 'english'::regconfig END, e.body, {_TSQUERY}, %(headline)s), e.language"
            f" {base} ORDER BY ts_filter(e.search_vector, '{{a}}') @@ {_TSQUERY} DESC,"
            f" ts_rank(e.search_vector, {_TSQUERY}) DESC, e.title"
            " LIMIT %(limit)s OFFSET %(offset)s",
            params,
        )
        return total, cursor.fetchall()


def council_pages() -> QuerySet[Page]:
    """Every council page: all of them are public."""
    return Page.objects.order_by("pk")


def council_page_documents(page: Page) -> list[SearchDocument]:
    """A council page as site search sees it: in English and, when written, in Welsh."""
    return in_each_language(
        page,
        ["title", "body"],
        lambda language: SearchDocument(
            kind="page",
            key=page.slug,
            url=reverse("core:page", kwargs={"slug": page.slug}),
            title=page.title,
            body=plain_text_from_markdown(page.body),
            language=language,
        ),
    )
