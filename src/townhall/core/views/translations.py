"""The officers' list of published content that lacks its Welsh."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..permissions import require
from ..selectors.translations import content_lacking_welsh


@login_required
@require_GET
def welsh_missing(request):
    require(request.user, "core.review_welsh")
    return render(
        request, "core/welsh_missing.html", {"groups": content_lacking_welsh(request.user)}
    )
