"""`{% progress key %}`: how far a long-running task has got, with or without JavaScript.

Without JavaScript the page refreshes itself every REFRESH_SECONDS while the work runs
(`{% progress_refresh key %}` in the page's `meta` block gives the `<meta http-equiv="refresh">`,
inside `<noscript>`), and the component says so, with a link to stop it (`?refresh=off`,
as WCAG 2.2.1 asks) and one to refresh at once. With JavaScript, assets/js/progress.js
polls /api/v1/tasks/<key>/progress instead and updates the component in place, announcing
changes through a polite live region.
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import get_language

from ..selectors.tasks import progress_report

register = template.Library()

TAG_COLOURS = {
    "waiting": "govuk-tag--grey",
    "running": "govuk-tag--blue",
    "done": "govuk-tag--green",
    "failed": "govuk-tag--red",
}
API_URL_NAME = "api-v1:task_progress"
REFRESH_SECONDS = 5
STOP_PARAMETER = "refresh"


def _refreshing(request, report) -> bool:
    """Whether the page refreshes itself: while the work has not finished (or not begun),
    unless the person asked it to stop."""
    stopped = request is not None and request.GET.get(STOP_PARAMETER) == "off"
    return not stopped and (report is None or not report.finished)


@register.simple_tag(takes_context=True)
def progress_refresh(context, key: str) -> str:
    """For the page's `meta` block: refresh the page every REFRESH_SECONDS while the work
    named `key` runs, when JavaScript (which polls instead) is off; nothing once it is done."""
    if not _refreshing(context.get("request"), progress_report(key)):
        return ""
    return format_html(
        '<noscript><meta http-equiv="refresh" content="{}"></noscript>', REFRESH_SECONDS
    )


@register.inclusion_tag("components/progress.html", takes_context=True)
def progress(context, key: str, heading_level: int = 2) -> dict:
    """Render the progress of the work named `key` (a TaskProgress), or say it has not begun.

    The page using it decides who may see it (core.view_task_progress). The label is a
    heading at `heading_level` (2 to 6), or not shown when the page's own heading gives it
    (heading_level=0).
    """
    report = progress_report(key)
    request = context.get("request")
    element_id = f"progress-{slugify(key)}"
    refresh_url = f"{request.get_full_path() if request else ''}#{element_id}"
    return {
        "refreshing": _refreshing(request, report),
        "refresh_seconds": REFRESH_SECONDS,
        "stop_url": _stop_url(request, element_id),
        "key": key,
        "report": report,
        "element_id": element_id,
        "heading_tag": f"h{min(max(heading_level, 2), 6)}" if heading_level else "",
        "bar_step": (report.percent // 5 * 5) if report and report.percent is not None else 0,
        "tag_colour": TAG_COLOURS.get(report.state, "") if report else "govuk-tag--grey",
        "api_url": _api_url(key),
        "refresh_url": refresh_url,
    }


def _stop_url(request, element_id: str) -> str:
    if request is None:
        return f"?{STOP_PARAMETER}=off#{element_id}"
    query = request.GET.copy()
    query[STOP_PARAMETER] = "off"
    return f"{request.path}?{query.urlencode()}#{element_id}"


def _api_url(key: str) -> str:
    path = reverse(API_URL_NAME, kwargs={"key": key})
    return f"{path}?{urlencode({'lang': get_language()})}"
