"""What every page's layout needs: the council's identity, navigation and footer links."""

from .languages import language_links
from .selectors.site import footer_pages, navigation_for, site_settings


def platform(request) -> dict:
    return {
        "site_settings": site_settings(),
        "navigation": navigation_for(request),
        "footer_pages": footer_pages(),
        "alternate_languages": [
            (link.code, request.build_absolute_uri(link.url)) for link in language_links(request)
        ],
        "can_administer": _can_administer(request),
    }


def _can_administer(request) -> bool:
    """Whether to offer the Administration link: only to people the admin would let in."""
    from django.contrib import admin

    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and admin.site.has_permission(request))
