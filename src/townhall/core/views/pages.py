"""The home page and the council's own pages (accessibility, privacy, cookies, contact)."""

from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static

from ..selectors.site import home_panels, navigation_for, page_by_slug


def home(request):
    sections = [entry for entry in navigation_for(request) if not entry["active"]]
    return render(request, "core/home.html", {"sections": sections, "panels": home_panels()})


def page(request, slug: str):
    found = page_by_slug(slug)
    if found is None:
        raise Http404
    return render(request, "core/page.html", {"page": found})


def favicon(request):
    """Browsers and feed readers ask for /favicon.ico whatever the page says; send them to
    the icon every page links to, rather than to a 404 page for each visit."""
    return HttpResponsePermanentRedirect(static("townhall/favicon.svg"))
