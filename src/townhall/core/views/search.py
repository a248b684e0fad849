"""Site search across every module's published content (English at /search/, Welsh at /cy/search/)."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import get_language

from ..fields import SearchForm
from ..permissions import require
from ..selectors.search import kind_labels
from ..selectors.search import search as search_content

RESULTS_PER_PAGE = 20


def search(request):
    require(request.user, "core.search")
    form = SearchForm(request.GET or None, kinds=kind_labels())
    query, kinds = "", []
    if form.is_valid():
        query, kinds = form.cleaned_data["q"], form.cleaned_data["kind"]
    page_number = _page_number(request.GET.get("page"))
    language = "cy" if get_language() == "cy" else settings.LANGUAGE_CODE
    results = search_content(
        query,
        language=language,
        kinds=kinds,
        limit=RESULTS_PER_PAGE,
        offset=(page_number - 1) * RESULTS_PER_PAGE,
    )
    last_page = max(1, -(-results.total // RESULTS_PER_PAGE))
    context = {
        "form": form,
        "query": query,
        "results": results,
        "page_number": page_number,
        "pagination": _pagination(request, page_number, last_page),
    }
    return render(request, "core/search.html", context)


def _page_number(text: str | None) -> int:
    return int(text) if text and text.isdigit() and 0 < int(text) < 10_000 else 1


def _pagination(request, current: int, last: int) -> dict | None:
    """GOV.UK pagination: first, last and the pages either side of the current one."""
    if last <= 1 and current == 1:
        return None

    def link(number: int) -> str:
        params = request.GET.copy()
        params["page"] = str(number)
        return "?" + urlencode(params, doseq=True)

    shown = sorted({1, last, current - 1, current, current + 1} & set(range(1, last + 1)))
    items, previous = [], 0
    for number in shown:
        if number - previous > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "url": link(number), "current": number == current})
        previous = number
    return {
        "items": items,
        "previous": link(current - 1) if current > 1 else None,
        "next": link(current + 1) if current < last else None,
    }
