"""Site search across every module's published content (English at /search/, Welsh at /cy/search/)."""

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import get_language

from ..components.pagination import numbered_pagination, page_number
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
    current_page = page_number(request.GET.get("page"))
    language = "cy" if get_language() == "cy" else settings.LANGUAGE_CODE
    results = search_content(
        query,
        language=language,
        kinds=kinds,
        limit=RESULTS_PER_PAGE,
        offset=(current_page - 1) * RESULTS_PER_PAGE,
    )
    last_page = max(1, -(-results.total // RESULTS_PER_PAGE))
    context = {
        "form": form,
        "query": query,
        "results": results,
        "page_number": current_page,
        "pagination": numbered_pagination(request.GET, current_page, last_page),
    }
    return render(request, "core/search.html", context)
