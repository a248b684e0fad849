"""The native open data API under /api/v1/data/: read the catalogue, and publish from scripts.

Reading is open to everyone. Writing needs an API token (made on /data/publish/tokens/)
sent as `Authorization: Token <token>`; the token acts as the person who made it, so the
same permission checks as on the pages apply. Files are uploaded as the raw request body
(`Content-Type: application/octet-stream`) with the file name in `?filename=`, so a large
file streams to disk and is refused as soon as it passes the size limit.
"""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.urls import reverse
from ninja import Field, Router, Schema, Status
from ninja.security import APIKeyHeader

from townhall.core.api_errors import ApiError, responses
from townhall.core.languages import api_fields

from . import selectors, services
from .ids import as_uuid
from .models import Dataset, Organisation, Resource, ResourceVersion, Theme

UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    }
}


class TokenAuth(APIKeyHeader):
    """`Authorization: Token <token>`, a token made by a data publisher."""

    param_name = "Authorization"

    def authenticate(self, request, key: str | None):
        if not key or not key.startswith("Token "):
            return None
        user = services.api_token_authenticate(key.removeprefix("Token ").strip())
        if user is not None:
            request.user = user
        return user


token_auth = TokenAuth()
router = Router(tags=["Open data"])


class VersionOut(Schema):
    id: UUID
    filename: str
    size: int
    sha256: str
    created_at: datetime
    ingest_status: str
    ingest_message: str
    row_count: int | None
    ingest_key: str


class ResourceOut(Schema):
    id: UUID
    name: str = Field(description="In English")
    name_cy: str = Field(description="In Welsh; empty when not translated")
    description: str
    description_cy: str
    format: str
    url: str
    datastore_active: bool
    current_version: VersionOut | None = None


class DatasetOut(Schema):
    id: UUID
    slug: str
    title: str = Field(description="In English")
    title_cy: str = Field(description="In Welsh; empty when not translated")
    description: str
    description_cy: str
    status: str
    publisher: str
    licence: str
    themes: list[str]
    keywords: list[str]
    update_frequency: str
    temporal_start: date | None
    temporal_end: date | None
    spatial_coverage: str
    spatial_area_code: str
    contact_name: str
    contact_email: str
    transparency_code: str
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    last_updated: datetime | None
    url: str
    resources: list[ResourceOut]


class DatasetIn(Schema):
    title: str = Field(description="In English")
    title_cy: str = Field("", description="In Welsh")
    publisher: str = Field(description="The publisher's short name (slug)")
    slug: str = ""
    description: str = ""
    description_cy: str = ""
    licence: str = "OGL-UK-3.0"
    themes: list[str] = Field(default_factory=list, description="Theme short names")
    keywords: list[str] = Field(default_factory=list)
    update_frequency: str = Dataset.Frequency.IRREGULAR
    temporal_start: date | None = None
    temporal_end: date | None = None
    spatial_coverage: str = ""
    spatial_area_code: str = ""
    contact_name: str = ""
    contact_email: str = ""
    transparency_code: str = ""


def _optional() -> Any:
    """A field a PATCH may leave out but not set to null (a 422 naming it): null is no
    title, no publisher, no list of themes. Its default is not shown in the OpenAPI
    schema, which says the field is text (or a list) and never null."""
    return Field(None, json_schema_extra=lambda schema: schema.pop("default", None))


class DatasetPatch(Schema):
    title: str = _optional()
    title_cy: str = _optional()
    publisher: str = _optional()
    description: str = _optional()
    description_cy: str = _optional()
    licence: str = _optional()
    themes: list[str] = _optional()
    keywords: list[str] = _optional()
    update_frequency: str = _optional()
    temporal_start: date | None = None
    temporal_end: date | None = None
    spatial_coverage: str = _optional()
    spatial_area_code: str = _optional()
    contact_name: str = _optional()
    contact_email: str = _optional()
    transparency_code: str = _optional()


class LinkIn(Schema):
    name: str
    name_cy: str = ""
    url: str
    format: str
    description: str = ""
    description_cy: str = ""


class ColumnTypesIn(Schema):
    column_types: dict[str, str]


class DatasetList(Schema):
    items: list[DatasetOut]
    next: str | None


def _dataset_out(dataset: Dataset) -> dict[str, Any]:
    return {
        **{
            name: getattr(dataset, name)
            for name in DatasetOut.model_fields
            if hasattr(dataset, name)
        },
        **api_fields(dataset, ["title", "description"]),
        "publisher": dataset.publisher.slug,
        "themes": [theme.slug for theme in dataset.themes.all()],
        "keywords": [keyword.name for keyword in dataset.keywords.all()],
        "url": reverse("opendata:dataset", args=[dataset.slug]),
        "resources": [
            _resource_dict(resource, resource.current_version)
            for resource in dataset.resources.all()
        ],
    }


def _invalid(error: ValidationError, code: str = "invalid_dataset") -> ApiError:
    details = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
    return ApiError(400, code, " ".join(error.messages), {"errors": details})


def _dataset_for_writing(dataset_id: str) -> Dataset:
    dataset = (
        Dataset.objects.select_related("publisher").filter(pk=as_uuid(dataset_id)).first()
        or Dataset.objects.filter(slug=dataset_id).first()
    )
    if dataset is None:
        raise ApiError(404, "dataset_not_found", "There is no dataset with this id or name.")
    return dataset


def _publisher(slug: str) -> Organisation:
    publisher = Organisation.objects.filter(slug=slug).first()
    if publisher is None:
        raise ApiError(400, "unknown_publisher", f"There is no publisher called “{slug}”.")
    return publisher


def _themes(slugs: list[str]) -> list[Theme]:
    themes = list(Theme.objects.filter(slug__in=slugs))
    missing = set(slugs) - {theme.slug for theme in themes}
    if missing:
        raise ApiError(400, "unknown_theme", f"Unknown themes: {', '.join(sorted(missing))}.")
    return themes


@router.get("/datasets", response=responses(DatasetList, 422), summary="List published datasets")
def list_datasets(request, after: str = "", limit: int = 50):
    """Published datasets by short name, 50 at a time; follow `next` for more."""
    limit = max(1, min(limit, 200))
    datasets = list(
        selectors.published_datasets().filter(slug__gt=after).order_by("slug")[: limit + 1]
    )
    more = len(datasets) > limit
    datasets = datasets[:limit]
    next_url = (
        f"{reverse('api-v1:list_datasets')}?after={datasets[-1].slug}&limit={limit}"
        if more
        else None
    )
    return {"items": [_dataset_out(d) for d in datasets], "next": next_url}


@router.get("/datasets/{dataset_id}", response=responses(DatasetOut, 404), summary="Read a dataset")
def get_dataset(request, dataset_id: str):
    """A dataset by UUID or short name. Drafts only with a publisher's token."""
    found = selectors.dataset_by_id_or_name(dataset_id, user=token_auth(request) or request.user)
    if found is None:
        raise ApiError(404, "dataset_not_found", "There is no dataset with this id or name.")
    return _dataset_out(found)


@router.post(
    "/datasets",
    response=responses(DatasetOut, 401, 403, 413, 422, status=201),
    auth=token_auth,
    summary="Create a dataset",
)
def create_dataset(request, payload: DatasetIn):
    """Create a draft dataset. Sending the same title twice returns the same draft."""
    data = payload.dict()
    try:
        dataset = services.dataset_create(
            actor=request.user,
            title=data.pop("title"),
            publisher=_publisher(data.pop("publisher")),
            slug=data.pop("slug"),
            themes=_themes(data.pop("themes")),
            keywords=data.pop("keywords"),
            **data,
        )
    except ValidationError as error:
        raise _invalid(error) from error
    return Status(201, _dataset_out(dataset))


@router.patch(
    "/datasets/{dataset_id}",
    response=responses(DatasetOut, 401, 403, 404, 413, 422),
    auth=token_auth,
    summary="Update a dataset",
)
def update_dataset(request, dataset_id: str, payload: DatasetPatch):
    """Change some of a dataset's details; fields left out keep their values."""
    dataset = _dataset_for_writing(dataset_id)
    data = payload.dict(exclude_unset=True)
    themes = _themes(data.pop("themes")) if "themes" in data else None
    if "publisher" in data:
        data["publisher"] = _publisher(data["publisher"])
    try:
        services.dataset_update(
            actor=request.user,
            dataset=dataset,
            themes=themes,
            keywords=data.pop("keywords", None),
            **data,
        )
    except ValidationError as error:
        raise _invalid(error) from error
    return _dataset_out(Dataset.objects.get(pk=dataset.pk))


@router.post(
    "/datasets/{dataset_id}/publish",
    response=responses(DatasetOut, 401, 403, 404, 422),
    auth=token_auth,
    summary="Publish a dataset",
)
def publish_dataset(request, dataset_id: str, confirm_problems: bool = False):
    """Make a draft dataset public (recorded in the audit log).

    When its data was loaded with problems, the answer is a 400 with code
    `unconfirmed_problems` saying how many, until the call is repeated with
    `confirm_problems=true` after checking them.
    """
    dataset = _dataset_for_writing(dataset_id)
    try:
        services.dataset_publish(
            actor=request.user, dataset=dataset, confirm_problems=confirm_problems
        )
    except ValidationError as error:
        unconfirmed = "confirm_problems" in getattr(error, "error_dict", {})
        raise _invalid(
            error, "unconfirmed_problems" if unconfirmed else "not_publishable"
        ) from error
    return _dataset_out(dataset)


@router.post(
    "/datasets/{dataset_id}/unpublish",
    response=responses(DatasetOut, 401, 403, 404),
    auth=token_auth,
    summary="Unpublish a dataset",
)
def unpublish_dataset(request, dataset_id: str):
    """Take a dataset back to draft (recorded in the audit log)."""
    dataset = _dataset_for_writing(dataset_id)
    services.dataset_unpublish(actor=request.user, dataset=dataset)
    return _dataset_out(dataset)


def _upload(
    request, *, dataset: Dataset, filename: str, resource: Resource | None = None, name: str = ""
):
    declared = int(request.META.get("CONTENT_LENGTH") or 0)
    if declared > services.max_upload_bytes():
        raise ApiError(413, "upload_too_large", services.too_large_message())
    try:
        return services.resource_upload(
            actor=request.user,
            dataset=dataset,
            resource=resource,
            content=request,
            filename=filename,
            name=name,
        )
    except services.UploadRefused as error:
        raise _invalid(error, "upload_refused") from error


@router.post(
    "/datasets/{dataset_id}/resources",
    response=responses(ResourceOut, 401, 403, 404, 413, 422, status=201),
    auth=token_auth,
    summary="Upload a file as a new resource",
    openapi_extra=UPLOAD_BODY,
)
def upload_resource(request, dataset_id: str, filename: str, name: str = ""):
    """Send the file as the raw body. CSV, TSV and XLSX files are then loaded into the
    DataStore in the background; follow `current_version.ingest_status` on the resource."""
    version = _upload(
        request, dataset=_dataset_for_writing(dataset_id), filename=filename, name=name
    )
    return Status(201, _resource_out(version.resource_id))


@router.post(
    "/datasets/{dataset_id}/links",
    response=responses(ResourceOut, 401, 403, 404, 413, 422, status=201),
    auth=token_auth,
    summary="Add a link to data published elsewhere",
)
def add_link(request, dataset_id: str, payload: LinkIn):
    try:
        resource = services.resource_create_link(
            actor=request.user, dataset=_dataset_for_writing(dataset_id), **payload.dict()
        )
    except ValidationError as error:
        raise _invalid(error, "invalid_resource") from error
    return Status(201, _resource_out(resource.pk))


@router.get(
    "/resources/{resource_id}", response=responses(ResourceOut, 404, 422), summary="Read a resource"
)
def get_resource(request, resource_id: UUID):
    """A resource, with its newest upload and how loading it went."""
    found = selectors.resource_for_reader(resource_id, token_auth(request) or request.user)
    if found is None:
        raise ApiError(404, "resource_not_found", "There is no resource with this id.")
    return _resource_out(found.pk, latest=True)


@router.post(
    "/resources/{resource_id}/versions",
    response=responses(ResourceOut, 401, 403, 404, 413, 422, status=201),
    auth=token_auth,
    summary="Upload a new version of a resource",
    openapi_extra=UPLOAD_BODY,
)
def upload_version(request, resource_id: UUID, filename: str):
    """Send the new file as the raw body. The previous version stays served until the new
    one has loaded; if it fails to load, the previous one stays."""
    resource = Resource.objects.select_related("dataset").filter(pk=resource_id).first()
    if resource is None:
        raise ApiError(404, "resource_not_found", "There is no resource with this id.")
    _upload(request, dataset=resource.dataset, resource=resource, filename=filename)
    return Status(201, _resource_out(resource.pk, latest=True))


@router.put(
    "/resources/{resource_id}/column-types",
    response=responses(ResourceOut, 401, 403, 404, 413, 422),
    auth=token_auth,
    summary="Set column types and reload",
)
def set_column_types(request, resource_id: UUID, payload: ColumnTypesIn):
    """Override inferred types ({"Net amount": "decimal"}) and load the newest upload again."""
    resource = Resource.objects.select_related("dataset").filter(pk=resource_id).first()
    if resource is None:
        raise ApiError(404, "resource_not_found", "There is no resource with this id.")
    try:
        services.resource_set_column_types(
            actor=request.user, resource=resource, column_types=payload.column_types
        )
    except ValidationError as error:
        raise _invalid(error, "invalid_column_types") from error
    return _resource_out(resource.pk, latest=True)


@router.post(
    "/resources/{resource_id}/versions/{version_id}/publish",
    response=responses(ResourceOut, 401, 403, 404, 409, 422),
    auth=token_auth,
    summary="Publish a version held because of its problems",
)
def publish_version(request, resource_id: UUID, version_id: UUID, confirm_problems: bool = False):
    """Serve a new version of a published dataset that was held because its load found
    problems (its `ingest_status` is "held"). Answers 400 `unconfirmed_problems` saying how
    many until repeated with `confirm_problems=true`, and 409 `not_held` when the version
    is not held (published, discarded or replaced meanwhile). Audited with the count."""
    version = _version_for_writing(resource_id, version_id)
    try:
        services.version_publish(
            actor=request.user, version=version, confirm_problems=confirm_problems
        )
    except ValidationError as error:
        raise _held_refusal(error) from error
    return _resource_out(resource_id, latest=True)


@router.post(
    "/resources/{resource_id}/versions/{version_id}/discard",
    response=responses(ResourceOut, 401, 403, 404, 409, 422),
    auth=token_auth,
    summary="Discard a version held because of its problems",
)
def discard_version(request, resource_id: UUID, version_id: UUID):
    """Drop a held version's loaded table without publishing it; the resource keeps serving
    its current version. 409 `not_held` when the version is not held. Audited."""
    version = _version_for_writing(resource_id, version_id)
    try:
        services.version_discard(actor=request.user, version=version)
    except ValidationError as error:
        raise _held_refusal(error) from error
    return _resource_out(resource_id, latest=True)


def _version_for_writing(resource_id: UUID, version_id: UUID) -> ResourceVersion:
    version = (
        ResourceVersion.objects.select_related("resource__dataset")
        .filter(pk=version_id, resource_id=resource_id)
        .first()
    )
    if version is None:
        raise ApiError(404, "version_not_found", "There is no version with this id.")
    return version


def _held_refusal(error: ValidationError) -> ApiError:
    if "confirm_problems" in getattr(error, "error_dict", {}):
        return _invalid(error, "unconfirmed_problems")
    return ApiError(409, "not_held", " ".join(error.messages))


def _resource_out(resource_id, *, latest: bool = False) -> dict[str, Any]:
    resource = Resource.objects.select_related("current_version").get(pk=resource_id)
    version: ResourceVersion | None = (
        (selectors.latest_version(resource) if latest else None)
        or resource.current_version
        or selectors.latest_version(resource)
    )
    return _resource_dict(resource, version)


def _resource_dict(resource: Resource, version: ResourceVersion | None) -> dict[str, Any]:
    return {
        "id": resource.pk,
        **api_fields(resource, ["name", "description"]),
        "format": resource.format,
        "url": resource.url,
        "datastore_active": resource.datastore_active,
        "current_version": version,
    }
