"""Long-running work for staff: one task's progress, and the background tasks that failed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ..components.pagination import numbered_pagination, page_number
from ..permissions import can, require
from ..selectors.tasks import progress_report, task_failure, task_failures
from ..services.tasks import TaskFailureGone, task_failure_clear

VIEW_TASKS = "core.view_task_progress"
CLEAR_FAILURES = "core.edit_site"
FAILURES_PER_PAGE = 50


@login_required
def task_progress(request, key: str):
    require(request.user, VIEW_TASKS)
    report = progress_report(key)
    if report is None:
        raise Http404
    return render(request, "core/task.html", {"report": report})


@login_required
@require_GET
def task_failure_list(request):
    require(request.user, VIEW_TASKS)
    paginator = Paginator(task_failures(), FAILURES_PER_PAGE)
    current = min(page_number(request.GET.get("page")), paginator.num_pages)
    context = {
        "failures": paginator.page(current),
        "total": paginator.count,
        "pagination": numbered_pagination(request.GET, current, paginator.num_pages),
    }
    return render(request, "core/tasks/failures.html", context)


@login_required
@require_GET
def task_failure_detail(request, failure_id: int):
    require(request.user, VIEW_TASKS)
    failure = task_failure(failure_id)
    if failure is None:
        raise Http404
    context = {
        "failure": failure,
        "show_arguments": can(request.user, CLEAR_FAILURES),
        "may_clear": can(request.user, CLEAR_FAILURES),
    }
    return render(request, "core/tasks/failure.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def task_failure_clear_confirm(request, failure_id: int):
    require(request.user, CLEAR_FAILURES)
    failure = task_failure(failure_id)
    if request.method == "POST":
        try:
            task_failure_clear(actor=request.user, failure_id=failure_id)
        except TaskFailureGone:
            messages.info(request, _("That failure had already been cleared."))
        else:
            messages.success(request, _("The failure has been cleared."))
        return redirect("core:task_failures")
    if failure is None:
        raise Http404
    return render(request, "core/tasks/failure_clear.html", {"failure": failure})
