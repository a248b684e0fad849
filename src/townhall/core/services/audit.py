"""Downloading the audit log, which is itself recorded in the log."""

from collections.abc import Iterator
from dataclasses import asdict

from django.db import transaction

from ..audit import record
from ..permissions import require
from ..selectors.audit import AuditFilters, audit_csv


def audit_log_export(*, actor, filters: AuditFilters) -> Iterator[bytes]:
    """The entries `filters` allow as CSV chunks, for a reader of the log (core.view_audit_log).

    The download holds staff email addresses, so who took it, and with which filters, is
    recorded first (action `core.export_audit_log`).
    """
    require(actor, "core.view_audit_log")
    asked = {name: str(value) for name, value in asdict(filters).items() if value}
    with transaction.atomic():
        record(
            actor=actor,
            operation="action",
            action="core.export_audit_log",
            object_type="core.auditentry",
            object_id="",
            object_label="Audit log download",
            after={"filters": asked},
        )
    return audit_csv(filters)
