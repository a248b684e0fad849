"""Find your ward: the page every module can link to with ?postcode=."""

from django.shortcuts import render

from ..fields import PostcodeForm
from ..ratelimit import form_rate_limit
from ..services.geography import PostcodeError, find_by_postcode

# Generous for a person, a wall for a script walking every postcode in the council.
LOOKUP_RATE = "60/m"


@form_rate_limit(rate=LOOKUP_RATE, methods=("GET",))
def find_ward(request):
    form = PostcodeForm(request.GET or None)
    location = None
    if form.is_valid():
        try:
            location = find_by_postcode(form.cleaned_data["postcode"])
        except PostcodeError as error:
            form.add_error("postcode", error.message)
    status = 400 if form.errors else 200
    return render(
        request, "core/postcode.html", {"form": form, "location": location}, status=status
    )
