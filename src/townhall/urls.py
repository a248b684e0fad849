"""URLs: language-neutral machinery first, then every page in English (/) and Welsh (/cy/).

Each module's pages come from its manifest (`urls`, `url_prefix`, and `root_urls` for
language-neutral paths), so adding a module touches no URL file but its own.
"""

import re
from importlib import import_module

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from townhall.core.api import api
from townhall.core.registry import registry
from townhall.core.views.developers import api_index
from townhall.core.views.health import healthz
from townhall.core.views.pages import brand_stylesheet, favicon

handler400 = "townhall.core.views.errors.bad_request"
handler403 = "townhall.core.views.errors.forbidden"
handler404 = "townhall.core.views.errors.not_found"
handler500 = "townhall.core.views.errors.server_error"
# Not a Django hook: django-allauth looks it up to answer its rate limits with our page.
handler429 = "townhall.core.views.errors.rate_limited"

module_urls = [
    path(manifest.url_prefix, include(import_module(manifest.urls)))
    for manifest in registry
    if manifest.urls
]
module_root_urls = [
    path("", include(import_module(manifest.root_urls)))
    for manifest in registry
    if manifest.root_urls
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    re_path(r"^brand/(?P<colour>[0-9a-fA-F]{6})\.css$", brand_stylesheet, name="brand_stylesheet"),
    # /api/v1/ itself: a JSON index for programs, the developers' page for browsers.
    path("api/v1/", api_index, name="api-index"),
    path("api/v1/", api.urls),
    # Paths a standard fixes, and feeds, in every language (each manifest's `root_urls`).
    *module_root_urls,
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    *module_urls,
    path("", include("townhall.core.urls")),
    prefix_default_language=False,
)

if settings.SERVE_MEDIA:
    from django.views.static import serve

    urlpatterns.append(
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    )
