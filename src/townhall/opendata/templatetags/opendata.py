"""Small filters for the resource preview's table and links."""

from django import template

from ..formats import display_value

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
def record_cells(record: dict, columns: list) -> list[tuple[str, bool]]:
    """A record's cells in the table's column order, as (text to show, numeric?).

    `columns` are the data dictionary's columns: each cell is formatted per its column's
    type and unit (money as £1,250.00, dates as 1 Oct 2023), numbers right-aligned.
    """
    return [
        (display_value(record.get(column.id), money=column.money), column.numeric)
        for column in columns
    ]
