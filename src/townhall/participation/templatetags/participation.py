"""Template helpers for participation pages."""

from django import template
from django.utils.translation import gettext as _

from ..services.budgeting import pounds as _pounds

register = template.Library()


@register.filter
def pounds(pence: int) -> str:
    """Pence as pounds: 250000 -> "£2,500"."""
    return _pounds(int(pence or 0))


@register.filter
def participant(person) -> str:
    """How a proposal's or comment's author is shown: by their name, or, once they have
    erased their account, as a former participant (the content stays, they do not)."""
    if person is None:
        return _("A former participant")
    return person.get_short_name()
