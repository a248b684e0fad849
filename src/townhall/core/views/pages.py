"""The home page and the council's own pages (accessibility, privacy, cookies, contact)."""

from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
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


def brand_stylesheet(request, colour: str):
    """The council's brand colour as a stylesheet, `/brand/1d4f91.css`: every page links to
    the one for the colour in its site settings. A file rather than a <style> element, so
    the content security policy needs no per-visitor nonce and a page can be kept for
    everyone (ADR 0045). Its address names the colour, so it never changes and is kept
    for a year."""
    response = HttpResponse(f":root{{--th-brand:#{colour}}}\n", content_type="text/css")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
