"""`{% progress key %}`: how far a long-running task has got, with or without JavaScript.

Without JavaScript the component shows the state when the page was made and a link to
refresh it; assets/js/progress.js polls /api/v1/tasks/<key>/progress and updates it in
place, announcing changes through a polite live region.
"""

from django import template
from django.urls import reverse
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
        "key": key,
        "report": report,
        "element_id": element_id,
        "heading_tag": f"h{min(max(heading_level, 2), 6)}" if heading_level else "",
        "bar_step": (report.percent // 5 * 5) if report and report.percent is not None else 0,
        "tag_colour": TAG_COLOURS.get(report.state, "") if report else "govuk-tag--grey",
        "api_url": _api_url(key),
        "refresh_url": refresh_url,
    }


def _api_url(key: str) -> str:
    path = reverse(API_URL_NAME, kwargs={"key": key})
    return f"{path}?{urlencode({'lang': get_language()})}"
