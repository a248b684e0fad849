"""The audit log under Manage, for its readers (core.view_audit_log), without the admin site."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from ..audit_forms import AuditFilterForm
from ..permissions import require
from ..selectors.audit import (
    audit_entry,
    audit_page,
    field_changes,
    object_type_label,
    shown_value,
)
from ..services.audit import audit_log_export

VIEW_AUDIT_LOG = "core.view_audit_log"
CURSORS = ("older", "newer")


def _cursor(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() and len(text) < 19 else None


def _filter_query(request) -> str:
    """The filters in the request's query, without the page it is on."""
    kept = [(key, value) for key, value in request.GET.items() if key not in CURSORS]
    return urlencode(kept)


@login_required
@require_GET
def audit_log(request):
    require(request.user, VIEW_AUDIT_LOG)
    form = AuditFilterForm(request.GET)
    form.is_valid()
    page = audit_page(
        form.filters(),
        older_than=_cursor(request.GET.get("older")),
        newer_than=_cursor(request.GET.get("newer")),
    )
    query = _filter_query(request)
    context = {
        "form": form,
        "rows": [(entry, object_type_label(entry.object_type)) for entry in page.entries],
        "page": page,
        "query": query,
        "paged": bool(request.GET.get("older") or request.GET.get("newer")),
    }
    return render(request, "core/audit/list.html", context)


@login_required
@require_GET
def audit_log_entry(request, entry_id: int):
    require(request.user, VIEW_AUDIT_LOG)
    entry = audit_entry(entry_id)
    if entry is None:
        raise Http404
    changes = [
        (name, shown_value(old), shown_value(new), changed)
        for name, old, new, changed in field_changes(entry.before, entry.after)
    ]
    context = {
        "entry": entry,
        "type_label": object_type_label(entry.object_type),
        "changes": changes,
        "changed_count": sum(1 for *_values, changed in changes if changed),
    }
    return render(request, "core/audit/entry.html", context)


@login_required
@require_GET
def audit_log_download(request):
    require(request.user, VIEW_AUDIT_LOG)
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        return redirect(f"{reverse('core:audit_log')}?{_filter_query(request)}")
    chunks = audit_log_export(actor=request.user, filters=form.filters())
    response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    return response
