"""Residents' pages: find a consultation, answer it page by page, read the outcome.

Every page works without JavaScript: the survey flow and its conditions are decided on
the server, one page per request. Officers' pages are in staff_views.py.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from townhall.core.languages import translated
from townhall.core.ratelimit import form_rate_limit

from . import integrations, selectors, services
from .forms import SurveyPageForm, option_labels
from .models import Consultation, ResponseDraft
from .record_forms import ReceiptForm, ResumeLinkForm

SESSION_DRAFT = "participation:draft:{pk}"
#: The consultation someone signed out asked to follow, followed once they sign in.
SESSION_FOLLOW = "participation:follow"
SESSION_DONE = "participation:done:{pk}"


def consultation_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "participation/consultation_list.html",
        {
            "consultations": selectors.open_consultations(),
            "awaiting": selectors.public_consultations().filter(
                state__in=selectors.AWAITING_OUTCOME_STATES
            )[:20],
            "budgets": selectors.budgets(),
        },
    )


def outcome_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "participation/outcome_list.html",
        {"outcomes": selectors.published_outcomes(), "overdue": selectors.overdue_outcomes()},
    )


def consultation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _public(slug)
    outcome = getattr(consultation, "outcome", None)
    return render(
        request,
        "participation/consultation_detail.html",
        {
            "consultation": consultation,
            "accepting": selectors.is_accepting_responses(consultation),
            "clock": selectors.outcome_clock(consultation),
            "documents": selectors.documents_by_kind(consultation),
            "wards": _ward_labels(consultation),
            "outcome": outcome,
            "summary": _outcome_summary(consultation) if outcome else None,
            "responded": selectors.has_responded(
                consultation=consultation, respondent=request.user
            ),
            "following": selectors.is_following_consultation(consultation, request.user),
        },
    )


def _outcome_summary(consultation: Consultation) -> selectors.OutcomeSummary:
    """The results an outcome shows, each option labelled in the page's language."""
    summary = selectors.outcome_summary(consultation)
    for result in summary.questions:
        shown = dict(zip(result.question.choices, option_labels(result.question), strict=True))
        for option in result.options:
            option["shown"] = shown.get(option["label"], option["label"])
    return summary


@require_http_methods(["GET", "POST"])
@form_rate_limit(key="user_or_ip", group="participation.residents_writing")
def consultation_follow(request: HttpRequest, slug: str) -> HttpResponse:
    """Follow (or, with `stop`, stop following) a consultation; signed-in people only.

    Someone signed out who presses "Follow" is asked to sign in, and the session keeps
    what they asked for: signing in (or signing up) brings them back here by GET, which
    completes that follow. A GET nobody asked for by a POST follows nothing."""
    consultation = _public(slug)
    asked = request.session.get(SESSION_FOLLOW) == consultation.pk
    if not request.user.is_authenticated:
        if request.method == "POST" and not request.POST.get("stop"):
            request.session[SESSION_FOLLOW] = consultation.pk
        return redirect_to_login(reverse("participation:consultation_follow", args=[slug]))
    if request.method == "GET":
        if not asked:
            return redirect("participation:consultation_detail", slug=slug)
        del request.session[SESSION_FOLLOW]
    if request.POST.get("stop"):
        services.consultation_unfollow(actor=request.user, consultation=consultation)
        messages.success(request, _("You no longer follow this consultation."))
    else:
        services.consultation_follow(actor=request.user, consultation=consultation)
        messages.success(
            request,
            _(
                "You follow this consultation. We will email you when it closes and when the council publishes what it did."
            ),
        )
    return redirect("participation:consultation_detail", slug=slug)


def respond_start(request: HttpRequest, slug: str) -> HttpResponse:
    """The start page; its button (a POST) starts or carries on the resident's response."""
    consultation = _public(slug)
    if request.method == "POST":
        try:
            started = services.draft_start(consultation=consultation, respondent=request.user)
        except services.AlreadyResponded:
            return _already_responded(request, consultation)
        except services.NotAcceptingResponses as refusal:
            return _closed(request, consultation, refusal)
        request.session[SESSION_DRAFT.format(pk=consultation.pk)] = started.resume_token
        return _continue(consultation, started.draft)
    return render(
        request,
        "participation/respond_start.html",
        {
            "consultation": consultation,
            "accepting": selectors.is_accepting_responses(consultation),
            "needs_sign_in": consultation.response_mode == Consultation.ResponseMode.SIGNED_IN
            and not request.user.is_authenticated,
        },
    )


def respond_resume(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """A resume link: the anonymous resident's saved answers, on any device."""
    consultation = _public(slug)
    draft = services.draft_by_token(consultation=consultation, token=token)
    if draft is None:
        messages.error(request, _("That link has expired or has already been used to respond."))
        return redirect("participation:respond_start", slug=slug)
    request.session[SESSION_DRAFT.format(pk=consultation.pk)] = token
    return _continue(consultation, draft)


def respond_page(request: HttpRequest, slug: str, page_id: int) -> HttpResponse:
    consultation = _public(slug)
    draft = _current_draft(request, consultation)
    if draft is None:
        return redirect("participation:respond_start", slug=slug)
    pages = selectors.survey_pages(consultation)
    page = next((candidate for candidate in pages if candidate.pk == page_id), None)
    if page is None:
        raise Http404
    questions = selectors.shown_questions(page, draft.answers)
    data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = SurveyPageForm(data, files, questions=questions, stored=draft.answers)
    if request.method == "POST" and form.is_valid():
        try:
            services.draft_save_page(
                draft=draft, page=page, answers=form.stored_answers(draft.answers)
            )
        except services.NotAcceptingResponses as refusal:
            return _closed(request, consultation, refusal)
        if "save_and_leave" in request.POST:
            return redirect("participation:respond_saved", slug=slug)
        following = selectors.next_page(pages, draft.answers, page)
        if following is None:
            return redirect("participation:respond_check", slug=slug)
        return redirect("participation:respond_page", slug=slug, page_id=following.pk)
    flow = selectors.flow(pages, draft.answers)
    previous = selectors.previous_page(pages, draft.answers, page)
    return render(
        request,
        "participation/respond_page.html",
        {
            "consultation": consultation,
            "page": page,
            "form": form,
            "step": flow.index(page) + 1 if page in flow else None,
            "steps": len(flow),
            "back_url": reverse("participation:respond_page", args=[slug, previous.pk])
            if previous
            else reverse("participation:respond_start", args=[slug]),
        },
    )


@require_http_methods(["GET", "POST"])
@form_rate_limit(rate="5/h", key="ip", group="participation.resume_link_email")
def respond_saved(request: HttpRequest, slug: str) -> HttpResponse:
    """After "Save and come back later": the resume link, to copy or to have emailed.

    The link stays the same while the session holds it (so an emailed link keeps
    working); a signed-in resident whose session has none gets a fresh one."""
    consultation = _public(slug)
    draft = _current_draft(request, consultation)
    if draft is None:
        return redirect("participation:respond_start", slug=slug)
    session_key = SESSION_DRAFT.format(pk=consultation.pk)
    token = request.session.get(session_key, "")
    if services.draft_by_token(consultation=consultation, token=token) is None:
        started = services.draft_start(consultation=consultation, respondent=request.user)
        token = started.resume_token
        request.session[session_key] = token
    resume_url = request.build_absolute_uri(
        reverse("participation:respond_resume", args=[slug, token])
    )
    form = ResumeLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.resume_link_email(
            address=form.cleaned_data["email"],
            consultation_title=translated(consultation, "title").text,
            link=resume_url,
            language=request.LANGUAGE_CODE,
        )
        messages.success(request, _("We have emailed you the link to your answers."))
        return redirect("participation:respond_saved", slug=slug)
    return render(
        request,
        "participation/respond_saved.html",
        {"consultation": consultation, "resume_url": resume_url, "form": form},
    )


def respond_check(request: HttpRequest, slug: str) -> HttpResponse:
    """Check your answers, then submit. The form carries a key unique to this rendering."""
    consultation = _public(slug)
    draft = _current_draft(request, consultation)
    signed_in = request.user.is_authenticated
    receipt = None if signed_in else ReceiptForm(request.POST or None)
    if request.method == "POST" and (receipt is None or receipt.is_valid()):
        key = request.POST.get("idempotency_key", "")
        try:
            response = services.response_submit(
                consultation=consultation,
                idempotency_key=key,
                draft=draft,
                receipt_to=receipt.address if receipt else "",
                language=request.LANGUAGE_CODE,
            )
        except services.AlreadyResponded:
            return _already_responded(request, consultation)
        except services.StaleSubmission as stale:
            messages.warning(request, stale.message)
            return redirect("participation:respond_check", slug=slug)
        except services.NotAcceptingResponses as refusal:
            return _closed(request, consultation, refusal)
        request.session.pop(SESSION_DRAFT.format(pk=consultation.pk), None)
        request.session[SESSION_DONE.format(pk=consultation.pk)] = {
            "reference": response.reference,
            "emailed": signed_in or bool(receipt.address),
        }
        return redirect("participation:respond_done", slug=slug)
    if draft is None:
        return redirect("participation:respond_start", slug=slug)
    rows = selectors.answers_for_display(consultation, draft.answers)
    return render(
        request,
        "participation/respond_check.html",
        {
            "consultation": consultation,
            "rows": rows,
            "idempotency_key": services.draft_submission_key(draft=draft),
            "receipt": receipt,
        },
    )


def respond_done(request: HttpRequest, slug: str) -> HttpResponse:
    """The confirmation: the response's reference, and a link to the printable copy (the
    secret one, since a resident who is not signed in has no other way back to it)."""
    consultation = _public(slug)
    done = request.session.get(SESSION_DONE.format(pk=consultation.pk))
    # A session from before references were kept holds a bare id: show the consultation.
    response = (
        selectors.response_by_reference(done["reference"]) if isinstance(done, dict) else None
    )
    if response is None:
        return redirect("participation:consultation_detail", slug=slug)
    return render(
        request,
        "participation/respond_done.html",
        {
            "consultation": consultation,
            "reference": response.reference,
            "emailed": done["emailed"],
            "copy_url": selectors.response_copy_url(response, secret=True),
        },
    )


def response_copy(request: HttpRequest, slug: str, reference: str, key: str = "") -> HttpResponse:
    """A printable copy of a response: for its respondent signed in, or for whoever holds
    the secret link (the confirmation page's and the receipt's). Anyone else gets a 404,
    the same whether the reference exists or not."""
    consultation = _public(slug)
    if not key and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    response = selectors.response_for_copy(
        consultation=consultation, reference=reference, viewer=request.user, key=key
    )
    if response is None:
        raise Http404
    return render(
        request,
        "participation/response_copy.html",
        {
            "consultation": consultation,
            "response": response,
            "answers": selectors.response_answers(response),
        },
    )


# Helpers -----------------------------------------------------------------------------


def _public(slug: str) -> Consultation:
    consultation = selectors.consultation_for_public(slug)
    if consultation is None:
        raise Http404
    return consultation


def _current_draft(request: HttpRequest, consultation: Consultation) -> ResponseDraft | None:
    token = request.session.get(SESSION_DRAFT.format(pk=consultation.pk), "")
    draft = services.draft_by_token(consultation=consultation, token=token)
    if draft is None and request.user.is_authenticated:
        draft = consultation.drafts.filter(respondent=request.user).first()
    return draft


def _continue(consultation: Consultation, draft: ResponseDraft) -> HttpResponse:
    first = selectors.next_page(selectors.survey_pages(consultation), draft.answers, None)
    if first is None:
        return redirect("participation:respond_check", slug=consultation.slug)
    return redirect("participation:respond_page", slug=consultation.slug, page_id=first.pk)


def _ward_labels(consultation: Consultation) -> list[str]:
    names = integrations.ward_names()
    return [names.get(code, code) for code in consultation.ward_codes]


def _already_responded(request: HttpRequest, consultation: Consultation) -> HttpResponse:
    return render(
        request,
        "participation/respond_already.html",
        {"consultation": consultation},
        status=409,
    )


def _closed(request: HttpRequest, consultation: Consultation, refusal) -> HttpResponse:
    return render(
        request,
        "participation/respond_closed.html",
        {"consultation": consultation, "message": refusal.message},
        status=403 if consultation.state == Consultation.State.OPEN else 410,
    )
