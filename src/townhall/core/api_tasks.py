"""The progress of long-running work as JSON, polled by the progress display.

GET /api/v1/tasks/{key}/progress  (staff holding core.view_task_progress)
"""

from django.conf import settings
from django.utils import translation
from ninja import Router

from .api_errors import ApiError, responses
from .permissions import require
from .selectors.tasks import ProgressReport, progress_report

router = Router(tags=["tasks"])


@router.get(
    "/tasks/{key}/progress",
    response=responses(ProgressReport, 401, 403, 404),
    summary="Progress of a long-running task",
    url_name="task_progress",
)
def task_progress(request, key: str, lang: str | None = None):
    """How far the work named `key` has got. `lang` ("en-gb" or "cy") words the labels."""
    if not request.user.is_authenticated:
        raise ApiError(401, "unauthenticated", "Sign in to see the progress of tasks.")
    require(request.user, "core.view_task_progress")
    language = lang if lang in dict(settings.LANGUAGES) else translation.get_language()
    with translation.override(language):
        report = progress_report(key)
    if report is None:
        raise ApiError(404, "progress_not_found", "No task with this key has reported progress.")
    return report
