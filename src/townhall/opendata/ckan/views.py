"""The Action API endpoint: CKAN's envelope, its errors and their status codes.

A success is {"help": <url>, "success": true, "result": ...}. A failure is the same with
"success": false and an "error" object whose "__type" names CKAN's error (404 Not Found
Error, 409 Validation Error, 403 Authorization Error, 409 Search Query Error). An unknown
action is a 400 whose body is the JSON string "Bad request - Action name not known: <name>",
as CKAN answers; so is a body that is not a JSON object or is over the size limit. Actions
are read-only, so both GET and POST (a JSON body) are accepted.
"""

from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from townhall.core.languages import BOTH_LANGUAGES

from ..services import api_token_authenticate
from . import actions, activity, datastore_actions
from .errors import CkanError
from .params import request_data

ACTIONS = {
    "package_list": actions.package_list,
    "package_show": actions.package_show,
    "package_search": actions.package_search,
    "package_autocomplete": actions.package_autocomplete,
    "current_package_list_with_resources": actions.current_package_list_with_resources,
    "organization_list": actions.organization_list,
    "organization_show": actions.organization_show,
    "group_list": actions.group_list,
    "group_show": actions.group_show,
    "tag_list": actions.tag_list,
    "tag_show": actions.tag_show,
    "resource_show": actions.resource_show,
    "status_show": actions.status_show,
    "help_show": actions.help_show,
    "datastore_search": datastore_actions.datastore_search,
    "datastore_search_sql": datastore_actions.datastore_search_sql,
    "datastore_info": datastore_actions.datastore_info,
    "package_activity_list": activity.package_activity_list,
    "organization_activity_list": activity.organization_activity_list,
    "recently_changed_packages_activity_list": activity.recently_changed_packages_activity_list,
}


class CkanJSONEncoder(DjangoJSONEncoder):
    """Numbers as JSON numbers and dates as CKAN writes them (ISO, no zone)."""

    def default(self, o):
        if isinstance(o, Decimal):
            return float(o)
        if isinstance(o, datetime):
            return o.replace(tzinfo=None).isoformat()
        if isinstance(o, date):
            return o.isoformat()
        return super().default(o)


def _respond(body, status: int = 200) -> JsonResponse:
    return JsonResponse(body, status=status, safe=False, encoder=CkanJSONEncoder)


def _token_user(request):
    """The person a CKAN-style API key (our API token) belongs to, if one was sent."""
    header = request.headers.get("Authorization") or request.headers.get("X-CKAN-API-Key") or ""
    secret = header.removeprefix("Token ").strip()
    return api_token_authenticate(secret) if secret else None


@csrf_exempt
@require_http_methods(["GET", "POST"])
def action(request, name: str):
    function = ACTIONS.get(name)
    if function is None:
        return _respond(f"Bad request - Action name not known: {name}", status=400)
    help_url = request.build_absolute_uri(reverse("ckan-action", args=["help_show"]))
    envelope = {"help": f"{help_url}?name={name}"}
    try:
        data = request_data(request)
    except ValueError as error:
        return _respond(f"Bad request - JSON Error: {error}", status=400)
    except RequestDataTooBig:
        megabytes = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
        return _respond(
            f"Bad request - The request body is larger than {megabytes} MB.", status=400
        )
    request.ckan_user = _token_user(request)
    try:
        result = function(request, data)
    except CkanError as error:
        response = _respond(
            {**envelope, "success": False, "error": error.body()}, status=error.status
        )
        for header, value in error.headers.items():
            response[header] = value
        return response
    response = _respond({**envelope, "success": True, "result": result})
    response["Content-Language"] = BOTH_LANGUAGES
    return response


def api_root(request):
    """/api/3 answers with its version, as CKAN's does."""
    return _respond({"version": 3})
