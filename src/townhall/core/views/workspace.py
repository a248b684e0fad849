"""The staff workspace ("Manage"): every tool a person's roles allow and the work waiting."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..selectors.workspace import staff_tools_for, work_waiting_for


@login_required
@require_GET
def workspace(request):
    groups = staff_tools_for(request.user)
    if not groups:
        raise PermissionDenied
    return render(
        request,
        "core/workspace.html",
        {"groups": groups, "waiting": work_waiting_for(request.user)},
    )
