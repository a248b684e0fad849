"""Setting up the catalogue: its publishers and themes (`opendata.manage_catalogue`).

The two kinds share their pages; a `Grouping` says what differs (form, services, words).
The pages only collect the form: the services in services/groupings.py check the
permission again, refuse what is wrong with a message, and their saves reach the audit log.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from townhall.core.permissions import require

from .. import selectors, services
from ..forms import PublisherForm, ThemeForm

MANAGE_CATALOGUE = "opendata.manage_catalogue"


@dataclass(frozen=True)
class Grouping:
    """What the publisher pages and the theme pages differ in."""

    name: str  # the start of the URL names: "publisher" gives publisher_edit
    filter: str  # the catalogue's filter for it: /data/?publisher=<slug>
    plural: Promise
    add_label: Promise
    form: type[ThemeForm]
    rows: Callable[[], QuerySet]
    create: Callable[..., Any]
    update: Callable[..., Any]
    delete: Callable[..., Any]
    argument: str  # what update and delete call the row: organisation= or theme=

    @property
    def list_url(self) -> str:
        return f"opendata:{self.name}s"


PUBLISHERS = Grouping(
    name="publisher",
    filter="publisher",
    plural=gettext_lazy("Publishers"),
    add_label=gettext_lazy("Add a publisher"),
    form=PublisherForm,
    rows=selectors.organisations_for_staff,
    create=services.organisation_create,
    update=services.organisation_update,
    delete=services.organisation_delete,
    argument="organisation",
)
THEMES = Grouping(
    name="theme",
    filter="theme",
    plural=gettext_lazy("Themes"),
    add_label=gettext_lazy("Add a theme"),
    form=ThemeForm,
    rows=selectors.themes_for_staff,
    create=services.theme_create,
    update=services.theme_update,
    delete=services.theme_delete,
    argument="theme",
)


def _found(grouping: Grouping, slug: str):
    row = grouping.rows().filter(slug=slug).first()
    if row is None:
        raise Http404
    return row


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, problems in error.error_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error)


@login_required
def grouping_list(request, grouping: Grouping):
    require(request.user, MANAGE_CATALOGUE)
    context = {"grouping": grouping, "rows": grouping.rows()}
    return render(request, "opendata/groupings/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def grouping_add(request, grouping: Grouping):
    require(request.user, MANAGE_CATALOGUE)
    form = grouping.form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            row = grouping.create(
                actor=request.user, slug=form.cleaned_data["slug"], **form.service_values()
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("%(name)s has been added.") % {"name": row.title})
            return redirect(grouping.list_url)
    return render(request, "opendata/groupings/form.html", {"grouping": grouping, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def grouping_edit(request, grouping: Grouping, slug: str):
    require(request.user, MANAGE_CATALOGUE)
    row = _found(grouping, slug)
    initial = grouping.form.initial_for(row)
    form = grouping.form(request.POST or None, initial=initial, adding=False)
    if request.method == "POST" and form.is_valid():
        try:
            grouping.update(actor=request.user, **{grouping.argument: row}, **form.service_values())
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Changes to %(name)s saved.") % {"name": row.title})
            return redirect(grouping.list_url)
    context = {"grouping": grouping, "form": form, "row": row}
    return render(request, "opendata/groupings/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def grouping_delete(request, grouping: Grouping, slug: str):
    require(request.user, MANAGE_CATALOGUE)
    row = _found(grouping, slug)
    problems: list[str] = []
    if request.method == "POST":
        try:
            grouping.delete(actor=request.user, **{grouping.argument: row})
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(request, _("%(name)s has been deleted.") % {"name": row.title})
            return redirect(grouping.list_url)
    context = {"grouping": grouping, "row": row, "problems": problems}
    return render(request, "opendata/groupings/delete.html", context)
