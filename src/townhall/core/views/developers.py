"""The developers' page (/developers/, /cy/developers/) and the index of the JSON API at
/api/v1/ (issue #14, item 5).

The page is the footer's "API" link: it introduces every API the site offers in the site's
own design and both languages, with the OpenAPI explorer one link away. /api/v1/ answers a
program with a JSON index of the same addresses and a browser (one that prefers HTML) with
a redirect to the page.

Core imports no module, so the addresses of the APIs modules serve (CKAN, DCAT, feeds, API
tokens) are looked up by URL name and left out when their module is not installed.
"""

from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language_from_request, override
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from ..permissions import can


def _url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _links() -> dict[str, str | None]:
    return {
        "index": reverse("api-index"),
        "openapi": reverse("api-v1:openapi-json"),
        "explorer": reverse("api-v1:openapi-view"),
        "ckan": _url("ckan-api-root"),
        "ckan_search": _url("ckan-action", "package_search"),
        "catalog_jsonld": _url("dcat-catalog-jsonld"),
        "catalog_ttl": _url("dcat-catalog-ttl"),
        "catalog_xml": _url("dcat-catalog-xml"),
        "consultations_feed": _url("participation:feed"),
        "tokens": _url("opendata:tokens"),
        "data": _url("opendata:catalogue"),
    }


@require_GET
def developers(request):
    links = _links()
    # A publisher reading the page gets a link straight to their tokens; the action is
    # declared only when open data is installed, as its page is.
    may_make_tokens = bool(links["tokens"]) and can(request.user, "opendata.manage_api_tokens")
    return render(
        request, "core/developers.html", {"links": links, "may_make_tokens": may_make_tokens}
    )


@require_GET
@vary_on_headers("Accept")
def api_index(request):
    """What /api/v1/ offers, as JSON, or a redirect to the developers' page for a browser."""
    if request.get_preferred_type(["application/json", "text/html"]) == "text/html":
        # /api/v1/ has no language prefix, so the middleware serves it in English: take the
        # person's language from their cookie or browser instead.
        with override(get_language_from_request(request)):
            return HttpResponseRedirect(reverse("core:developers"))
    links = _links()

    def absolute(key: str) -> str | None:
        return request.build_absolute_uri(links[key]) if links[key] else None

    index = {
        "name": "Townhall API",
        "version": "1",
        "documentation": request.build_absolute_uri(reverse("core:developers")),
        "openapi": absolute("openapi"),
        "explorer": absolute("explorer"),
        "ckan_action_api": absolute("ckan"),
        "dcat_catalogue": {
            "jsonld": absolute("catalog_jsonld"),
            "turtle": absolute("catalog_ttl"),
            "rdfxml": absolute("catalog_xml"),
        },
        "feeds": [absolute("consultations_feed")] if links["consultations_feed"] else [],
        "authentication": "Authorization: Token <token>; reading public data needs none.",
    }
    if not links["ckan"]:
        del index["ckan_action_api"]
    if not links["catalog_jsonld"]:
        del index["dcat_catalogue"]
    return JsonResponse(index, json_dumps_params={"indent": 2})
