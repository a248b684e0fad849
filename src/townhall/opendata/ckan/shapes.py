"""Catalogue objects as CKAN's dictionaries (package, resource, organization, group, tag).

Field names, value kinds and date formats follow CKAN 2.10's package_show output, so
harvesters and clients that read CKAN read Townhall unchanged. Times are UTC, ISO 8601
without a zone, as CKAN writes them.
"""

from datetime import UTC, datetime

from django.urls import reverse

from townhall.core.languages import CONTENT_DEFAULT, both_languages, in_language

from ..licences import licence as licence_for
from ..models import Dataset, Keyword, Organisation, Resource, Theme

#: Our column types as CKAN's DataStore names them.
FIELD_TYPES = {
    "integer": "int",
    "decimal": "numeric",
    "date": "date",
    "datetime": "timestamp",
    "boolean": "bool",
    "text": "text",
}
MEDIA_TYPES = {
    "CSV": "text/csv",
    "TSV": "text/tab-separated-values",
    "XLSX": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "JSON": "application/json",
    "GeoJSON": "application/geo+json",
    "PDF": "application/pdf",
    "HTML": "text/html",
}


def english(obj, field: str) -> str:
    """A field in CKAN's default language, English; its translations go alongside in
    `<field>_translated`, as ckanext-fluent publishes them (ADR 0060)."""
    return in_language(obj, field, CONTENT_DEFAULT)


def ckan_time(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat()


def organization_dict(organisation: Organisation, *, package_count: int | None = None) -> dict:
    shape = {
        "id": str(organisation.pk),
        "name": organisation.slug,
        "title": english(organisation, "title"),
        "title_translated": both_languages(organisation, "title"),
        "display_name": english(organisation, "title"),
        "description": english(organisation, "description"),
        "description_translated": both_languages(organisation, "description"),
        "image_url": "",
        "image_display_url": "",
        "created": ckan_time(organisation.created_at),
        "is_organization": True,
        "approval_status": "approved",
        "state": "active",
        "type": "organization",
    }
    if package_count is not None:
        shape["package_count"] = package_count
    return shape


def group_dict(theme: Theme, *, package_count: int | None = None) -> dict:
    shape = {
        "id": str(theme.pk),
        "name": theme.slug,
        "title": english(theme, "title"),
        "title_translated": both_languages(theme, "title"),
        "display_name": english(theme, "title"),
        "description": english(theme, "description"),
        "description_translated": both_languages(theme, "description"),
        "image_url": "",
        "image_display_url": "",
        "created": ckan_time(theme.created_at),
        "is_organization": False,
        "approval_status": "approved",
        "state": "active",
        "type": "group",
    }
    if package_count is not None:
        shape["package_count"] = package_count
    return shape


def tag_dict(keyword: Keyword) -> dict:
    return {
        "id": str(keyword.pk),
        "name": keyword.name,
        "display_name": keyword.name,
        "state": "active",
        "vocabulary_id": None,
    }


def resource_dict(request, resource: Resource) -> dict:
    dataset = resource.dataset
    version = resource.current_version
    if version is not None:
        url = request.build_absolute_uri(
            reverse("opendata:resource_file", args=[dataset.slug, resource.pk])
        )
    elif resource.url.startswith("/"):
        url = request.build_absolute_uri(resource.url)
    else:
        url = resource.url
    return {
        "id": str(resource.pk),
        "package_id": str(dataset.pk),
        "name": english(resource, "name"),
        "name_translated": both_languages(resource, "name"),
        "description": english(resource, "description"),
        "description_translated": both_languages(resource, "description"),
        "format": resource.format,
        "mimetype": MEDIA_TYPES.get(resource.format),
        "url": url,
        "url_type": "upload" if version is not None else None,
        "size": version.size if version is not None else None,
        "hash": version.sha256 if version is not None else "",
        "datastore_active": resource.datastore_active,
        "position": resource.position,
        "created": ckan_time(resource.created_at),
        "last_modified": ckan_time(version.created_at if version else None),
        "metadata_modified": ckan_time(resource.updated_at),
        "state": "active",
        "cache_url": None,
        "resource_type": None,
        "preview_url": request.build_absolute_uri(
            reverse("opendata:resource", args=[dataset.slug, resource.pk])
        ),
    }


def package_dict(request, dataset: Dataset) -> dict:
    """A dataset as CKAN's package_show returns it (resources, tags, groups included)."""
    licence = licence_for(dataset.licence)
    resources = [resource_dict(request, resource) for resource in dataset.resources.all()]
    keywords = list(dataset.keywords.all())
    extras = {
        "update_frequency": dataset.update_frequency,
        "temporal_start": dataset.temporal_start.isoformat() if dataset.temporal_start else "",
        "temporal_end": dataset.temporal_end.isoformat() if dataset.temporal_end else "",
        "spatial_text": dataset.spatial_coverage,
        "spatial_area_code": dataset.spatial_area_code,
        "transparency_code": dataset.transparency_code,
        "data_last_updated": ckan_time(dataset.last_updated) or "",
    }
    return {
        "id": str(dataset.pk),
        "name": dataset.slug,
        "title": english(dataset, "title"),
        "title_translated": both_languages(dataset, "title"),
        "notes": english(dataset, "description"),
        "notes_translated": both_languages(dataset, "description"),
        "url": request.build_absolute_uri(reverse("opendata:dataset", args=[dataset.slug])),
        "type": "dataset",
        "state": "draft" if dataset.status == Dataset.Status.DRAFT else "active",
        "private": False,
        "version": None,
        "author": None,
        "author_email": None,
        "maintainer": dataset.contact_name or None,
        "maintainer_email": dataset.contact_email or None,
        "license_id": dataset.licence,
        "license_title": str(licence.title),
        "license_url": licence.url,
        "isopen": licence.is_open,
        "metadata_created": ckan_time(dataset.created_at),
        "metadata_modified": ckan_time(dataset.updated_at),
        "owner_org": str(dataset.publisher_id),
        "organization": organization_dict(dataset.publisher),
        "groups": [group_dict(theme) for theme in dataset.themes.all()],
        "tags": [tag_dict(keyword) for keyword in keywords],
        "resources": resources,
        "num_resources": len(resources),
        "num_tags": len(keywords),
        "extras": [{"key": key, "value": value} for key, value in extras.items() if value],
        "relationships_as_object": [],
        "relationships_as_subject": [],
    }


def datastore_fields_of(fields: list[dict], *, with_row_id: bool = True) -> list[dict]:
    """DataStore fields as CKAN's: each {id, type} with CKAN's type names."""
    shaped = [
        {"id": field["id"], "type": FIELD_TYPES.get(field.get("type", "text"), "text")}
        for field in fields
    ]
    if with_row_id and shaped and shaped[0]["id"] == "_id":
        shaped[0]["type"] = "int"
    return shaped
