"""The read side of CKAN's Action API v3, over the catalogue.

Each action takes (request, data_dict) and returns the `result` of CKAN's envelope, or
raises one of ckan.errors. Parameter names, defaults and limits are CKAN 2.10's
(ckan/logic/action/get.py): package_search's rows default 10, capped at 1000; its sort
default "score desc, metadata_modified desc"; facet.limit default 50.
"""

from django.db.models import Count, Q, QuerySet

from .. import selectors
from ..ids import as_uuid
from ..models import Dataset, Keyword, Organisation, Resource, Theme
from . import params, shapes, solr
from .errors import NotFound, SearchQueryError, ValidationError

ROWS_DEFAULT, ROWS_MAX = 10, 1000
FACET_LIMIT_DEFAULT = 50
DEFAULT_SORT = "score desc, metadata_modified desc"


def _user(request):
    return getattr(request, "ckan_user", None) or request.user


def package_list(request, data: dict) -> list[str]:
    """Names of all published datasets, sorted (limit and offset optional)."""
    limit = params.integer(data, "limit", 0)
    offset = params.integer(data, "offset", 0)
    names = Dataset.objects.filter(status=Dataset.Status.PUBLISHED).order_by("slug")
    names = names.values_list("slug", flat=True)
    return list(names[offset : offset + limit] if limit else names[offset:])


def package_show(request, data: dict) -> dict:
    """One dataset by id or name. Drafts are found only by those who may edit them."""
    identifier = data.get("id") or data.get("name_or_id")
    if not identifier:
        raise ValidationError({"id": ["Missing value"]})
    dataset = selectors.dataset_by_id_or_name(str(identifier), user=_user(request))
    if dataset is None:
        raise NotFound()
    return shapes.package_dict(request, _with_details(Dataset.objects.filter(pk=dataset.pk))[0])


def package_search(request, data: dict) -> dict:
    """Search published datasets with CKAN's q, fq (and fq_list), rows, start, sort and
    facet parameters; q, fq and sort in the Solr syntax CKAN clients send (see solr.py)."""
    rows = params.integer(data, "rows", ROWS_DEFAULT, maximum=ROWS_MAX)
    start = params.integer(data, "start", 0)
    sort = str(data.get("sort") or DEFAULT_SORT)
    facet_fields = params.text_list(data, "facet.field")
    facet_limit = params.integer(data, "facet.limit", FACET_LIMIT_DEFAULT, minimum=-1)
    filters = [*solr.as_list(data.get("fq")), *solr.as_list(data.get("fq_list"))]
    published = Dataset.objects.filter(status=Dataset.Status.PUBLISHED)
    datasets, words = solr.search(published, q=str(data.get("q") or ""), fq=filters)
    ordered = solr.ordered(datasets, sort, words)
    count = datasets.count()
    page = list(_with_details(ordered)[start : start + rows]) if rows else []
    facets, search_facets = _facets(datasets, facet_fields, facet_limit)
    return {
        "count": count,
        "sort": sort,
        "facets": facets,
        "search_facets": search_facets,
        "results": [shapes.package_dict(request, dataset) for dataset in page],
    }


def _with_details(datasets: QuerySet[Dataset]) -> QuerySet[Dataset]:
    from django.db.models import Prefetch

    return (
        datasets.select_related("publisher")
        .prefetch_related(None)
        .prefetch_related(
            "themes",
            "keywords",
            Prefetch(
                "resources",
                queryset=Resource.objects.select_related("current_version", "dataset"),
            ),
        )
    )


def _facets(datasets, fields: list[str], limit: int) -> tuple[dict, dict]:
    """CKAN's `facets` {field: {value: count}} and `search_facets` for the asked fields."""
    ids = list(datasets.values_list("pk", flat=True))
    matching = Dataset.objects.filter(pk__in=ids)
    facets, search_facets = {}, {}
    for field in fields:
        counts = _facet_counts(matching, field)
        counts.sort(key=lambda item: (-item[2], item[0]))
        if limit >= 0:
            counts = counts[:limit]
        facets[field] = {name: count for name, _title, count in counts}
        search_facets[field] = {
            "title": field,
            "items": [
                {"name": name, "display_name": title, "count": count}
                for name, title, count in counts
            ],
        }
    return facets, search_facets


def _facet_counts(matching, field: str) -> list[tuple[str, str, int]]:
    if field == "organization":
        rows = Organisation.objects.filter(datasets__in=matching).annotate(
            n=Count("datasets", distinct=True)
        )
        return [(row.slug, row.title, row.n) for row in rows]
    if field == "groups":
        rows = Theme.objects.filter(datasets__in=matching).annotate(
            n=Count("datasets", distinct=True)
        )
        return [(row.slug, row.title, row.n) for row in rows]
    if field == "tags":
        rows = Keyword.objects.filter(datasets__in=matching).annotate(
            n=Count("datasets", distinct=True)
        )
        return [(row.name, row.name, row.n) for row in rows]
    if field == "res_format":
        rows = (
            Resource.objects.filter(dataset__in=matching)
            .values("format")
            .annotate(n=Count("dataset", distinct=True))
        )
        return [(row["format"], row["format"], row["n"]) for row in rows]
    if field == "license_id":
        rows = matching.values("licence").annotate(n=Count("pk"))
        return [(row["licence"], row["licence"], row["n"]) for row in rows]
    raise SearchQueryError(f"undefined field {field}")


def _listing(data: dict, rows, shape, name: str) -> list:
    """organization_list / group_list: names, or full dicts with all_fields."""
    sort = str(data.get("sort") or data.get("order_by") or "name asc")
    wanted = params.text_list(data, name + "s")
    limit = params.integer(data, "limit", 0)
    offset = params.integer(data, "offset", 0)
    if wanted:
        rows = rows.filter(slug__in=wanted)
    pieces = sort.split()
    key = {
        "name": "slug",
        "title": "title",
        "package_count": "package_count",
        "packages": "package_count",
    }.get(pieces[0] if pieces else "name")
    if key is None:
        raise ValidationError({"sort": [f"Cannot sort by field `{pieces[0]}`"]})
    descending = len(pieces) > 1 and pieces[1].lower() == "desc"
    rows = rows.order_by(f"{'-' if descending else ''}{key}", "slug")
    rows = rows[offset : offset + limit] if limit else rows[offset:]
    if params.boolean(data, "all_fields", False):
        return [shape(row, package_count=row.package_count) for row in rows]
    return [row.slug for row in rows]


def organization_list(request, data: dict) -> list:
    """Publishers' names, or their dicts with package_count when all_fields is true."""
    return _listing(
        data, selectors.organisations_with_counts(), shapes.organization_dict, "organization"
    )


def group_list(request, data: dict) -> list:
    """Themes (CKAN's groups): names, or dicts with package_count when all_fields is true."""
    return _listing(data, selectors.themes_with_counts(), shapes.group_dict, "group")


def _show(request, data: dict, rows, shape, relation: str) -> dict:
    identifier = data.get("id")
    if not identifier:
        raise ValidationError({"id": ["Missing value"]})
    uuid = as_uuid(identifier)
    found = rows.filter(Q(pk=uuid) if uuid else Q(slug=str(identifier))).first()
    if found is None:
        raise NotFound()
    result = shape(found, package_count=found.package_count)
    if params.boolean(data, "include_datasets", False):
        datasets = selectors.published_datasets().filter(**{relation: found})[:1000]
        result["packages"] = [shapes.package_dict(request, dataset) for dataset in datasets]
    return result


def organization_show(request, data: dict) -> dict:
    """One publisher by id or name; with include_datasets, its published datasets."""
    return _show(
        request, data, selectors.organisations_with_counts(), shapes.organization_dict, "publisher"
    )


def group_show(request, data: dict) -> dict:
    """One theme by id or name; with include_datasets, its published datasets."""
    return _show(request, data, selectors.themes_with_counts(), shapes.group_dict, "themes")


def tag_list(request, data: dict) -> list:
    """Keywords of published datasets; `query` keeps those containing it."""
    keywords = selectors.keywords_in_use().order_by("name")
    query = str(data.get("query") or "")
    if query:
        keywords = keywords.filter(name__icontains=query)
    if params.boolean(data, "all_fields", False):
        return [shapes.tag_dict(keyword) for keyword in keywords]
    return [keyword.name for keyword in keywords]


def resource_show(request, data: dict) -> dict:
    """One resource by id."""
    identifier = data.get("id")
    if not identifier:
        raise ValidationError({"id": ["Missing value"]})
    resource = selectors.resource_for_reader(str(identifier), _user(request))
    if resource is None:
        raise NotFound("Resource was not found.")
    return shapes.resource_dict(request, resource)


def status_show(request, data: dict) -> dict:
    """What this site is, as CKAN clients check before anything else."""
    from townhall.core.selectors.site import council_name

    return {
        "site_title": council_name(),
        "site_description": "",
        "site_url": request.build_absolute_uri("/").rstrip("/"),
        "ckan_version": "2.10.0",
        "error_emails_to": None,
        "locale_default": "en_GB",
        "extensions": ["datastore"],
    }


def help_show(request, data: dict) -> str:
    """The documentation of an action."""
    from .views import ACTIONS

    name = data.get("name")
    function = ACTIONS.get(str(name))
    if function is None:
        raise NotFound("Action function not found")
    return (function.__doc__ or "").strip()


def current_package_list_with_resources(request, data: dict) -> list[dict]:
    """Published datasets with their resources, most recently changed first: `limit`
    (default 10, at most 1000, as package_search's rows) and `offset` (or the deprecated
    `page`, counted from 1, when no offset is given)."""
    limit = params.integer(data, "limit", ROWS_DEFAULT, maximum=ROWS_MAX)
    offset = params.integer(data, "offset", 0)
    if "offset" not in data and "page" in data:
        offset = (params.integer(data, "page", 1, minimum=1) - 1) * limit
    datasets = Dataset.objects.filter(status=Dataset.Status.PUBLISHED).order_by(
        "-updated_at", "slug"
    )
    page = _with_details(datasets)[offset : offset + limit] if limit else []
    return [shapes.package_dict(request, dataset) for dataset in page]


def package_autocomplete(request, data: dict) -> list[dict]:
    """Published datasets whose name or title contains `q` (case-insensitive), names that
    match first: each {name, title, match_field, match_displayed}, as CKAN answers;
    `limit` defaults to 10 (at most 1000)."""
    if "q" not in data:
        raise ValidationError({"q": ["Missing value"]})
    q = str(data.get("q") or "").strip()
    limit = params.integer(data, "limit", 10, maximum=ROWS_MAX)
    if not q or not limit:
        return []
    published = Dataset.objects.filter(status=Dataset.Status.PUBLISHED)
    by_name = list(published.filter(slug__icontains=q).order_by("slug")[:limit])
    in_title = Q(title_en_gb__icontains=q) | Q(title_cy__icontains=q)
    by_title = published.filter(in_title).exclude(pk__in=[d.pk for d in by_name])
    matches = by_name + list(by_title.order_by("slug")[: limit - len(by_name)])
    found = []
    for dataset in matches:
        title = shapes.english(dataset, "title")
        in_name = q.lower() in dataset.slug
        found.append(
            {
                "name": dataset.slug,
                "title": title,
                "match_field": "name" if in_name else "title",
                "match_displayed": dataset.slug if in_name else f"{title} ({dataset.slug})",
            }
        )
    return found


def tag_show(request, data: dict) -> dict:
    """A keyword of published datasets by name (or id); with include_datasets, those
    datasets (up to 1000), as CKAN's tag_show."""
    identifier = str(data.get("id") or "")
    if not identifier:
        raise ValidationError({"id": ["Missing value"]})
    if data.get("vocabulary_id"):
        raise NotFound()  # Townhall's keywords are free tags, in no vocabulary.
    keywords = selectors.keywords_in_use()
    keyword = keywords.filter(name=identifier).first()
    if keyword is None and identifier.isdigit() and len(identifier) < 19:
        keyword = keywords.filter(pk=int(identifier)).first()
    if keyword is None:
        raise NotFound()
    result = shapes.tag_dict(keyword)
    if params.boolean(data, "include_datasets", False):
        datasets = _with_details(
            Dataset.objects.filter(status=Dataset.Status.PUBLISHED, keywords=keyword)
        ).order_by("slug")[:1000]
        result["packages"] = [shapes.package_dict(request, dataset) for dataset in datasets]
    return result
