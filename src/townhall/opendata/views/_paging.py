"""GOV.UK pagination for the catalogue's numbered pages."""

from urllib.parse import urlencode


def page_number(text: str | None) -> int:
    return int(text) if text and text.isdigit() and 0 < int(text) < 10_000 else 1


def numbered_pagination(params, current: int, last: int) -> dict | None:
    """First, last and the pages either side of the current one, with previous and next."""
    if last <= 1:
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
