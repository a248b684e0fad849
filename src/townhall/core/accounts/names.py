"""People are shown by the name they chose, never by their email address.

Anything a person writes in public (a proposal, a comment) carries their display name,
so a module asks for one first: `ask_for_display_name(request)` sends someone without a
name to a one-question page, which brings them back to where they were.
"""

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse


def needs_display_name(person: Any) -> bool:
    """Whether a signed-in person has yet to choose the name shown with what they write."""
    return bool(getattr(person, "is_authenticated", False)) and not person.display_name.strip()


def signed_in_as(user: Any) -> str:
    """How allauth names a person to themselves ("You are signed in as ..."; the setting
    ACCOUNT_USER_DISPLAY): their name, or, to them alone, their own email address."""
    return user.display_name or user.email


def ask_for_display_name(
    request: HttpRequest, next_url: str | None = None
) -> HttpResponseRedirect | None:
    """A redirect to "What name should we show?" when the person has no display name, else None.

    They come back to `next_url` (by default the page they asked for) once they have one.
    """
    if not needs_display_name(request.user):
        return None
    query = urlencode({"next": next_url or request.get_full_path()})
    return HttpResponseRedirect(f"{reverse('core:display_name')}?{query}")
