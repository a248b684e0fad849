"""Writes to the site search index, which follows every module's content as it changes.

A module declares a `SearchResource` in its manifest: a kind, its model, the items that may
be public and `documents(obj)`, which returns an item's documents or nothing when it is not
public. The module's services call `search_index_update(kind, obj)` whenever they publish,
withdraw or edit an item and `search_index_remove(kind, key)` when they delete one, inside
their own transaction, so the index commits or rolls back with the change itself.
`rebuild_index()` (`townhall reindex_search`) is only a repair tool. The full-text index
itself (FTS5 or a tsvector) is kept in step by the database (migration 0004), so these
functions write only SearchEntry.
"""

import re
from collections.abc import Iterable
from itertools import batched
from typing import Any

from django.db import transaction

from ..models import SearchEntry
from ..registry import SearchDocument, SearchResource, registry
from .tasks import Progress

BATCH_SIZE = 500
# The selectors mark matches with these characters before escaping; stored text must not hold them.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean(text: str, limit: int | None = None) -> str:
    cleaned = _CONTROL_CHARACTERS.sub(" ", text or "")
    return cleaned[:limit] if limit else cleaned


def _entry(document: SearchDocument) -> SearchEntry:
    return SearchEntry(
        kind=document.kind[:50],
        key=str(document.key)[:100],
        language=document.language,
        url=document.url[:500],
        title=_clean(document.title, 500),
        summary=_clean(document.summary),
        body=_clean(document.body),
    )


def index_documents(documents: Iterable[SearchDocument]) -> int:
    """Add or replace documents in the index (matched on kind, key and language).

    Returns how many were written. The same document given twice in one call is written once.
    """
    written = 0
    for batch in batched(documents, BATCH_SIZE):
        unique = {(doc.kind, str(doc.key), doc.language): _entry(doc) for doc in batch}
        SearchEntry.objects.bulk_create(
            unique.values(),
            update_conflicts=True,
            unique_fields=["kind", "key", "language"],
            update_fields=["url", "title", "summary", "body", "updated_at"],
        )
        written += len(unique)
    return written


def remove_document(kind: str, key: str, *, language: str | None = None) -> int:
    """Take a document out of the index, in every language unless one is given.

    Returns how many entries were removed (0 when it was not indexed).
    """
    entries = SearchEntry.objects.filter(kind=kind, key=str(key))
    if language:
        entries = entries.filter(language=language)
    removed, _ = entries.delete()
    return removed


def search_index_update(kind: str, obj: Any) -> int:
    """Bring `obj`'s entries in line with what its module says is public now.

    Writes the documents its `SearchResource` returns for it and removes its entries in
    every other language, so withdrawing, hiding or unpublishing takes it out of search
    and an edit replaces the old words. Call it inside the transaction that changed `obj`.
    Returns how many documents were written (0 when it is not public). A `kind` no module
    declares raises LookupError; an object of another model raises TypeError.
    """
    resource = registry.search_resource(kind)
    if obj._meta.label_lower != resource.model.lower():
        raise TypeError(f"Search kind {kind!r} indexes {resource.model}, not {obj._meta.label}.")
    key = resource.key(obj)
    documents = [doc for doc in resource.documents(obj) if doc.kind == kind]
    SearchEntry.objects.filter(kind=kind, key=key).exclude(
        language__in=[doc.language for doc in documents]
    ).delete()
    return index_documents(documents)


def search_index_remove(kind: str, key: Any) -> int:
    """Take a deleted item out of search in every language; returns how many entries went.

    Call it in the transaction that deletes the item (with the key its resource uses, for
    example `resource.key(obj)` read before the delete).
    """
    registry.search_resource(kind)
    return remove_document(kind, str(key))


class SearchIndexError(Exception):
    """Some kinds of content could not be indexed; the others were."""


def rebuild_index(*, progress_key: str = "search:rebuild") -> dict[str, int]:
    """Reindex every registered SearchResource from its `items()` and `documents(obj)`;
    drop entries nothing publishes any more.

    Each kind is replaced in its own transaction, so search keeps answering meanwhile and
    one module's failure leaves the other kinds indexed; SearchIndexError then names the
    kinds that failed. Safe to run again. Returns the number of documents per kind.
    """
    resources = registry.search_resources()
    progress = Progress.start(progress_key, label="Rebuilding the search index", total=None)
    counts: dict[str, int] = {}
    failures: dict[str, str] = {}
    for kind, resource in resources.items():
        try:
            counts[kind] = _reindex_kind(kind, _all_documents(resource))
        except Exception as error:
            failures[kind] = f"{type(error).__name__}: {error}"
            continue
        progress.advance(counts[kind], message=f"{kind}: {counts[kind]}")
    SearchEntry.objects.exclude(kind__in=list(resources)).delete()
    if failures:
        message = "; ".join(f"{kind} ({reason})" for kind, reason in failures.items())
        progress.fail(f"Could not index {message}")
        raise SearchIndexError(f"Could not index {message}")
    progress.finish(f"Indexed {sum(counts.values())} documents")
    return counts


def _all_documents(resource: SearchResource) -> Iterable[SearchDocument]:
    for obj in resource.items():
        yield from resource.documents(obj)


@transaction.atomic
def _reindex_kind(kind: str, documents: Iterable[SearchDocument]) -> int:
    documents = [doc for doc in documents if doc.kind == kind]
    written = index_documents(documents)
    kept = {(str(doc.key), doc.language) for doc in documents}
    stale = [
        pk
        for pk, key, language in SearchEntry.objects.filter(kind=kind).values_list(
            "pk", "key", "language"
        )
        if (key, language) not in kept
    ]
    SearchEntry.objects.filter(pk__in=stale).delete()
    return written
