"""GOV.UK pagination for numbered pages: first, last and the pages either side."""

from urllib.parse import urlencode

MAX_PAGE = 10_000


def page_number(text: str | None) -> int:
    """The page asked for in ?page=, or 1 when it is missing, not a number or absurd."""
    return int(text) if text and text.isdigit() and 0 < int(text) < MAX_PAGE else 1


def numbered_pagination(params, current: int, last: int) -> dict | None:
    """What components/pagination.html draws, or None when there is only one page.

    `params` is the request's query (a QueryDict); each link keeps it and sets page=.
    """
    if last <= 1 and current == 1:
        return None

    def link(number: int) -> str:
        copy = params.copy()
        copy["page"] = str(number)
        return "?" + urlencode(copy, doseq=True)

    shown = sorted({1, last, current - 1, current, current + 1} & set(range(1, last + 1)))
    items, previous = [], 0
    for number in shown:
        if number - previous > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "url": link(number), "current": number == current})
        previous = number
    return {
        "items": items,
        "previous": link(current - 1) if current > 1 else "",
        "next": link(current + 1) if current < last else "",
    }
