"""Find your ward, and the ward pages it leads to: the page every module can link to with
?postcode=, a list of the council's wards, and each ward's page, to which modules add
their panels (WardPanel)."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..components.maps import map_of
from ..fields import PostcodeForm
from ..ratelimit import form_rate_limit
from ..selectors.geography import area_name, boundaries, ward_by_slug, ward_directory, ward_panels
from ..services.geography import (
    FIND_YOUR_COUNCIL_URL,
    NotInCouncilArea,
    PostcodeError,
    find_by_postcode,
)

# Generous for a person, a wall for a script walking every postcode in the council.
LOOKUP_RATE = "60/m"


@form_rate_limit(rate=LOOKUP_RATE, methods=("GET",))
def find_ward(request):
    form = PostcodeForm(request.GET or None)
    location, outside = None, False
    if form.is_valid():
        try:
            location = find_by_postcode(form.cleaned_data["postcode"])
        except PostcodeError as error:
            form.add_error("postcode", error.message)
            outside = isinstance(error, NotInCouncilArea)
    if location is not None and location.ward_slug:
        return redirect("core:ward", slug=location.ward_slug)
    status = 400 if form.errors else 200
    context = {
        "form": form,
        "location": location,
        "outside": outside,
        "find_your_council_url": FIND_YOUR_COUNCIL_URL,
    }
    return render(request, "core/postcode.html", context, status=status)


def ward_list(request):
    return render(request, "core/wards/list.html", {"wards": ward_directory()})


def ward(request, slug: str):
    found = ward_by_slug(slug)
    if found is None:
        raise Http404
    name = area_name(found)
    boundary = map_of(
        title=_("Where %(ward)s ward is") % {"ward": name},
        features=[{"geometry": found.geometry, "properties": {"name": name}}],
        skip_unusable=True,
        backdrop=boundaries(kind="ward"),
    )
    context = {"ward": found, "name": name, "boundary": boundary, "panels": ward_panels(found)}
    return render(request, "core/wards/ward.html", context)
