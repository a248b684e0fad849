"""The rule that a Transparency Code dataset is published only when its data meets its schema.

The catalogue's publish service calls `check_publishable(dataset)` and refuses to publish
while it returns problems. Checking a large file takes a while, so each report is cached by
upload (a version never changes once stored) and by schema (a schema edit re-checks).
"""

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.utils.translation import gettext as _

from .kinds import UnknownKind, kind
from .validation import TABULAR_FORMATS, ValidationReport, local_copy, validate_upload

REPORT_CACHE_SECONDS = 30 * 24 * 3600
TABULAR_RESOURCE_FORMATS = {"CSV", "TSV", "XLSX"}


@dataclass(frozen=True)
class PublishProblem:
    """A reason a dataset cannot be published yet. `version_id` points at a failing upload."""

    message: str
    resource_id: Any = None
    version_id: Any = None

    def __str__(self) -> str:
        return self.message


def validate_version(version: Any, kind_slug: str) -> ValidationReport:
    """The report for one stored upload (a ResourceVersion), from the cache when it is there.

    `version` needs `id`, `file` (a stored file) and `filename`.
    """
    key = _cache_key(version.id, kind_slug)
    cached = cache.get(key)
    if cached is not None:
        return ValidationReport.from_dict(cached)
    with local_copy(version.file) as path:
        report = validate_upload(kind_slug, path, version.filename)
    cache.set(key, report.as_dict(), REPORT_CACHE_SECONDS)
    return report


def check_publishable(dataset: Any) -> list[PublishProblem]:
    """Why this dataset may not be published yet; an empty list when it may.

    A dataset with no `transparency_code` always may. One with a code must name a mandated
    dataset, and the current upload of each of its tabular resources (CSV, TSV, XLSX) must
    meet that dataset's schema; at least one such upload must exist.
    """
    code = getattr(dataset, "transparency_code", "")
    if not code:
        return []
    try:
        kind(code)
    except UnknownKind:
        return [
            PublishProblem(_('"%(code)s" is not a Transparency Code dataset.') % {"code": code})
        ]
    problems = []
    checked = 0
    for resource in dataset.resources.all():
        version = getattr(resource, "current_version", None)
        if version is None or not _is_tabular(resource, version):
            continue
        checked += 1
        report = validate_version(version, code)
        if not report.valid:
            problems.append(
                PublishProblem(
                    _('"%(name)s" does not meet the schema: %(summary)s')
                    % {"name": resource.name, "summary": report.summary()},
                    resource_id=resource.id,
                    version_id=version.id,
                )
            )
    if not checked:
        problems.append(
            PublishProblem(_("Upload the data as a CSV, TSV or XLSX file before publishing."))
        )
    return problems


def _is_tabular(resource: Any, version: Any) -> bool:
    suffix = "." + str(version.filename).rsplit(".", 1)[-1].lower()
    return str(resource.format).upper() in TABULAR_RESOURCE_FORMATS or suffix in TABULAR_FORMATS


def _cache_key(version_id: Any, kind_slug: str) -> str:
    schema = json.dumps(kind(kind_slug).descriptor, sort_keys=True).encode()
    return f"opendata:transparency:report:{version_id}:{kind_slug}:{hashlib.sha256(schema).hexdigest()[:12]}"
