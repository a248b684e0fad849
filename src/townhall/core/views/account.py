"""Your account: what we hold about you, changing it, a download of it, and erasing it."""

import time
from urllib.parse import urlencode

from allauth.account import app_settings as allauth_settings
from allauth.account.authentication import get_authentication_records
from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, translate_url
from django.utils import timezone
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ..accounts.forms import AccountDetailsForm, DisplayNameForm
from ..selectors.accounts import account_data_sections, account_panels, account_summary
from ..services.accounts import AccountErasureBlocked, account_erase, account_export, account_update


@login_required
@require_GET
def account(request):
    return render(
        request,
        "core/account.html",
        {"summary": account_summary(request.user), "panels": account_panels(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_details(request):
    """Change display name and preferred language; then show the account in that language."""
    user = request.user
    form = AccountDetailsForm(
        request.POST or None,
        initial={"display_name": user.display_name, "preferred_language": user.preferred_language},
    )
    if request.method == "POST" and form.is_valid():
        account_update(user=user, **form.cleaned_data)
        messages.success(request, _("Your details have been saved"))
        account_url = request.build_absolute_uri(reverse("core:account"))
        return redirect(translate_url(account_url, user.preferred_language))
    return render(request, "core/account_details.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def display_name(request):
    """Ask for the name shown with what the person writes, then go back where they were.

    `next` is followed only when it is an address on this site.
    """
    next_url = request.POST.get("next") or request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("core:account")
    form = DisplayNameForm(
        request.POST or None, initial={"display_name": request.user.display_name}
    )
    if request.method == "POST" and form.is_valid():
        account_update(
            user=request.user,
            display_name=form.cleaned_data["display_name"],
            preferred_language=request.user.preferred_language,
        )
        return redirect(next_url)
    return render(request, "core/display_name.html", {"form": form, "next_url": next_url})


@login_required
@require_GET
def account_data(request):
    """What each part of the site holds about the person, to read (the download's twin)."""
    return render(
        request, "core/account_data.html", {"sections": account_data_sections(request.user)}
    )


@login_required
@require_GET
def account_download(request):
    """Everything we hold about the person, as a JSON file to save."""
    response = JsonResponse(
        account_export(user=request.user), json_dumps_params={"indent": 2, "ensure_ascii": False}
    )
    filename = f"townhall-your-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@reauthentication_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    """Ask, then erase the person and sign them out.

    Someone at an unattended, signed-in computer must not be able to do this: the person
    confirms their password first (allauth's reauthentication, valid for
    ACCOUNT_REAUTHENTICATION_TIMEOUT), and a confirmation sent after that has run out is
    held while they confirm it again, then carried out. Someone with no password (staff who
    sign in through their organisation, or by emailed code) has nothing to confirm, so
    allauth lets them through: they must have signed in within that time instead, and are
    asked to sign out and in again (by a form: a link must not sign anyone out).
    """
    if _has_no_recent_sign_in(request):
        if request.method != "POST":  # A link must not sign anyone out.
            return render(request, "core/account_sign_in_again.html")
        logout(request)
        messages.info(request, _("For your security, sign in again to delete your account."))
        return redirect(f"{reverse('account_login')}?{urlencode({'next': request.path})}")
    if request.method == "POST":
        try:
            account_erase(user=request.user)
        except AccountErasureBlocked as refusal:
            messages.error(
                request,
                _("We could not delete your account. %(reason)s") % {"reason": refusal.reason},
            )
            return redirect("core:account")
        logout(request)
        messages.success(request, _("Your account and your data have been deleted"))
        return redirect("core:home")
    return render(request, "core/account_delete.html")


def _has_no_recent_sign_in(request) -> bool:
    if request.user.has_usable_password():
        return False
    signed_in_at = max(
        (record.get("at", 0) for record in get_authentication_records(request, request.user)),
        default=0,
    )
    return time.time() - signed_in_at >= allauth_settings.REAUTHENTICATION_TIMEOUT
