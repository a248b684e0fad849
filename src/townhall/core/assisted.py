"""Assisted mode for resident forms: how a module's view knows a helper is completing the
form for a resident (ADR 0107).

A helper opens a resident form with `?assisted=1` (the "Help a resident" page links so);
the form posts back to the same address, so the mode lasts through the POST. The view
asks `assisted_mode(request)`, shows its form with core's `AssistedFields` (the channel,
and a key that stops a double send from storing twice), stores the submission as the
resident's, and calls core.services.assisted.assisted_submission_record.
"""

from typing import Any
from urllib.parse import urlencode

from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .permissions import can, require

ACTION = "core.assist_residents"
PARAMETER = "assisted"


class Channel(models.TextChoices):
    """How the resident reached the council: the one vocabulary every module records."""

    PHONE = "phone", _("Telephone")
    IN_PERSON = "in_person", _("In person")
    PAPER = "paper", _("Paper form or post")
    PARTNER = "partner", _("At a library or partner organisation")
    EMAIL = "email", _("Email")
    OTHER = "other", _("Other")


def can_assist(person: Any) -> bool:
    """Whether the permission gate lets `person` complete forms for residents."""
    return can(person, ACTION)


def assisted_mode(request: HttpRequest) -> bool:
    """Whether the request asks for assisted mode: False when it does not; True when it
    does and the signed-in person may assist residents. Raises
    core.permissions.PermissionDenied (the 403 page) when someone else asks for it, so a
    resident can never pass their form off as completed by staff."""
    if request.GET.get(PARAMETER) != "1":
        return False
    require(request.user, ACTION)
    return True


def assisted_url(url: str) -> str:
    """`url` (a path with no query) opened in assisted mode."""
    return f"{url}?{urlencode({PARAMETER: 1})}"
