"""The catalogue's public pages: search with facets, and a dataset's page."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from townhall.core.components.pagination import numbered_pagination, page_number
from townhall.core.permissions import can

from .. import selectors
from ..dcat import negotiated_dataset_response, schema_org_json
from ..licences import licence


def catalogue_query(params) -> selectors.CatalogueQuery:
    """The search form's GET parameters as a catalogue query; unknown values are ignored."""
    sort = params.get("sort", "relevance")
    return selectors.CatalogueQuery(
        q=params.get("q", "").strip()[:200],
        publisher=params.getlist("publisher")[:20],
        theme=params.getlist("theme")[:20],
        format=params.getlist("format")[:20],
        licence=params.getlist("licence")[:20],
        keyword=params.getlist("keyword")[:20],
        sort=sort if sort in selectors.SORTS else "relevance",
    )


def catalogue(request):
    query = catalogue_query(request.GET)
    matching = selectors.catalogue_filter(query)
    facets = selectors.catalogue_facets(matching, query)
    paginator = Paginator(selectors.catalogue_sorted(matching, query), selectors.PER_PAGE)
    page = paginator.get_page(page_number(request.GET.get("page")))
    context = {
        "query": query,
        "facets": facets,
        "page": page,
        "total": paginator.count,
        "active_filters": sum(
            len(chosen)
            for chosen in (query.publisher, query.theme, query.format, query.licence, query.keyword)
        ),
        "pagination": numbered_pagination(request.GET, page.number, paginator.num_pages),
        "sorts": selectors.SORTS,
        "can_publish": can(request.user, "opendata.edit_dataset"),
    }
    return render(request, "opendata/catalogue.html", context)


def dataset(request, slug: str):
    """The dataset's page; or its RDF (DCAT-AP) when the Accept header asks for Turtle,
    JSON-LD, RDF/XML or N-Triples before HTML, as ckanext-dcat's content negotiation."""
    rdf = negotiated_dataset_response(request, slug)
    if rdf is not None:
        return rdf
    found = selectors.dataset_for_reader(slug, request.user)
    if found is None:
        raise Http404
    context = {
        "dataset": found,
        "licence": licence(found.licence),
        "resources": found.resources.all(),
        "citations": selectors.evidence_for(found),
        "can_edit": can(request.user, "opendata.edit_dataset", found),
        "structured_data": schema_org_json(found, request=request),
    }
    response = render(request, "opendata/dataset.html", context)
    patch_vary_headers(response, ["Accept"])
    return response
