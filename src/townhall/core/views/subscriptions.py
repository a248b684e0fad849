"""Following by email: the "Get emails about this" form, the confirmation link, one-click
unsubscribe, and a signed-in person's choice of how often.

None but the frequency page needs a sign-in: a resident may follow with an email
address alone, and every email's unsubscribe link works from any mail program.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ..accounts.forms import AssistedSubscribeForm, NotificationPreferenceForm, SubscribeForm
from ..assisted import assisted_mode, assisted_url, can_assist
from ..ratelimit import form_rate_limit
from ..selectors.subscriptions import followed_item, notification_frequency
from ..services import subscriptions as services


@require_http_methods(["GET", "POST"])
@form_rate_limit(group="core.subscribe")
def follow(request, kind: str, key: str):
    """Follow a public thing: at once when signed in, otherwise by email address, which
    is confirmed by a link (GET shows the form; modules' pages post to it)."""
    item = followed_item(kind, key)
    if item is None or not item.public:
        raise Http404
    if assisted_mode(request):
        return _follow_for_resident(request, kind, key, item)
    if request.method == "POST" and request.user.is_authenticated:
        services.subscription_create(kind=kind, key=key, person=request.user)
        messages.success(request, _("You follow this. We will email you when it changes."))
        return redirect(item.url)
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.subscription_create(kind=kind, key=key, email=form.cleaned_data["email"])
        return render(
            request,
            "core/subscriptions/check_email.html",
            {"item": item, "email": form.cleaned_data["email"]},
        )
    return render(
        request,
        "core/subscriptions/follow.html",
        {
            "item": item,
            "form": form,
            "kind": kind,
            "key": key,
            "assisted_url": assisted_url(request.path) if can_assist(request.user) else "",
        },
    )


def _follow_for_resident(request, kind: str, key: str, item):
    """Assisted mode (ADR 0107): a helper follows the thing for a resident, by the
    resident's address, which the resident confirms from their own inbox."""
    form = AssistedSubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.subscription_create_for_resident(
            actor=request.user,
            kind=kind,
            key=key,
            email=form.cleaned_data["email"],
            channel=form.cleaned_data["channel"],
        )
        return render(
            request,
            "core/subscriptions/check_email.html",
            {"item": item, "email": form.cleaned_data["email"], "assisted": True},
        )
    return render(
        request,
        "core/subscriptions/follow.html",
        {"item": item, "form": form, "kind": kind, "key": key, "assisted": True},
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    """The link in the confirmation email. GET shows what it is for with a button, and
    only the button's POST confirms: mail scanners open links in emails, and an address
    must be confirmed by its owner. The signed token is the proof, so, as for
    unsubscribing, no CSRF token is asked for (a cookie blocked by the mail program's
    browser must not stop a confirmation)."""
    posted = request.method == "POST"
    confirm_link = services.subscription_confirm if posted else services.confirmation_link_check
    try:
        confirmation = confirm_link(token=token)
    except services.LinkExpired as error:
        return render(request, "core/subscriptions/expired.html", {"item": error.item}, status=410)
    except services.LinkInvalid:
        return _invalid(request)
    if not posted and not confirmation.already:
        return render(request, "core/subscriptions/confirm.html", {"confirmation": confirmation})
    return render(request, "core/subscriptions/confirmed.html", {"confirmation": confirmation})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """One-click unsubscribe (RFC 8058): a mail program POSTs here without a CSRF token,
    so this view alone is exempt; it only ever removes what the signed link names.
    GET shows what the emails are about, with a button."""
    try:
        subscriptions = services.unsubscribe_link_subscriptions(token)
    except services.LinkInvalid:
        return _invalid(request)
    if request.method == "POST":
        removed = services.subscription_unsubscribe(
            token=token, everything=bool(request.POST.get("everything"))
        )
        return render(request, "core/subscriptions/unsubscribed.html", {"removed": removed})
    items = [followed_item(s.kind, s.key) for s in subscriptions]
    return render(
        request,
        "core/subscriptions/unsubscribe.html",
        {
            "subscriptions": subscriptions,
            "titles": [item.title for item in items if item is not None],
            "by_address": any(s.person_id is None for s in subscriptions),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def email_preferences(request):
    """The signed-in person's choice: emails straight away, daily, weekly or never."""
    form = NotificationPreferenceForm(
        request.POST or None, initial={"frequency": notification_frequency(request.user)}
    )
    if request.method == "POST" and form.is_valid():
        services.notification_preference_set(
            actor=request.user, frequency=form.cleaned_data["frequency"]
        )
        messages.success(request, _("Your choice is saved."))
        return redirect("core:email_preferences")
    return render(request, "core/subscriptions/preferences.html", {"form": form})


def _invalid(request):
    return render(request, "core/subscriptions/invalid.html", status=400)
