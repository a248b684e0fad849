"""Challenges and the pipeline for suppliers, their registration, questions and responses;
and the procurement team's pages under /market/manage/. Views parse and render; the rules,
permission checks included, are the services'."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from townhall.core.components.pagination import numbered_pagination, page_number
from townhall.core.permissions import can, page_for

from . import manifest, selectors, services
from .forms import (
    AnswerForm,
    ChallengeFilterForm,
    ChallengeForm,
    ContractForm,
    ProcurementForm,
    QuestionForm,
    ResponseForm,
    SupplierForm,
)

PAGE_SIZE = 10


def _service_error(form, error: services.MarketError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def signed_in(view):
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


challenges_page = page_for(manifest.MANAGE_CHALLENGES)
questions_page = page_for(manifest.ANSWER_QUESTIONS)
responses_page = page_for(manifest.READ_RESPONSES)
pipeline_page = page_for(manifest.MANAGE_PIPELINE)


# For suppliers and everyone -------------------------------------------------------------------


def challenge_list(request: HttpRequest) -> HttpResponse:
    """Published challenges, newest first, ten a page, filtered by status and capability."""
    form = ChallengeFilterForm(request.GET)
    valid = form.is_valid()
    challenges = selectors.public_challenges(**form.cleaned_data) if valid else []
    paginator = Paginator(challenges, PAGE_SIZE)
    page = paginator.get_page(page_number(request.GET.get("page")))
    context = {
        "form": form,
        "page": page,
        "pagination": numbered_pagination(request.GET, page.number, paginator.num_pages),
        "supplier": selectors.supplier_of(request.user),
    }
    return render(request, "market/challenge_list.html", context, status=200 if valid else 400)


def challenge_detail(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = selectors.public_challenge(slug)
    if challenge is None:
        raise Http404
    context = {
        "challenge": challenge,
        "capabilities": selectors.capability_labels(challenge.capabilities),
        "datasets": selectors.challenge_datasets(challenge),
        "answers": selectors.published_questions(challenge),
        "is_open": selectors.challenge_is_open(challenge),
        "questions_open": selectors.questions_are_open(challenge),
        "supplier": selectors.supplier_of(request.user),
        "own_response": selectors.own_response(request.user, challenge),
        "own_questions": selectors.own_questions(request.user, challenge),
        "notices": selectors.notices_of_challenge(challenge),
        "events": selectors.public_events(challenge),
        "criteria": selectors.published_criteria(challenge),
    }
    return render(request, "market/challenge_detail.html", context)


def pipeline(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "market/pipeline.html",
        {
            "procurements": selectors.pipeline(),
            "contracts": selectors.awarded_contracts()[:20],
            "notices": selectors.latest_notices(),
        },
    )


@signed_in
@require_http_methods(["GET", "POST"])
def supplier_register(request: HttpRequest) -> HttpResponse:
    if selectors.supplier_of(request.user) is not None:
        return redirect("market:supplier_home")
    form = SupplierForm(request.POST or None, initial={"contact_email": request.user.email})
    if request.method == "POST" and form.is_valid():
        try:
            supplier = services.supplier_register(actor=request.user, **form.cleaned_data)
        except services.MarketError as error:
            _service_error(form, error)
        else:
            messages.success(
                request, _("%(name)s is registered as a supplier.") % {"name": supplier.name}
            )
            return redirect(_next_on_this_site(request) or "market:supplier_home")
    return render(request, "market/supplier_register.html", {"form": form})


@signed_in
@require_http_methods(["GET", "POST"])
def supplier_home(request: HttpRequest) -> HttpResponse:
    supplier = selectors.supplier_of(request.user)
    if supplier is None:
        return redirect("market:supplier_register")
    initial = {
        name: getattr(supplier, name)
        for name in (
            "name",
            "sme",
            "voluntary_sector",
            "capabilities",
            "areas_served",
            "contact_name",
            "contact_email",
        )
    }
    form = SupplierForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.supplier_edit(actor=request.user, supplier=supplier, **form.cleaned_data)
        except services.MarketError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("Your organisation's details are saved."))
            return redirect("market:supplier_home")
    context = {
        "supplier": supplier,
        "form": form,
        "responses": selectors.own_responses(request.user),
        "questions": selectors.own_questions(request.user),
    }
    return render(request, "market/supplier_home.html", context)


def _next_on_this_site(request: HttpRequest) -> str:
    """The `next` address to carry on to, only when it is on this site."""
    next_url = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return ""


def _supplier_or_register(request: HttpRequest):
    if selectors.supplier_of(request.user) is None:
        return redirect_to_register(request)
    return None


def redirect_to_register(request: HttpRequest) -> HttpResponse:
    messages.info(request, _("Register your organisation first, then carry on."))
    response = redirect("market:supplier_register")
    response["Location"] += f"?next={request.path}"
    return response


@signed_in
@require_http_methods(["GET", "POST"])
def question_ask(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = selectors.public_challenge(slug)
    if challenge is None:
        raise Http404
    if (early := _supplier_or_register(request)) is not None:
        return early
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_ask(actor=request.user, challenge=challenge, **form.cleaned_data)
        except services.MarketError as error:
            _service_error(form, error)
        else:
            messages.success(
                request,
                _("Your question is sent. The answer will be published on this page for all."),
            )
            return redirect("market:challenge_detail", challenge.slug)
    context = {"challenge": challenge, "form": form}
    return render(request, "market/question_form.html", context)


@signed_in
@require_http_methods(["GET", "POST"])
def response_form(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = selectors.public_challenge(slug)
    if challenge is None:
        raise Http404
    if (early := _supplier_or_register(request)) is not None:
        return early
    existing = selectors.own_response(request.user, challenge)
    initial = {"summary": existing.summary} if existing else {}
    form = ResponseForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.response_submit(actor=request.user, challenge=challenge, **form.cleaned_data)
        except services.MarketError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("Your response is sent to the council."))
            return redirect("market:challenge_detail", challenge.slug)
    context = {
        "challenge": challenge,
        "form": form,
        "existing": existing,
        "closed": not selectors.accepts_responses(challenge),
    }
    return render(request, "market/response_form.html", context)


@signed_in
def response_document(request: HttpRequest, public_id) -> HttpResponse:
    """A response's document, for the supplier who sent it and the procurement team only."""
    response = selectors.own_response_by_public_id(request.user, public_id)
    if response is None and can(request.user, manifest.READ_RESPONSES):
        response = selectors.response_for_staff(public_id)
    if response is None or not response.attachment:
        raise Http404
    try:
        handle = response.attachment.open("rb")
    except FileNotFoundError as missing:
        raise Http404(_("The file is missing.")) from missing
    return FileResponse(
        handle, filename=response.attachment.name.rsplit("/", 1)[-1], as_attachment=True
    )


# Staff ---------------------------------------------------------------------------------------


@challenges_page
def manage_challenges(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "market/manage/challenges.html",
        {"challenges": selectors.staff_challenges()},
    )


@challenges_page
@require_http_methods(["GET", "POST"])
def manage_challenge_create(request: HttpRequest) -> HttpResponse:
    return _challenge_form(request, None)


@challenges_page
@require_http_methods(["GET", "POST"])
def manage_challenge_edit(request: HttpRequest, public_id) -> HttpResponse:
    challenge = selectors.challenge_for_staff(public_id)
    if challenge is None:
        raise Http404
    return _challenge_form(request, challenge)


def _challenge_initial(challenge) -> dict:
    from django.utils import timezone

    initial = {
        name: getattr(challenge, name if name.endswith("_cy") else f"{name}_en_gb")
        for base in services.CHALLENGE_TEXT
        for name in (base, f"{base}_cy")
    }
    for name in ("questions_deadline", "response_deadline"):
        local = timezone.localtime(getattr(challenge, name))
        initial[f"{name}_day"] = local.date()
        initial[f"{name}_time"] = local.time().replace(second=0, microsecond=0)
    initial.update(
        capabilities=challenge.capabilities,
        budget_min_pence=challenge.budget_min_pence,
        budget_max_pence=challenge.budget_max_pence,
        dataset_ids=challenge.dataset_ids,
    )
    return initial


def _challenge_form(request: HttpRequest, challenge) -> HttpResponse:
    initial = _challenge_initial(challenge) if challenge is not None else {}
    form = ChallengeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        try:
            if challenge is None:
                saved = services.challenge_create(actor=request.user, **arguments)
            else:
                saved = services.challenge_edit(
                    actor=request.user, challenge=challenge, **arguments
                )
        except services.MarketError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("“%(title)s” is saved.") % {"title": saved.title})
            return redirect("market:manage_challenge_edit", saved.public_id)
    context = {
        "form": form,
        "challenge": challenge,
        "questions": selectors.questions_for_staff(challenge) if challenge else [],
        "response_count": challenge.responses.count() if challenge else 0,
        "notices": selectors.notices_of_challenge(challenge) if challenge else [],
    }
    return render(request, "market/manage/challenge_form.html", context)


@challenges_page
@require_POST
def manage_challenge_status(request: HttpRequest, public_id) -> HttpResponse:
    challenge = selectors.challenge_for_staff(public_id)
    if challenge is None:
        raise Http404
    change = (
        services.challenge_publish
        if request.POST.get("to") == "published"
        else services.challenge_close
    )
    try:
        change(actor=request.user, challenge=challenge)
    except services.MarketError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("“%(title)s” is now %(status)s.")
            % {"title": challenge.title, "status": challenge.get_status_display().lower()},
        )
    return redirect("market:manage_challenge_edit", challenge.public_id)


@responses_page
def manage_responses(request: HttpRequest, public_id) -> HttpResponse:
    challenge = selectors.challenge_for_staff(public_id)
    if challenge is None:
        raise Http404
    context = {"challenge": challenge, "responses": selectors.responses_for_staff(challenge)}
    return render(request, "market/manage/responses.html", context)


@questions_page
@require_http_methods(["GET", "POST"])
def manage_question(request: HttpRequest, public_id) -> HttpResponse:
    question = selectors.question_for_staff(public_id)
    if question is None:
        raise Http404
    initial = {
        "published_question": question.published_question_en_gb or question.text,
        "published_question_cy": question.published_question_cy,
        "answer": question.answer_en_gb,
        "answer_cy": question.answer_cy,
    }
    form = AnswerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_answer(actor=request.user, question=question, **form.cleaned_data)
        except services.MarketError as error:
            _service_error(form, error)
        else:
            messages.success(
                request,
                _("The answer is published.")
                if question.published_at
                else _("The answer is saved."),
            )
            return redirect("market:manage_challenge_edit", question.challenge.public_id)
    return render(request, "market/manage/question_form.html", {"form": form, "question": question})


@pipeline_page
def manage_pipeline(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "market/manage/pipeline.html",
        {
            "procurements": selectors.procurements_for_staff(),
            "flagged": set(selectors.procurements_flagged().values_list("pk", flat=True)),
            "notices": selectors.latest_notices(),
        },
    )


@pipeline_page
@require_http_methods(["GET", "POST"])
def manage_procurement_create(request: HttpRequest) -> HttpResponse:
    return _procurement_form(request, None)


@pipeline_page
@require_http_methods(["GET", "POST"])
def manage_procurement_edit(request: HttpRequest, public_id) -> HttpResponse:
    procurement = selectors.procurement_for_staff(public_id)
    if procurement is None:
        raise Http404
    return _procurement_form(request, procurement)


def _procurement_form(request: HttpRequest, procurement) -> HttpResponse:
    initial = {}
    if procurement is not None:
        initial = {
            name: getattr(procurement, name if name.endswith("_cy") else f"{name}_en_gb")
            for base in services.PROCUREMENT_TEXT
            for name in (base, f"{base}_cy")
        }
        for name in (
            "estimated_value_pence",
            "route",
            "status",
            "tender_publication_on",
            "contract_start_on",
            "contract_end_on",
            "challenge",
            "uk2_omitted_reason",
        ):
            initial[name] = getattr(procurement, name)
    form = ProcurementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if procurement is None:
                saved = services.procurement_create(actor=request.user, **form.cleaned_data)
            else:
                saved = services.procurement_edit(
                    actor=request.user, procurement=procurement, **form.cleaned_data
                )
        except services.MarketError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("“%(title)s” is saved.") % {"title": saved.title})
            return redirect("market:manage_pipeline")
    context = {
        "form": form,
        "procurement": procurement,
        "flagged": procurement is not None and selectors.engagement_without_uk2(procurement),
        "notices": selectors.notices_of_procurement(procurement) if procurement else [],
    }
    return render(request, "market/manage/procurement_form.html", context)


@pipeline_page
@require_http_methods(["GET", "POST"])
def manage_contract_award(request: HttpRequest, public_id) -> HttpResponse:
    procurement = selectors.procurement_for_staff(public_id)
    if procurement is None:
        raise Http404
    form = ContractForm(request.POST or None, initial={"title": procurement.title})
    if request.method == "POST" and form.is_valid():
        try:
            contract = services.contract_award(
                actor=request.user, procurement=procurement, **form.cleaned_data
            )
        except services.MarketError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("“%(title)s” is recorded.") % {"title": contract.title})
            return redirect("market:manage_pipeline")
    context = {"form": form, "procurement": procurement}
    return render(request, "market/manage/contract_form.html", context)
