"""Reads of the catalogue. Other modules may call the functions documented as public in
docs/modules/opendata.md (evidence_for, citations_of, saved_view_url, dataset_summary).
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.urls import reverse

from townhall.core.languages import as_shown, in_any_language, in_each_language
from townhall.core.permissions import can
from townhall.core.registry import SearchDocument
from townhall.core.selectors.search import plain_text_from_markdown

from .formats import display_value
from .ids import as_uuid
from .licences import licence as licence_for
from .models import Citation, Dataset, Keyword, Organisation, Resource, ResourceVersion, Theme
from .visuals import CHART_FIELDS

PER_PAGE = 20
MAX_QUERY_WORDS = 10
SORTS = ("relevance", "newest", "title")
_WORD = re.compile(r"[^\W_]+")


def published_datasets() -> QuerySet[Dataset]:
    """Published datasets with what lists and APIs show of them, fetched in a few queries."""
    return (
        Dataset.objects.filter(status=Dataset.Status.PUBLISHED)
        .select_related("publisher")
        .prefetch_related(
            "themes",
            "keywords",
            Prefetch("resources", queryset=Resource.objects.select_related("current_version")),
            "resources__column_descriptions",
        )
    )


def platform_dataset_url(export_slug: str) -> str | None:
    """The page of the published dataset made from a module's open data export (see
    services.platform), or None while it is not catalogued or not published."""
    slug = (
        Dataset.objects.filter(platform_export=export_slug, status=Dataset.Status.PUBLISHED)
        .values_list("slug", flat=True)
        .first()
    )
    return reverse("opendata:dataset", args=[slug]) if slug else None


def published_resources() -> QuerySet[Resource]:
    """The resources of published datasets, with their dataset."""
    return Resource.objects.filter(dataset__status=Dataset.Status.PUBLISHED).select_related(
        "dataset"
    )


def dataset_for_reader(slug: str, user: Any) -> Dataset | None:
    """The dataset at /data/<slug>/ as this person may see it, or None.

    Published and archived datasets are public; a draft only to those who may edit it.
    """
    dataset = (
        Dataset.objects.select_related("publisher")
        .prefetch_related(
            "themes",
            "keywords",
            Prefetch("resources", queryset=Resource.objects.select_related("current_version")),
        )
        .filter(slug=slug)
        .first()
    )
    if dataset is None:
        return None
    if dataset.status == Dataset.Status.DRAFT and not can(user, "opendata.edit_dataset", dataset):
        return None
    return dataset


def dataset_by_id_or_name(value: str, *, user: Any = None) -> Dataset | None:
    """A dataset by UUID or slug, as CKAN's package_show looks one up; drafts only to editors."""
    datasets = Dataset.objects.select_related("publisher").prefetch_related(
        "themes", "keywords", "resources"
    )
    uuid = as_uuid(value)
    dataset = (datasets.filter(pk=uuid) if uuid else datasets.filter(slug=value)).first()
    if dataset is None:
        return None
    if dataset.status == Dataset.Status.DRAFT and not can(user, "opendata.edit_dataset", dataset):
        return None
    return dataset


def resource_for_reader(resource_id: str | UUID, user: Any, *, dataset: Dataset | None = None):
    """A resource by UUID when this person may read its dataset, else None."""
    uuid = as_uuid(resource_id)
    if uuid is None:
        return None
    resources = Resource.objects.select_related("dataset__publisher", "current_version")
    if dataset is not None:
        resources = resources.filter(dataset=dataset)
    resource = resources.filter(pk=uuid).first()
    if resource is None:
        return None
    if resource.dataset.status == Dataset.Status.DRAFT and not can(
        user, "opendata.edit_dataset", resource.dataset
    ):
        return None
    return resource


def resource_versions(resource: Resource) -> QuerySet[ResourceVersion]:
    return resource.versions.select_related("uploaded_by").order_by("-created_at")


def latest_version(resource: Resource) -> ResourceVersion | None:
    return resource.versions.order_by("-created_at").first()


# --- The catalogue search ---------------------------------------------------------------


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    name: str
    options: list[FacetOption]


@dataclass
class CatalogueQuery:
    """What a person asked the catalogue for (from the search form's GET parameters)."""

    q: str = ""
    publisher: list[str] = field(default_factory=list)
    theme: list[str] = field(default_factory=list)
    format: list[str] = field(default_factory=list)
    licence: list[str] = field(default_factory=list)
    keyword: list[str] = field(default_factory=list)
    sort: str = "relevance"

    @property
    def words(self) -> list[str]:
        return _WORD.findall(self.q[:200])[:MAX_QUERY_WORDS]


def catalogue_filter(query: CatalogueQuery, datasets: QuerySet[Dataset] | None = None):
    """Published datasets matching the query's words and every chosen facet value.

    Each word must appear in the title, description, a keyword or the publisher's name;
    values chosen within one facet are alternatives (OR), facets combine with AND.
    """
    datasets = published_datasets() if datasets is None else datasets
    for word in query.words:
        datasets = datasets.filter(text_condition(word))
    if query.publisher:
        datasets = datasets.filter(publisher__slug__in=query.publisher)
    if query.theme:
        datasets = datasets.filter(themes__slug__in=query.theme)
    if query.format:
        datasets = datasets.filter(resources__format__in=query.format)
    if query.licence:
        datasets = datasets.filter(licence__in=query.licence)
    if query.keyword:
        datasets = datasets.filter(keywords__name__in=query.keyword)
    return datasets.distinct()


def text_condition(word: str, *, keywords_apart: bool = False) -> Q:
    """Datasets with `word` in the title, description, a keyword or the publisher's name,
    in either language (the catalogue's search, and CKAN's package_search, use it).

    With `keywords_apart`, the keyword test is a subquery of its own, so that many such
    conditions combined (AND, OR, NOT) each test any keyword, and need no join."""
    keyword = Q(keywords__name__icontains=word)
    if keywords_apart:
        keyword = Q(pk__in=Dataset.objects.filter(keyword).values("pk"))
    return (
        in_any_language("title__icontains", word)
        | in_any_language("description__icontains", word)
        | keyword
        | in_any_language("publisher__title__icontains", word)
    )


def catalogue_sorted(datasets: QuerySet[Dataset], query: CatalogueQuery) -> QuerySet[Dataset]:
    """Order results: by relevance (title matches first), newest data first, or by title."""
    if query.sort == "newest":
        return datasets.order_by("-last_updated", "-published_at", as_shown("title"))
    if query.sort == "title" or not query.words:
        return datasets.order_by(as_shown("title"))
    return with_relevance(datasets, query.words).order_by("-score", as_shown("title"))


def with_relevance(datasets: QuerySet[Dataset], words: list[str]) -> QuerySet[Dataset]:
    """Annotate `score`: 3 for each word in the title, 1 for each in the description."""
    score = Value(0, output_field=IntegerField())
    for word in words:
        score = (
            score
            + Case(When(in_any_language("title__icontains", word), then=Value(3)), default=Value(0))
            + Case(
                When(in_any_language("description__icontains", word), then=Value(1)),
                default=Value(0),
            )
        )
    return datasets.annotate(score=score)


def catalogue_facets(datasets: QuerySet[Dataset], query: CatalogueQuery) -> list[Facet]:
    """Counts of the matching datasets by publisher, theme, format and licence."""
    ids = list(datasets.values_list("pk", flat=True))
    matching = Dataset.objects.filter(pk__in=ids)
    publishers = (
        Organisation.objects.filter(datasets__in=matching)
        .annotate(n=Count("datasets", distinct=True))
        .order_by("title")
    )
    themes = (
        Theme.objects.filter(datasets__in=matching)
        .annotate(n=Count("datasets", distinct=True))
        .order_by("title")
    )
    formats = (
        Resource.objects.filter(dataset__in=matching)
        .values("format")
        .annotate(n=Count("dataset", distinct=True))
        .order_by("format")
    )
    licences = matching.values("licence").annotate(n=Count("pk")).order_by("licence")
    return [
        Facet(
            "publisher",
            [FacetOption(o.slug, o.title, o.n, o.slug in query.publisher) for o in publishers],
        ),
        Facet("theme", [FacetOption(t.slug, t.title, t.n, t.slug in query.theme) for t in themes]),
        Facet(
            "format",
            [
                FacetOption(row["format"], row["format"], row["n"], row["format"] in query.format)
                for row in formats
            ],
        ),
        Facet(
            "licence",
            [
                FacetOption(
                    row["licence"],
                    str(licence_for(row["licence"]).title),
                    row["n"],
                    row["licence"] in query.licence,
                )
                for row in licences
            ],
        ),
    ]


# --- Lists for the CKAN API and pages ---------------------------------------------------


def organisations_with_counts() -> QuerySet[Organisation]:
    return Organisation.objects.annotate(
        package_count=Count("datasets", filter=Q(datasets__status=Dataset.Status.PUBLISHED))
    ).order_by("slug")


def themes_with_counts() -> QuerySet[Theme]:
    return Theme.objects.annotate(
        package_count=Count("datasets", filter=Q(datasets__status=Dataset.Status.PUBLISHED))
    ).order_by("slug")


def organisations_for_staff() -> QuerySet[Organisation]:
    """Every publisher by name, with `dataset_count` (drafts and archived datasets too) and
    `published_count`, for the staff pages that set up the catalogue."""
    return _with_dataset_counts(Organisation.objects.order_by("title_en_gb", "slug"))


def themes_for_staff() -> QuerySet[Theme]:
    """Every theme by name, with `dataset_count` and `published_count`."""
    return _with_dataset_counts(Theme.objects.order_by("title_en_gb", "slug"))


def _with_dataset_counts(rows: QuerySet) -> QuerySet:
    return rows.annotate(
        dataset_count=Count("datasets", distinct=True),
        published_count=Count(
            "datasets", filter=Q(datasets__status=Dataset.Status.PUBLISHED), distinct=True
        ),
    )


def keywords_in_use() -> QuerySet[Keyword]:
    return Keyword.objects.filter(datasets__status=Dataset.Status.PUBLISHED).distinct()


def organisation(slug_or_id: str) -> Organisation | None:
    uuid = as_uuid(slug_or_id)
    query = Q(pk=uuid) if uuid else Q(slug=slug_or_id)
    return Organisation.objects.filter(query).first()


def publishers() -> QuerySet[Organisation]:
    return Organisation.objects.order_by("title")


def themes() -> QuerySet[Theme]:
    return Theme.objects.order_by("title")


def transparency_compliance(*, today: date | None = None) -> list:
    """The Transparency Code's compliance rows (opendata.transparency.ComplianceRow) for
    the published datasets that carry a code, as of `today` (default: today in London)."""
    from .transparency import compliance

    return compliance(published_datasets().exclude(transparency_code=""), today=today)


def transparency_on_time(day: date) -> tuple[int, int]:
    """The measure "transparency_datasets_on_time": of the Transparency Code datasets
    published, how many were published and not overdue on `day`."""
    from .transparency.compliance import DUE_SOON, PUBLISHED

    rows = transparency_compliance(today=day)
    return sum(row.status in {PUBLISHED, DUE_SOON} for row in rows), len(rows)


def datasets_for_publishing(user: Any) -> QuerySet[Dataset]:
    """Every dataset, drafts included, for the publishers' list (empty for anyone else)."""
    if not can(user, "opendata.edit_dataset"):
        return Dataset.objects.none()
    return (
        Dataset.objects.select_related("publisher", "harvest_source")
        .annotate(resource_count=Count("resources"))
        .order_by("-updated_at")
    )


def api_tokens_of(user: Any):
    from .models import ApiToken

    return ApiToken.objects.filter(user=user).order_by("-created_at")


# --- Evidence (public) ------------------------------------------------------------------


def evidence_for(dataset: Dataset) -> QuerySet[Citation]:
    """Where a dataset has been cited, newest first (public: for the dataset page)."""
    return Citation.objects.filter(dataset=dataset).select_related("resource")


def citations_of(*, cited_by_app: str, cited_by_key: str) -> list[dict[str, Any]]:
    """The evidence one place cites, as plain dicts another module can show.

    Each has: dataset_id, dataset_title, dataset_url, resource_id, resource_name, filters,
    chart, view_url, and published (False when the dataset has since been taken down).
    """
    citations = Citation.objects.filter(
        cited_by_app=cited_by_app, cited_by_key=str(cited_by_key)
    ).select_related("dataset", "resource")
    return [
        {
            "dataset_id": str(citation.dataset_id),
            "dataset_title": citation.dataset.title,
            "dataset_url": reverse("opendata:dataset", args=[citation.dataset.slug]),
            "resource_id": str(citation.resource_id) if citation.resource_id else None,
            "resource_name": citation.resource.name if citation.resource else None,
            "filters": citation.filters,
            "chart": citation.chart,
            "view_url": saved_view_url(
                dataset_id=citation.dataset_id,
                resource_id=citation.resource_id,
                filters=citation.filters,
                chart=citation.chart,
            ),
            "published": citation.dataset.status != Dataset.Status.DRAFT,
        }
        for citation in citations
    ]


def saved_view_url(
    *,
    dataset_id: UUID | str,
    resource_id: UUID | str | None = None,
    filters: dict[str, Any] | None = None,
    chart: dict[str, Any] | None = None,
) -> str:
    """The address of a dataset, or of a resource preview with filters applied and, given
    `chart` (the preview's chart settings), the chart drawn ("" if no such dataset).

    `filters` is {column: value} or {column: {operator: value}} with the DataStore's
    operators (eq, ne, lt, lte, gt, gte, contains, in); each becomes one filter row.
    """
    dataset = Dataset.objects.filter(pk=as_uuid(dataset_id)).only("slug").first()
    if dataset is None:
        return ""
    if resource_id is None:
        return reverse("opendata:dataset", args=[dataset.slug])
    url = reverse("opendata:resource", args=[dataset.slug, resource_id])
    # In the preview's order, whatever order the database kept the keys in (jsonb sorts).
    chart = chart or {}
    params = [*filter_params(filters or {}), *((n, chart[n]) for n in CHART_FIELDS if n in chart)]
    if not params:
        return url
    return f"{url}?{urlencode(params)}{'#chart' if chart else ''}"


def filter_params(filters: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """The preview page's query parameters (col, op, val, repeated) for a filters dict."""
    for column, condition in filters.items():
        conditions = condition if isinstance(condition, dict) else {"eq": condition}
        for operator, value in conditions.items():
            text = ",".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
            yield from (("col", column), ("op", operator), ("val", text))


# --- Search (registered in the manifest) ------------------------------------------------


SEARCH_KIND = "dataset"


def dataset_search_documents(dataset: Dataset) -> list[SearchDocument]:
    """A dataset as site search sees it, or nothing unless it is published (drafts and
    archived datasets are not listed)."""
    if not dataset.is_published:
        return []
    keywords = " ".join(keyword.name for keyword in dataset.keywords.all())

    def document(language: str) -> SearchDocument:
        text = plain_text_from_markdown(dataset.description)
        return SearchDocument(
            kind=SEARCH_KIND,
            key=str(dataset.pk),
            url=reverse("opendata:dataset", args=[dataset.slug]),
            title=dataset.title,
            summary=text[:300],
            body=f"{text} {keywords} {dataset.publisher}",
            language=language,
        )

    return in_each_language(dataset, ("title", "description"), document)


# --- DataStore tables of resources --------------------------------------------------------


def table_for_reader(resource: Resource, user: Any):
    """The DataStore's TableInfo for a resource the person may read, or None (no table)."""
    from townhall.datastore import selectors as datastore

    if not resource.datastore_active:
        return None
    return datastore.table_info(resource.pk)


def table_columns(resource: Resource, user: Any) -> list[dict[str, str]]:
    table = table_for_reader(resource, user)
    return list(table.columns) if table is not None else []


def table_page(resource: Resource, user: Any, state) -> tuple[Any, str]:
    """One page of the preview: (SearchPage, "") or (None, a message saying what was wrong).

    The first page and pages reached by "next" use the keyset cursor; a page reached by
    number (going back) uses an offset.
    """
    from townhall.datastore import errors
    from townhall.datastore import selectors as datastore

    from .preview import PAGE_SIZE

    try:
        page = datastore.search(
            resource.pk,
            filters=state.datastore_filters(),
            q=state.q or None,
            sort=state.datastore_sort(),
            limit=PAGE_SIZE,
            offset=0 if state.after else state.offset,
            after=state.after or None,
            include_total=True,
        )
    except errors.DataStoreError as error:
        return None, error.message
    return page, ""


def table_stream(resource: Resource, user: Any, state, extension: str) -> Iterator[str]:
    """The whole (filtered, sorted) table as CSV or JSON chunks, for a streamed download."""
    from townhall.datastore import selectors as datastore

    stream = datastore.stream_csv if extension == "csv" else datastore.stream_json
    return stream(
        resource.pk,
        filters=state.datastore_filters(),
        q=state.q or None,
        sort=state.datastore_sort(),
    )


@dataclass(frozen=True)
class LoadProblems:
    """The problems the load of a resource's served data found: `total` of every kind and
    `emptied`, the cells that did not fit their column's type and are stored empty."""

    resource: Resource
    total: int
    emptied: int


def load_problems(dataset: Dataset) -> list[LoadProblems]:
    """Each of the dataset's resources whose served data was loaded with problems, which a
    publisher confirms having seen before publishing (services.dataset_publish)."""
    found = []
    for resource in dataset.resources.filter(datastore_active=True):
        report = served_report(resource)
        if report is not None and report.problem_total:
            found.append(LoadProblems(resource, report.problem_total, report.emptied_cells))
    return found


def served_report(resource: Resource):
    """The DataStore's report of the load whose rows the resource serves now; the preview
    and downloads say from it how many cells are empty because they did not fit."""
    from townhall.datastore import selectors as datastore

    return datastore.served_report(resource.pk)


def held_report(resource: Resource):
    """The DataStore's report of the resource's load held until a publisher confirms its
    problems (services.version_publish), or None when no load is held."""
    from townhall.datastore import selectors as datastore

    return datastore.held_report(resource.pk)


def ingest_report(resource: Resource):
    """The DataStore's report of the resource's latest load (rows, types, problems by row)."""
    from townhall.datastore import selectors as datastore

    return datastore.last_report(resource.pk)


# --- Ward pages -------------------------------------------------------------------------

# A column holding ONS ward codes: "Ward code", "ward_code", or the ONS directory's "WD25CD".
_WARD_CODE_COLUMN = re.compile(r"^(ward[\s_-]*code|wd\d{2}cd)$", re.IGNORECASE)
WARD_ROWS_SHOWN = 3


def ward_data(ward_code: str) -> dict[str, Any] | None:
    """The open data about one ward, for its page: `datasets` whose area covered is the
    ward (by its code), and `rows`, each public DataStore table's row for the ward where
    the table has a ward code column (population by ward, say), as {"resource", "url",
    "cells": [(column, value)]} with the link to the table filtered to the ward. None when
    there is neither. Tables are checked in catalogue order, and at most WARD_ROWS_SHOWN
    of them are shown."""
    from townhall.datastore import errors
    from townhall.datastore import selectors as datastore

    about = list(published_datasets().filter(spatial_area_code=ward_code).order_by("slug"))
    rows = []
    tables = list(
        published_resources()
        .filter(datastore_active=True)
        .order_by("dataset__slug", "position", "pk")
    )
    columns_of = datastore.tables_columns(resource.pk for resource in tables)
    for resource in tables:
        if len(rows) == WARD_ROWS_SHOWN:
            break
        columns = columns_of.get(resource.pk, [])
        column = _ward_code_column(columns)
        if column is None or not datastore.is_visible(resource.pk, None):
            continue
        try:
            page = datastore.search(
                resource.pk, filters={column: ward_code}, limit=1, include_total=False
            )
        except errors.DataStoreError:
            continue
        if page.records:
            record = page.records[0]
            url = reverse("opendata:resource", args=[resource.dataset.slug, resource.pk])
            query = urlencode([("col", column), ("op", "eq"), ("val", ward_code)])
            cells = [
                (found.get("label") or found["id"], display_value(record.get(found["id"])))
                for found in columns
            ]
            rows.append({"resource": resource, "url": f"{url}?{query}", "cells": cells})
    if not about and not rows:
        return None
    return {"datasets": about, "rows": rows}


def _ward_code_column(columns: list[dict[str, str]]) -> str | None:
    return next((found["id"] for found in columns if _WARD_CODE_COLUMN.match(found["id"])), None)
