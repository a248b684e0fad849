"""Small filters for the resource preview's table and links."""

from django import template

register = template.Library()


@register.filter
def sort_link(state, column: str) -> str:
    """The query string that sorts the preview by `column` (or flips its direction)."""
    return state.sort_link(column)


@register.filter
def without_filter(state, index: int) -> str:
    """The query string of the preview with filter number `index` (from 0) removed."""
    return state.without_filter(int(index))


@register.filter
def record_values(record: dict, columns: list[dict]) -> list:
    """A record's values in the table's column order."""
    return [record.get(column["id"]) for column in columns]
