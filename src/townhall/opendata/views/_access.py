"""The permission gate for pages: a refusal becomes Django's 403 page."""

from typing import Any

from django.core.exceptions import PermissionDenied

from townhall.core.permissions import can


def require(user: Any, action: str, obj: Any = None) -> None:
    if not can(user, action, obj):
        raise PermissionDenied
