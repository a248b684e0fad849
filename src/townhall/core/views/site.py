"""The council's pages and site settings, for administrators (core.edit_site), and the
names of its areas (core.import_geography), without the admin site.

The pages only collect the form: core.services.site checks the permission again,
validates, saves (audited through core.audit's signals) and keeps site search in step.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ..components.maps import map_of
from ..components.pagination import numbered_pagination, page_number
from ..models import Area, Page
from ..permissions import require
from ..selectors.geography import area_by_pk, areas_for_staff
from ..selectors.site import page_by_pk, page_is_required, pages_for_staff, site_settings_to_edit
from ..services.site import (
    PageDeletionRefused,
    area_rename,
    page_create,
    page_delete,
    page_update,
    site_settings_update,
)
from ..site_forms import AreaNameForm, PageForm, SiteSettingsForm

EDIT_SITE = "core.edit_site"
IMPORT_GEOGRAPHY = "core.import_geography"
AREAS_PER_PAGE = 50
GONE = gettext_lazy("Someone else has just deleted this page.")


def _show_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form, by field where the form has it."""
    problems = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for field, messages_ in problems.items():
        form.add_error(field if field in form.fields else None, messages_)


def _found_page(pk: int) -> Page:
    found = page_by_pk(pk)
    if found is None:
        raise Http404
    return found


# Council pages ----------------------------------------------------------------------------


@login_required
def pages(request):
    require(request.user, EDIT_SITE)
    rows = [(page, page_is_required(page)) for page in pages_for_staff()]
    return render(request, "core/site/pages.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def page_add(request):
    require(request.user, EDIT_SITE)
    form = PageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = page_create(actor=request.user, fields=form.service_fields())
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("“%(title)s” has been added") % {"title": added.title})
            return redirect("core:site_pages")
    return render(request, "core/site/page_form.html", {"form": form, "page": None})


@login_required
@require_http_methods(["GET", "POST"])
def page_edit(request, pk: int):
    require(request.user, EDIT_SITE)
    found = _found_page(pk)
    form = PageForm(request.POST or None, instance=found, slug_locked=page_is_required(found))
    if request.method == "POST" and form.is_valid():
        try:
            saved = page_update(actor=request.user, page=found, fields=form.service_fields())
        except Page.DoesNotExist:
            messages.error(request, GONE)
            return redirect("core:site_pages")
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("Changes to “%(title)s” saved") % {"title": saved.title})
            return redirect("core:site_pages")
    return render(request, "core/site/page_form.html", {"form": form, "page": found})


@login_required
@require_http_methods(["GET", "POST"])
def page_remove(request, pk: int):
    require(request.user, EDIT_SITE)
    found = page_by_pk(pk)
    if found is None:
        if request.method == "POST":  # deleted meanwhile, by someone else or a second click
            messages.success(request, GONE)
            return redirect("core:site_pages")
        raise Http404
    refusal = PageDeletionRefused.reason if page_is_required(found) else ""
    if request.method == "POST" and not refusal:
        try:
            page_delete(actor=request.user, page=found)
        except PageDeletionRefused as refused:
            refusal = refused.reason
        else:
            messages.success(request, _("“%(title)s” has been deleted") % {"title": found.title})
            return redirect("core:site_pages")
    return render(request, "core/site/page_delete.html", {"page": found, "refusal": refusal})


# Site settings ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def settings(request):
    require(request.user, EDIT_SITE)
    row = site_settings_to_edit()
    form = SiteSettingsForm(request.POST or None, request.FILES or None, instance=row)
    if request.method == "POST" and form.is_valid():
        try:
            site_settings_update(actor=request.user, changes=form.changes())
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("Site settings saved"))
            return redirect("core:site_settings")
    return render(request, "core/site/settings.html", {"form": form, "settings_row": row})


# Areas ------------------------------------------------------------------------------------


@login_required
def areas(request):
    require(request.user, IMPORT_GEOGRAPHY)
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    kind = kind if kind in Area.Kind.values else ""
    paginator = Paginator(areas_for_staff(kind=kind, query=query), AREAS_PER_PAGE)
    current = min(page_number(request.GET.get("page")), paginator.num_pages)
    context = {
        "areas": paginator.page(current),
        "query": query,
        "kind": kind,
        "kinds": Area.Kind.choices,
        "total": paginator.count,
        "pagination": numbered_pagination(request.GET, current, paginator.num_pages),
    }
    return render(request, "core/areas/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def area(request, pk: int):
    require(request.user, IMPORT_GEOGRAPHY)
    found = area_by_pk(pk)
    if found is None:
        raise Http404
    form = AreaNameForm.for_area(found, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = area_rename(actor=request.user, area=found, **form.cleaned_data)
        except Area.DoesNotExist:
            messages.error(request, _("This area has just been removed by an import."))
            return redirect("core:areas")
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("%(name)s has been renamed") % {"name": saved.name})
            return redirect("core:areas")
    boundary = map_of(
        title=_("Boundary"),
        features=[{"geometry": found.geometry, "properties": {"name": found.name}}],
        skip_unusable=True,
    )
    return render(
        request, "core/areas/area.html", {"area": found, "form": form, "boundary": boundary}
    )
