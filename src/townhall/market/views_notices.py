"""Procurement Act 2023 notices from Manage (publish UK1, UK2 and UK3, ADR 0115) and the
page where suppliers choose emails about new challenges (ADR 0117). Views parse and
render; the rules are the services'."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import selectors, services
from .forms import MarketEngagementNoticeForm
from .models import CAPABILITIES
from .views import _service_error, challenges_page, pipeline_page


@pipeline_page
@require_http_methods(["GET", "POST"])
def manage_notice_uk1(request: HttpRequest) -> HttpResponse:
    """What a UK1 pipeline notice published now would list, and the button that does."""
    form = forms.Form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            published = services.notice_uk1_publish(actor=request.user)
        except services.MarketError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("The pipeline notice (UK1) is published, listing %(count)d procurements.")
                % {"count": len(published)},
            )
            return redirect("market:manage_pipeline")
    context = {
        "kind": "UK1",
        "procurements": selectors.pipeline_notice_procurements(),
        "form": form,
    }
    return render(request, "market/manage/notice_confirm.html", context)


@pipeline_page
@require_http_methods(["GET", "POST"])
def manage_notice_uk3(request: HttpRequest, public_id) -> HttpResponse:
    procurement = selectors.procurement_for_staff(public_id)
    if procurement is None:
        raise Http404
    form = forms.Form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.notice_uk3_publish(actor=request.user, procurement=procurement)
        except services.MarketError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The planned procurement notice (UK3) is published."))
            return redirect("market:manage_procurement_edit", procurement.public_id)
    context = {"kind": "UK3", "procurements": [procurement], "form": form}
    return render(request, "market/manage/notice_confirm.html", context)


@challenges_page
@require_http_methods(["GET", "POST"])
def manage_notice_uk2(request: HttpRequest, public_id) -> HttpResponse:
    challenge = selectors.challenge_for_staff(public_id)
    if challenge is None:
        raise Http404
    form = MarketEngagementNoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.notice_uk2_publish(
                actor=request.user, challenge=challenge, **form.cleaned_data
            )
        except services.MarketError as error:
            _service_error(form, error)
        else:
            messages.success(
                request, _("The preliminary market engagement notice (UK2) is published.")
            )
            return redirect("market:manage_challenge_edit", challenge.public_id)
    context = {"form": form, "challenge": challenge}
    return render(request, "market/manage/notice_uk2.html", context)


@require_http_methods(["GET", "POST"])
def challenge_emails(request: HttpRequest) -> HttpResponse:
    """Emails about new challenges: a signed-in supplier follows its own capabilities in
    one go; anyone may follow one capability through core's follow page."""
    supplier = selectors.supplier_of(request.user)
    form = forms.Form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if not request.user.is_authenticated:
            return redirect("market:challenge_emails")
        try:
            if request.POST.get("emails") == "stop":
                services.challenge_alerts_stop(actor=request.user)
                messages.success(request, _("We will not email you about new challenges."))
            else:
                services.challenge_alerts_follow(actor=request.user)
                messages.success(
                    request,
                    _(
                        "We will email you when a challenge matching your capabilities is published."
                    ),
                )
        except services.MarketError as error:
            form.add_error(None, error.message)
        else:
            return redirect("market:challenge_emails")
    followed = (
        selectors.followed_capabilities(request.user) if request.user.is_authenticated else []
    )
    context = {
        "supplier": supplier,
        "form": form,
        "followed": followed,
        "capabilities": [
            {"code": code, "label": label, "followed": code in followed}
            for code, label in CAPABILITIES
        ],
        "supplier_capabilities": selectors.capability_labels(supplier.capabilities)
        if supplier
        else [],
        "follow_kind": selectors.CHALLENGE_ALERTS,
    }
    return render(request, "market/challenge_emails.html", context)
