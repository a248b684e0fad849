"""Assisted digital: recording that staff completed a resident's form for them (ADR 0107).

Every module's assisted mode stores the submission through its own service, as the
resident's (never the helper's account), and calls `assisted_submission_record` in the
same transaction, so that the channel and the helper are recorded the same way for every
form: the channel on core's AssistedSubmission, the helper in the audit log.
"""

from typing import Any

from django.db import models, transaction
from django.utils import translation

from .. import audit
from ..models import AssistedSubmission, Channel
from ..permissions import require
from ..registry import registry


def assisted_submission_record(
    *, actor: Any, form: str, channel: str, instance: models.Model
) -> AssistedSubmission:
    """Record that `actor` completed the resident form `form` (a declared ResidentForm's
    key) for a resident who came by `channel`, `instance` being what the form stored.

    Returns the record; a submission already recorded keeps its first record (a second
    send of the same form is not a second assisted submission) and is not logged again.
    Raises core.permissions.PermissionDenied unless the gate lets `actor` do the form's
    `action` (by default core.assist_residents), ValueError for a channel outside core's
    vocabulary and LookupError for a form no installed module declares. Writes in the
    caller's transaction.
    """
    declared = {resident_form.key: resident_form for resident_form in registry.resident_forms()}
    if form not in declared:
        raise LookupError(f"No installed module declares the resident form {form!r}.")
    require(actor, declared[form].action)
    if channel not in Channel.values:
        raise ValueError(f"Unknown channel {channel!r}")
    object_type = instance._meta.label_lower
    with transaction.atomic():
        record, created = AssistedSubmission.objects.get_or_create(
            object_type=object_type,
            object_id=str(instance.pk),
            defaults={"form": form, "channel": channel},
        )
        if created:
            # The label names the form, not the submission: a subscription's own label
            # would be the resident's email address, which the log must not keep.
            audit.record(
                actor=actor,
                operation="action",
                action="core.assisted_submission",
                object_type=object_type,
                object_id=str(instance.pk),
                object_label=_english(declared[form].label)[:255],
                after={"form": form, "channel": channel},
            )
    return record


def _english(label: Any) -> str:
    """The log reads the same whichever language the helper's page was in."""
    with translation.override("en-gb"):
        return str(label)
