"""What every page's layout needs: the council's identity, navigation and footer links."""

from .selectors.site import footer_pages, navigation_for, site_settings


def platform(request) -> dict:
    return {
        "site_settings": site_settings(),
        "navigation": navigation_for(request),
        "footer_pages": footer_pages(),
    }
