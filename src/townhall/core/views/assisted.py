"""The staff "Help a resident" page: every resident form staff may complete on someone's
behalf, with where to start each in assisted mode (ADR 0107)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..assisted import ACTION
from ..permissions import page_for
from ..selectors.assisted import assisted_by_channel, forms_to_help_with


@require_GET
@page_for(ACTION)
def help_a_resident(request):
    found = forms_to_help_with(request.user)
    return render(
        request,
        "core/assisted/help_a_resident.html",
        {
            "assisted": [form for form in found if form.assisted],
            "not_assisted": [form for form in found if not form.assisted],
            "by_channel": assisted_by_channel(),
        },
    )
