"""Pages under /data/ (and /cy/data/). Publishers' pages are under /data/publish/.

The Transparency Code pages come from views_transparency.urlpatterns_transparency.
Language-neutral addresses (the CKAN API, the DCAT catalogue) are in root_urls.py.
"""

from django.urls import path, register_converter

from .harvest import views as harvest
from .views import catalogue, groupings, platform, publishing, resources
from .views_transparency import urlpatterns_transparency

app_name = "opendata"


class TableFormat:
    """The formats a table downloads as. Any other extension is no address at all (404), so
    nothing a visitor types after the dot reaches a response header."""

    regex = "csv|json"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TableFormat, "table_format")


def _grouping_pages(grouping: groupings.Grouping) -> list:
    """The list, add, edit and delete pages of publishers or themes (before the datasets'
    own /data/publish/<slug>/ pages, whose slugs may not be "publishers" or "themes")."""
    prefix, name, kind = f"publish/{grouping.name}s/", grouping.name, {"grouping": grouping}
    return [
        path(prefix, groupings.grouping_list, kind, name=f"{name}s"),
        path(f"{prefix}new/", groupings.grouping_add, kind, name=f"{name}_add"),
        path(f"{prefix}<slug:slug>/", groupings.grouping_edit, kind, name=f"{name}_edit"),
        path(
            f"{prefix}<slug:slug>/delete/", groupings.grouping_delete, kind, name=f"{name}_delete"
        ),
    ]


urlpatterns = [
    path("", catalogue.catalogue, name="catalogue"),
    path("publish/", publishing.dashboard, name="publish"),
    path("publish/new/", publishing.dataset_create, name="dataset_create"),
    path("publish/tokens/", publishing.tokens, name="tokens"),
    path("publish/tokens/<uuid:token_id>/revoke/", publishing.token_revoke, name="token_revoke"),
    *_grouping_pages(groupings.PUBLISHERS),
    *_grouping_pages(groupings.THEMES),
    path("publish/harvest/", harvest.sources, name="harvest_sources"),
    path("publish/harvest/new/", harvest.source_create, name="harvest_source_create"),
    path("publish/harvest/<uuid:source_id>/", harvest.source, name="harvest_source"),
    path("publish/harvest/<uuid:source_id>/edit/", harvest.source_edit, name="harvest_source_edit"),
    path("publish/harvest/<uuid:source_id>/run/", harvest.run_request, name="harvest_run_request"),
    path(
        "publish/harvest/<uuid:source_id>/runs/<uuid:run_id>/",
        harvest.run,
        name="harvest_run",
    ),
    path("publish/<slug:slug>/", publishing.dataset_edit, name="dataset_edit"),
    path("publish/<slug:slug>/status/", publishing.dataset_status, name="dataset_status"),
    path("publish/<slug:slug>/add/", publishing.resource_add, name="resource_add"),
    path(
        "publish/<slug:slug>/<uuid:resource_id>/upload/",
        publishing.version_upload,
        name="version_upload",
    ),
    path(
        "publish/<slug:slug>/<uuid:resource_id>/columns/",
        publishing.column_types,
        name="column_types",
    ),
    path(
        "publish/<slug:slug>/<uuid:resource_id>/dictionary/",
        publishing.data_dictionary,
        name="data_dictionary",
    ),
    path(
        "publish/<slug:slug>/<uuid:resource_id>/versions/<uuid:version_id>/retry/",
        publishing.version_retry,
        name="version_retry",
    ),
    path(
        "publish/<slug:slug>/<uuid:resource_id>/versions/<uuid:version_id>/publish/",
        publishing.version_publish,
        name="version_publish",
    ),
    path(
        "publish/<slug:slug>/<uuid:resource_id>/versions/<uuid:version_id>/discard/",
        publishing.version_discard,
        name="version_discard",
    ),
    path(
        "platform/<slug:slug>.<table_format:extension>",
        platform.platform_download,
        name="platform_download",
    ),
    *urlpatterns_transparency,
    path("<slug:slug>/", catalogue.dataset, name="dataset"),
    path("<slug:slug>/<uuid:resource_id>/", resources.resource, name="resource"),
    path("<slug:slug>/<uuid:resource_id>/file/", resources.resource_file, name="resource_file"),
    path(
        "<slug:slug>/<uuid:resource_id>/versions/<uuid:version_id>/",
        resources.version_file,
        name="version_file",
    ),
    path(
        "<slug:slug>/<uuid:resource_id>/download.<table_format:extension>",
        resources.download,
        name="download",
    ),
]
