"""Every write to open data. Other modules may call the services documented as public in
docs/modules/opendata.md (the evidence services); the rest are for this module's views,
API and commands.
"""

from .catalogue import (
    dataset_archive,
    dataset_create,
    dataset_publish,
    dataset_touch,
    dataset_unpublish,
    dataset_update,
    unique_slug,
)
from .columns import resource_describe_columns
from .evidence import evidence_cite, evidence_uncite
from .groupings import (
    organisation_create,
    organisation_delete,
    organisation_ensure,
    organisation_update,
    theme_create,
    theme_delete,
    theme_ensure,
    theme_update,
)
from .held import version_discard, version_publish
from .platform import platform_datasets_sync
from .resources import (
    COLUMN_TYPES,
    IngestOutcome,
    UploadRefused,
    dataset_delete,
    ingest_stopped,
    ingest_version,
    max_upload_bytes,
    resource_create_link,
    resource_delete,
    resource_set_column_types,
    resource_update,
    resource_upload,
    too_large_message,
    version_ingest_retry,
)
from .tokens import api_token_authenticate, api_token_create, api_token_holder, api_token_revoke

__all__ = [
    "COLUMN_TYPES",
    "IngestOutcome",
    "UploadRefused",
    "api_token_authenticate",
    "api_token_create",
    "api_token_holder",
    "api_token_revoke",
    "dataset_archive",
    "dataset_create",
    "dataset_delete",
    "dataset_publish",
    "dataset_touch",
    "dataset_unpublish",
    "dataset_update",
    "evidence_cite",
    "evidence_uncite",
    "ingest_stopped",
    "ingest_version",
    "max_upload_bytes",
    "organisation_create",
    "organisation_delete",
    "organisation_ensure",
    "organisation_update",
    "platform_datasets_sync",
    "resource_create_link",
    "resource_delete",
    "resource_describe_columns",
    "resource_set_column_types",
    "resource_update",
    "resource_upload",
    "theme_create",
    "theme_delete",
    "theme_ensure",
    "theme_update",
    "too_large_message",
    "unique_slug",
    "version_discard",
    "version_ingest_retry",
    "version_publish",
]
