"""The one permission gate: `can(actor, action, obj=None)`.

Every view, API handler and service asks this function. Only actions that a manifest
declares exist; asking about any other is a programming error, not a silent "no".
"""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied

from .registry import registry
from .roles import ADMINISTRATOR, PUBLIC, STAFF


class UnknownAction(LookupError):
    """The action is not declared by any module's manifest."""


class PermissionDenied(DjangoPermissionDenied):
    """The actor may not perform the action: a 403 page in views, a JSON error in the API."""

    def __init__(self, action: str) -> None:
        super().__init__(f"Not allowed: {action}")
        self.action = action


def roles_of(actor: Any) -> frozenset[str]:
    """Return the role slugs the actor holds; an anonymous visitor holds none.

    The result is cached on the user object for the length of the request.
    """
    if not _is_active(actor):
        return frozenset()
    cached = getattr(actor, "_townhall_roles", None)
    if cached is None:
        cached = frozenset(actor.groups.values_list("name", flat=True))
        actor._townhall_roles = cached
    return cached


def can(actor: Any, action: str, obj: Any = None) -> bool:
    """Return True when `actor` may perform `action` (on `obj`, when given).

    - an undeclared action raises UnknownAction;
    - an action open to the pseudo-role "public" is allowed to everyone its check allows;
    - an anonymous or inactive actor may do nothing else;
    - an active superuser or administrator may do every declared action;
    - otherwise the actor needs one of the action's roles (any staff role, for the
      pseudo-role "staff"), and the action's own object check, if it has one, must pass.
    """
    declared = registry.actions().get(action)
    if declared is None:
        raise UnknownAction(action)
    passes_check = declared.check is None or declared.check(actor, obj)
    if PUBLIC in declared.roles:
        return passes_check
    if not _is_active(actor):
        return False
    if actor.is_superuser:
        return True
    held = roles_of(actor)
    if ADMINISTRATOR in held:
        return True
    if STAFF in declared.roles and held & registry.staff_roles():
        return passes_check
    return bool(held.intersection(declared.roles)) and passes_check


def _is_active(actor: Any) -> bool:
    return bool(actor is not None and getattr(actor, "is_authenticated", False) and actor.is_active)


def require(actor: Any, action: str, obj: Any = None) -> None:
    """Raise PermissionDenied unless `can(actor, action, obj)`."""
    if not can(actor, action, obj):
        raise PermissionDenied(action)


def page_for(action: str):
    """Decorate a view that only those the gate lets do `action` may open: an anonymous
    visitor is sent to sign in and comes back; anyone else signed in gets the 403 page."""
    from functools import wraps

    from django.contrib.auth.views import redirect_to_login

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not can(request.user, action):
                raise DjangoPermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
