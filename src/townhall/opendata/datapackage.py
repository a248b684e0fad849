"""A dataset as a Frictionless Data Package (`datapackage.json`), with Table Schemas.

A Data Package lets tools such as frictionless, Datasette and Open Data Editor load every
file of a dataset with its column types. A tabular resource's schema comes, in order of
preference, from the Transparency Code schema the dataset declares (exact, written by
hand) or from the DataStore's table (the types it inferred or the publisher chose). The
resource's data dictionary then gives each field it describes a `title` and a
`description` (in English; the Welsh is in the DCAT).
"""

import re
from typing import Any

from django.http import Http404, HttpRequest, JsonResponse
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from . import selectors
from .licences import licence as licence_for

TABULAR_FORMATS = {"CSV", "TSV", "XLSX"}

# DataStore column types (and the aliases CKAN clients use) as Table Schema types.
TABLE_SCHEMA_TYPES = {
    "integer": "integer",
    "int": "integer",
    "bigint": "integer",
    "decimal": "number",
    "numeric": "number",
    "number": "number",
    "float": "number",
    "date": "date",
    "datetime": "datetime",
    "timestamp": "datetime",
    "boolean": "boolean",
    "bool": "boolean",
    "text": "string",
    "string": "string",
}

_NAME = re.compile(r"[^a-z0-9._-]+")


def data_package(dataset: Any, *, request: HttpRequest | None) -> dict[str, Any]:
    """The dataset's `datapackage.json` descriptor (Data Package v1)."""
    # dcat.py routes to this module's view, so its helpers are imported when first used.
    from .dcat import SiteLinks, licence_uri, media_type

    links = SiteLinks(request)
    chosen = licence_for(dataset.licence)
    package: dict[str, Any] = {
        "profile": "data-package",
        "id": str(dataset.id),
        "name": _package_name(dataset.slug),
        "title": dataset.title,
        "description": dataset.description,
        "homepage": links.landing_page(dataset),
        "keywords": [keyword.name for keyword in dataset.keywords.all()],
        "licenses": [
            {"name": chosen.id, "path": licence_uri(dataset.licence), "title": str(chosen.title)}
        ],
        "contributors": [{"title": dataset.publisher.title, "role": "publisher"}],
        "resources": [],
    }
    if dataset.published_at:
        package["created"] = dataset.published_at.replace(microsecond=0).isoformat()
    names: set[str] = set()
    for resource in dataset.resources.all():
        entry: dict[str, Any] = {
            "name": _unique_name(resource.name, names),
            "title": resource.name,
            "path": links.download(dataset, resource),
            "format": str(resource.format).lower(),
        }
        mime = media_type(resource.format)
        if mime:
            entry["mediatype"] = mime
        version = getattr(resource, "current_version", None)
        if version is not None:
            entry["bytes"] = version.size
            if version.sha256:
                entry["hash"] = f"sha256:{version.sha256}"
        schema = table_schema(dataset, resource)
        if schema:
            entry["schema"] = schema
            if str(resource.format).upper() in {"CSV", "TSV"}:
                entry["profile"] = "tabular-data-resource"
        if resource.description:
            entry["description"] = resource.description
        package["resources"].append(entry)
    return package


def table_schema(dataset: Any, resource: Any) -> dict[str, Any] | None:
    """The resource's Table Schema, or None for a resource that is not a table."""
    schema = _typed_schema(dataset, resource)
    if schema is None:
        return None
    entries = {entry.column: entry for entry in resource.column_descriptions.all()}
    if not entries:
        return schema
    return {**schema, "fields": [_described(field, entries) for field in schema["fields"]]}


def _described(field: dict[str, Any], entries: dict[str, Any]) -> dict[str, Any]:
    """The Table Schema field with its data dictionary entry's title and description."""
    entry = entries.get(field.get("name"))
    if entry is None:
        return field
    written = {"title": entry.title_en_gb, "description": entry.description_en_gb}
    return {**field, **{key: value for key, value in written.items() if value}}


def _typed_schema(dataset: Any, resource: Any) -> dict[str, Any] | None:
    if str(resource.format).upper() not in TABULAR_FORMATS:
        return None
    code = getattr(dataset, "transparency_code", "")
    if code:
        from .transparency import UnknownKind, kind

        try:
            return kind(code).table_schema()
        except UnknownKind:
            pass
    if not getattr(resource, "datastore_active", False):
        return None
    columns = _datastore_columns(resource.id)
    if not columns:
        return None
    return {
        "fields": [
            {"name": name, "type": TABLE_SCHEMA_TYPES.get(column_type.lower(), "string")}
            for name, column_type in columns
        ]
    }


def _datastore_columns(resource_id: Any) -> list[tuple[str, str]]:
    """(column name, type) pairs of the resource's DataStore table; [] when there is none."""
    try:
        from townhall.datastore.selectors import table_info
    except ImportError:
        return []
    info = table_info(resource_id)
    if not info:
        return []
    columns = info.get("columns") if isinstance(info, dict) else getattr(info, "columns", None)
    return [(_read(column, "name", "id"), _read(column, "type")) for column in columns or ()]


def _read(column: Any, *keys: str) -> str:
    for key in keys:
        value = column.get(key) if isinstance(column, dict) else getattr(column, key, None)
        if value is not None:
            return str(value)
    return ""


def _package_name(slug: str) -> str:
    return _NAME.sub("-", slug.lower()).strip("-") or "dataset"


def _unique_name(title: str, taken: set[str]) -> str:
    """A Data Package resource name (lower case, digits, . _ -) unique in the package."""
    base = _NAME.sub("-", slugify(title)).strip("-") or "resource"
    name, number = base, 2
    while name in taken:
        name, number = f"{base}-{number}", number + 1
    taken.add(name)
    return name


@require_GET
def datapackage_view(request: HttpRequest, name: str) -> JsonResponse:
    """/data/<slug>/datapackage.json for a published dataset; drafts are not found."""
    dataset = selectors.published_datasets().filter(slug=name).first()
    if dataset is None:
        raise Http404
    return JsonResponse(
        data_package(dataset, request=request), json_dumps_params={"ensure_ascii": False}
    )
