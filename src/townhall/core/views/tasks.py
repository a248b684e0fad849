"""The progress page of one long-running task, for staff."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

from ..permissions import can
from ..selectors.tasks import progress_report


@login_required
def task_progress(request, key: str):
    if not can(request.user, "core.view_task_progress"):
        raise PermissionDenied
    report = progress_report(key)
    if report is None:
        raise Http404
    return render(request, "core/task.html", {"report": report})
