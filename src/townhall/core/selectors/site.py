"""Reads of the council's identity, pages and navigation."""

from uuid import uuid4

from django.core.cache import cache
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language

from ..models import Page, SiteSettings
from ..registry import panels_to_show, registry

SITE_SETTINGS_CACHE_KEY = "townhall:site-settings"
FOOTER_PAGES_CACHE_KEY = "townhall:footer-pages"
SITE_GENERATION_KEY = "townhall:site-generation"

#: Pages the site needs: the law asks for an accessibility statement (Public Sector
#: Bodies Accessibility Regulations 2018), a privacy notice (UK GDPR) and a cookies page
#: (PECR), and the header, the footer and the sign-in pages link to "contact". They can
#: be rewritten but not deleted, and their address cannot change.
REQUIRED_PAGE_SLUGS = frozenset({"accessibility", "privacy", "cookies", "contact"})


def site_settings() -> SiteSettings:
    """The one SiteSettings row, cached; created with the demo defaults if missing."""
    cached = cache.get(SITE_SETTINGS_CACHE_KEY)
    if cached is None:
        cached = SiteSettings.objects.order_by("pk").first()
        if cached is None:
            cached = SiteSettings.objects.create(council_name="Townhall")
        cache.set(SITE_SETTINGS_CACHE_KEY, cached, 300)
    return cached


def site_settings_to_edit() -> SiteSettings:
    """The one SiteSettings row read afresh from the database (a form may change it, and
    the cached copy must not change with it)."""
    return SiteSettings.objects.get(pk=site_settings().pk)


def forget_site_settings() -> None:
    cache.delete(SITE_SETTINGS_CACHE_KEY)
    _site_changed()


def site_generation() -> str:
    """What every page's layout (site settings, footer pages) was made under: replaced
    whenever they change, so answers kept whole (core.response_cache) are made again."""
    generation = cache.get(SITE_GENERATION_KEY)
    if generation is None:
        # add, not set: of two processes starting together, one generation wins for both.
        cache.add(SITE_GENERATION_KEY, uuid4().hex, timeout=None)
        generation = cache.get(SITE_GENERATION_KEY, "")
    return generation


def _site_changed() -> None:
    cache.set(SITE_GENERATION_KEY, uuid4().hex, timeout=None)


def council_name(settings_row: SiteSettings | None = None) -> str:
    row = settings_row or site_settings()
    if get_language() == "cy" and row.council_name_cy:
        return row.council_name_cy
    return row.council_name


def footer_pages() -> list[Page]:
    """The pages every page's footer links to, cached like the site settings: the query
    was the layout's largest cost (bench/README.md, "Polling day")."""
    cached = cache.get(FOOTER_PAGES_CACHE_KEY)
    if cached is None:
        cached = list(
            Page.objects.filter(show_in_footer=True).only("slug", "title_en_gb", "title_cy")
        )
        cache.set(FOOTER_PAGES_CACHE_KEY, cached, 300)
    return cached


def forget_footer_pages() -> None:
    cache.delete(FOOTER_PAGES_CACHE_KEY)
    _site_changed()


def page_by_slug(slug: str) -> Page | None:
    return Page.objects.filter(slug=slug).first()


def pages_for_staff() -> QuerySet[Page]:
    """Every council page, footer order first, without their bodies (for the staff list)."""
    return Page.objects.defer("body", "body_en_gb", "body_cy").order_by(
        "footer_order", "title_en_gb"
    )


def page_by_pk(pk: int) -> Page | None:
    """The page with this id, or None when there is none (it may just have been deleted)."""
    return Page.objects.filter(pk=pk).first()


def page_is_required(page: Page) -> bool:
    """Whether the site needs the page (REQUIRED_PAGE_SLUGS), so it may not be deleted."""
    return page.slug in REQUIRED_PAGE_SLUGS


def navigation_for(request) -> list[dict]:
    """The service navigation entries, with the one for the current section marked."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    home = reverse("core:home")
    entries = []
    for entry in registry.navigation():
        if entry.shown_to is not None and not entry.shown_to(getattr(request, "user", None)):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        active = entry.is_current(view_name=view_name, path=path, url=url, home=home)
        entries.append(
            {"label": entry.label, "url": url, "active": active, "description": entry.description}
        )
    return entries


def home_panels() -> list[dict]:
    """The modules' home page panels that have something to show, ready to include."""
    return panels_to_show(registry.home_panels())
