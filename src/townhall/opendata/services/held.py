"""Publishing or discarding a version held because its load found problems (ADR 0037).

A new version of a published dataset whose load found problems is not served at once: the
DataStore keeps its table, loaded and indexed, while the resource serves its previous
version. A publisher who has seen the problems publishes it (the table is swapped in) or
discards it (the table is dropped); both are audited.
"""

import contextlib
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from townhall.core import audit
from townhall.datastore import errors as datastore_errors
from townhall.datastore import selectors as datastore_selectors
from townhall.datastore import services as datastore

from ..harvest.guard import require_editable
from ..models import Resource, ResourceVersion
from .catalogue import dataset_touch, unconfirmed_problems


def version_publish(
    *, actor: Any, version: ResourceVersion, confirm_problems: bool = False
) -> ResourceVersion:
    """Serve a held version in place of the resource's current one and return it.

    Refused with a ValidationError, changing nothing: code "unconfirmed_problems" (on the
    field `confirm_problems`, saying how many) until the publisher confirms having seen the
    problems, and code "not_held" when the version is not held (published, discarded or
    replaced by a newer upload meanwhile). The audit entry records the count confirmed.
    """
    resource = version.resource
    require_editable(actor, "opendata.publish_dataset", resource.dataset)
    with transaction.atomic():
        version = _locked_held(version)
        report = datastore_selectors.held_report(resource.pk)
        total = report.problem_total if report is not None else 0
        if total and not confirm_problems:
            raise unconfirmed_problems(total)
        try:
            released = datastore.held_release(table_id=resource.pk)
        except datastore_errors.NothingHeld as error:
            raise _not_held() from error
        ResourceVersion.objects.filter(pk=version.pk).update(
            ingest_status=ResourceVersion.Ingest.DONE, row_count=released.rows, ingest_message=""
        )
        Resource.objects.filter(pk=resource.pk).update(
            current_version=version, datastore_active=True
        )
        dataset_touch(dataset=resource.dataset)
        audit.record(
            actor=actor,
            operation="action",
            action="opendata.version_publish",
            instance=version,
            before={"ingest_status": ResourceVersion.Ingest.HELD},
            after={"ingest_status": ResourceVersion.Ingest.DONE, "problems_confirmed": total},
        )
    version.refresh_from_db()
    return version


def version_discard(*, actor: Any, version: ResourceVersion) -> ResourceVersion:
    """Drop a held version's table without publishing it; the resource keeps serving its
    current version, and the version's file stays downloadable by publishers. Refused with
    a ValidationError (code "not_held") when the version is not held."""
    resource = version.resource
    require_editable(actor, "opendata.edit_dataset", resource.dataset)
    message = _("Discarded by a publisher; it was never published.")
    with transaction.atomic():
        version = _locked_held(version)
        # The DataStore may have dropped it already (a newer load replaced it): still discard.
        with contextlib.suppress(datastore_errors.NothingHeld):
            datastore.held_discard(table_id=resource.pk)
        ResourceVersion.objects.filter(pk=version.pk).update(
            ingest_status=ResourceVersion.Ingest.DISCARDED, ingest_message=message
        )
        audit.record(
            actor=actor,
            operation="action",
            action="opendata.version_discard",
            instance=version,
            before={"ingest_status": ResourceVersion.Ingest.HELD},
            after={"ingest_status": ResourceVersion.Ingest.DISCARDED},
        )
    version.refresh_from_db()
    return version


def _locked_held(version: ResourceVersion) -> ResourceVersion:
    locked = ResourceVersion.objects.select_for_update().get(pk=version.pk)
    if locked.ingest_status != ResourceVersion.Ingest.HELD:
        raise _not_held()
    return locked


def _not_held() -> ValidationError:
    return ValidationError(
        _(
            "This version is no longer waiting to be published: it was published, discarded "
            "or replaced by a newer upload."
        ),
        code="not_held",
    )
