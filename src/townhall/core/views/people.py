"""People and their roles, for administrators (core.manage_people), without the admin site.

The pages only collect the form: core.services.accounts' person_* services check the
permission again, keep a superuser's account out of reach of anyone who is not one, and
their saves reach the audit log.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ..accounts.forms import LegalHoldForm, PersonAddForm, PersonDetailsForm, PersonRolesForm
from ..components.pagination import numbered_pagination, page_number
from ..permissions import PermissionDenied, require
from ..registry import registry
from ..selectors.accounts import people_for_staff, person_by_public_id, role_labels
from ..services.accounts import (
    AccountErasureBlocked,
    person_create,
    person_erase,
    person_roles_set,
    person_update,
)

MANAGE_PEOPLE = "core.manage_people"
PEOPLE_PER_PAGE = 50
LEGAL_HOLD_MEANS = gettext_lazy(
    "While a person is under legal hold, nobody can delete their account or what they wrote: "
    "not the person, not an administrator and not the retention job."
)


@login_required
def people(request):
    require(request.user, MANAGE_PEOPLE)
    query, role = request.GET.get("q", "").strip(), request.GET.get("role", "")
    paginator = Paginator(people_for_staff(query=query, role=role), PEOPLE_PER_PAGE)
    current = min(page_number(request.GET.get("page")), paginator.num_pages)
    listed = paginator.page(current)
    context = {
        "rows": [(person, role_labels(person)) for person in listed],
        "query": query,
        "role": role,
        "roles": list(registry.roles().values()),
        "total": paginator.count,
        "pagination": numbered_pagination(request.GET, current, paginator.num_pages),
    }
    return render(request, "core/people/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_add(request):
    require(request.user, MANAGE_PEOPLE)
    form = PersonAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = person_create(
                actor=request.user,
                email=form.cleaned_data["email"],
                display_name=form.cleaned_data["display_name"],
                is_staff=False,
                role_slugs=form.cleaned_data["roles"],
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, _("%(name)s has been added") % {"name": person})
            return redirect("core:person", public_id=person.public_id)
    return render(request, "core/people/add.html", {"form": form})


def _person_or_404(public_id):
    found = person_by_public_id(public_id)
    if found is None:
        raise Http404
    return found


@login_required
@require_http_methods(["GET", "POST"])
def person(request, public_id):
    require(request.user, MANAGE_PEOPLE)
    found = _person_or_404(public_id)
    held = [group.name for group in found.groups.all()]
    form = PersonRolesForm(
        request.POST or None,
        initial={"roles": held, "is_active": "true" if found.is_active else "false"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                person_roles_set(
                    actor=request.user, person=found, role_slugs=form.cleaned_data["roles"]
                )
                person_update(
                    actor=request.user,
                    person=found,
                    changes={"is_active": form.cleaned_data["is_active"]},
                )
        except PermissionDenied:
            form.add_error(None, _("Only a superuser may change a superuser's account."))
        else:
            messages.success(request, _("Changes to %(name)s saved") % {"name": found})
            return redirect("core:people")
    return render(request, "core/people/person.html", {"person": found, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def person_details(request, public_id):
    """Correct a person's name (an offensive one, say) or move them to a new address."""
    require(request.user, MANAGE_PEOPLE)
    found = _person_or_404(public_id)
    form = PersonDetailsForm(
        request.POST or None,
        initial={"email": found.email, "display_name": found.display_name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            person_update(actor=request.user, person=found, changes=form.cleaned_data)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        except PermissionDenied:
            form.add_error(None, _("Only a superuser may change a superuser's account."))
        else:
            messages.success(request, _("Changes to %(name)s saved") % {"name": found})
            return redirect("core:person", public_id=found.public_id)
    context = {"person": found, "form": form, "heading": _("Name and email address")}
    return render(request, "core/people/person_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_legal_hold(request, public_id):
    """Put a person's records under legal hold, or lift it; while held, nobody can erase them."""
    require(request.user, MANAGE_PEOPLE)
    found = _person_or_404(public_id)
    form = LegalHoldForm(
        request.POST or None,
        initial={
            "legal_hold": "true" if found.legal_hold else "false",
            "legal_hold_reason": found.legal_hold_reason,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            person_update(actor=request.user, person=found, changes=form.cleaned_data)
        except PermissionDenied:
            form.add_error(None, _("Only a superuser may change a superuser's account."))
        else:
            messages.success(request, _("Legal hold for %(name)s saved") % {"name": found})
            return redirect("core:person", public_id=found.public_id)
    context = {"person": found, "form": form, "heading": _("Legal hold"), "intro": LEGAL_HOLD_MEANS}
    return render(request, "core/people/person_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_delete(request, public_id):
    """Erase a person through every module's erase hook, after a confirmation page.

    A refusal (the last administrator, a legal hold, a module that cannot let go) is shown
    on the same page with its reason, and nothing is changed.
    """
    require(request.user, MANAGE_PEOPLE)
    found = _person_or_404(public_id)
    if found.pk == request.user.pk:
        return redirect("core:account_delete")
    refusal = None
    if request.method == "POST":
        name = str(found)
        try:
            person_erase(actor=request.user, person=found)
        except AccountErasureBlocked as blocked:
            refusal = blocked.reason
        except PermissionDenied:
            refusal = _("Only a superuser may delete a superuser's account.")
        else:
            messages.success(request, _("%(name)s's account has been deleted") % {"name": name})
            return redirect("core:people")
    context = {"person": found, "refusal": refusal}
    return render(request, "core/people/delete.html", context, status=409 if refusal else 200)
