"""Template helpers for participation pages."""

from django import template

from ..services.budgeting import pounds as _pounds

register = template.Library()


@register.filter
def pounds(pence: int) -> str:
    """Pence as pounds: 250000 -> "£2,500"."""
    return _pounds(int(pence or 0))
