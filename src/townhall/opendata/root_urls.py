"""Language-neutral addresses open data serves at the site's root (not under /cy/):
CKAN's Action API at /api/3/action/<name>, and the DCAT catalogue and dataset documents
(from dcat.urlpatterns).
"""

from django.urls import path

from .ckan.views import action, api_root
from .dcat import urlpatterns as dcat_urlpatterns

urlpatterns = [
    path("api/3", api_root, name="ckan-api-root"),
    path("api/3/action/<str:name>", action, name="ckan-action"),
    path("api/action/<str:name>", action, name="ckan-action-unversioned"),
    *dcat_urlpatterns,
]
