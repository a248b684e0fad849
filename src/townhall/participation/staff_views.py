"""Officers' pages: write a consultation, build its survey, move it along, analyse, report.

Each view parses, calls one service or selector and renders; services check permission
again, so these pages are a convenience, not the gate.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from townhall.core.components.charts import bar_chart, line_chart
from townhall.core.permissions import can, page_for

from . import integrations, selectors, services
from .forms import (
    AssistedResponseForm,
    ConsultationForm,
    ConsultationWelshForm,
    DatasetForm,
    DocumentForm,
    OpenForm,
    OutcomeForm,
    QuestionForm,
    SurveyPageForm,
    SurveyPageTitleForm,
)
from .models import Consultation, Question

EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
STEP_SERVICES = {
    "approve": services.consultation_approve,
    "close": services.consultation_close,
    "start_analysis": services.consultation_start_analysis,
}


def staff_page(view):
    """Sign-in for anonymous visitors, 403 for anyone without the staff pages action."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can(request.user, "participation.view_staff_pages"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _consultation(slug: str) -> Consultation:
    consultation = selectors.consultation_for_staff(slug)
    if consultation is None:
        raise Http404
    return consultation


def _form_page(request, consultation, form, *, title: str, submit: str, back: str, multipart=False):
    return render(
        request,
        "participation/staff/form.html",
        {
            "consultation": consultation,
            "form": form,
            "title": title,
            "submit": submit,
            "back_url": back,
            "multipart": multipart,
        },
    )


@staff_page
def manage_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "participation/staff/list.html",
        {
            "consultations": selectors.staff_consultations(),
            "overdue": selectors.overdue_outcomes(),
            "budgets": selectors.budgets(),
            "can_manage_budgets": can(request.user, "participation.manage_budgets"),
        },
    )


@staff_page
def manage_create(request: HttpRequest) -> HttpResponse:
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        consultation = services.consultation_create(actor=request.user, **form.service_fields())
        return redirect("participation:manage_detail", slug=consultation.slug)
    return _form_page(
        request,
        None,
        form,
        title=_("New consultation"),
        submit=_("Save draft"),
        back=reverse("participation:manage_list"),
    )


@staff_page
def manage_welsh(request: HttpRequest, slug: str) -> HttpResponse:
    """The consultation's Welsh, which may be written or corrected at any stage."""
    consultation = _consultation(slug)
    form = ConsultationWelshForm(request.POST or None, instance=consultation)
    if request.method == "POST" and form.is_valid():
        services.consultation_translate(
            actor=request.user, consultation=consultation, **form.cleaned_data
        )
        messages.success(request, _("The Welsh is saved."))
        return redirect("participation:manage_detail", slug=slug)
    return _form_page(
        request,
        consultation,
        form,
        title=_("Welsh"),
        submit=_("Save the Welsh"),
        back=reverse("participation:manage_detail", args=[slug]),
    )


@staff_page
def manage_edit(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(slug)
    form = ConsultationForm(request.POST or None, instance=consultation)
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_update(
                actor=request.user, consultation=consultation, **form.service_fields()
            )
        except services.ParticipationError as error:
            messages.error(request, error.message)
        return redirect("participation:manage_detail", slug=form.cleaned_data["slug"])
    return _form_page(
        request,
        consultation,
        form,
        title=_("Edit consultation"),
        submit=_("Save changes"),
        back=reverse("participation:manage_detail", args=[slug]),
    )


@staff_page
def manage_detail(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(slug)
    return render(
        request,
        "participation/staff/detail.html",
        {
            "consultation": consultation,
            "pre_election": selectors.pre_election_periods_overlapping(
                opens_at=consultation.opens_at, closes_at=consultation.closes_at
            ),
            "clock": selectors.outcome_clock(consultation),
            "pages": selectors.survey_pages(consultation),
            "response_total": consultation.responses.count(),
            "can_lead": can(request.user, "participation.manage_consultation", consultation),
            "open_form": OpenForm(),
        },
    )


@staff_page
@require_POST
def manage_step(request: HttpRequest, slug: str, step: str) -> HttpResponse:
    """Approve, close or start analysing (opening has its own view for its warning)."""
    consultation = _consultation(slug)
    service = STEP_SERVICES.get(step)
    if service is None:
        raise Http404
    try:
        service(actor=request.user, consultation=consultation)
    except services.ParticipationError as error:
        messages.error(request, error.message)
    return redirect("participation:manage_detail", slug=slug)


@staff_page
@require_POST
def manage_open(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(slug)
    form = OpenForm(request.POST)
    form.is_valid()
    try:
        services.consultation_open(
            actor=request.user,
            consultation=consultation,
            acknowledge_pre_election=form.cleaned_data.get("acknowledge_pre_election", False),
        )
        messages.success(request, _("The consultation is open."))
    except services.ParticipationError as error:
        messages.error(request, error.message)
    return redirect("participation:manage_detail", slug=slug)


@staff_page
def manage_documents(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(slug)
    document_form = DocumentForm(request.POST if "add_document" in request.POST else None)
    dataset_form = DatasetForm(request.POST if "add_dataset" in request.POST else None)
    try:
        if document_form.is_bound and document_form.is_valid():
            services.document_add(
                actor=request.user, consultation=consultation, **document_form.cleaned_data
            )
            return redirect("participation:manage_documents", slug=slug)
        if dataset_form.is_bound and dataset_form.is_valid():
            services.dataset_reference_add(
                actor=request.user, consultation=consultation, **dataset_form.cleaned_data
            )
            return redirect("participation:manage_documents", slug=slug)
    except services.ParticipationError as error:
        messages.error(request, error.message)
    return render(
        request,
        "participation/staff/documents.html",
        {
            "consultation": consultation,
            "document_form": document_form,
            "dataset_form": dataset_form,
            "evidence_available": integrations.evidence_available(),
        },
    )


@staff_page
def manage_survey(request: HttpRequest, slug: str) -> HttpResponse:
    """The survey builder: add pages, questions (with conditions) and equality monitoring;
    each page and question links to its own pages to change, remove or move it."""
    consultation = _consultation(slug)
    page_form = SurveyPageTitleForm(request.POST if "add_page" in request.POST else None)
    question_form = QuestionForm(
        request.POST if "add_question" in request.POST else None, consultation=consultation
    )
    try:
        if "add_equality_monitoring" in request.POST:
            services.survey_add_equality_monitoring(actor=request.user, consultation=consultation)
            return redirect("participation:manage_survey", slug=slug)
        if page_form.is_bound and page_form.is_valid():
            services.survey_page_add(
                actor=request.user,
                consultation=consultation,
                title=page_form.cleaned_data["title"],
                title_cy=page_form.cleaned_data["title_cy"],
            )
            return redirect("participation:manage_survey", slug=slug)
        if question_form.is_bound and question_form.is_valid():
            data = question_form.cleaned_data
            services.question_add(
                actor=request.user,
                page=data["page"],
                kind=data["kind"],
                text=data["text"],
                hint=data["hint"],
                text_cy=data["text_cy"],
                hint_cy=data["hint_cy"],
                required=data["required"],
                choices=question_form.option_lines(),
                choices_cy=question_form.option_lines("choices_cy"),
                condition_question=data["condition_question"],
                condition_value=data["condition_value"],
            )
            return redirect("participation:manage_survey", slug=slug)
    except services.ParticipationError as error:
        if question_form.is_bound:
            question_form.add_error(None, error.message)
        else:
            messages.error(request, error.message)
    return render(
        request,
        "participation/staff/survey.html",
        {
            "consultation": consultation,
            "pages": selectors.survey_pages(consultation),
            "page_form": page_form,
            "question_form": question_form,
            "editable": consultation.state in services.EDITABLE_STATES,
            "can_build": can(request.user, "participation.build_survey", consultation),
        },
    )


@staff_page
def manage_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """Every page as a resident would see it, with every conditional question shown."""
    consultation = _consultation(slug)
    pages = [
        (
            page,
            SurveyPageForm(questions=list(page.questions.all()), stored={}, prefix=f"p{page.pk}"),
        )
        for page in selectors.survey_pages(consultation)
    ]
    return render(
        request, "participation/staff/preview.html", {"consultation": consultation, "pages": pages}
    )


def _result_charts(results: selectors.Results) -> dict:
    """Server-drawn charts (each with its table) of the results' aggregates, every count
    with its percentage of the people it is out of."""
    not_known = _("Not known")
    of_responses = _("Per cent of the %(count)s responses") % {"count": results.total}
    return {
        "channel": bar_chart(
            title=_("Responses by channel"),
            points=[(row["label"], row["count"]) for row in results.by_channel],
            value_label=_("Responses"),
            category_label=_("Channel"),
            percent_of=results.total,
            percent_label=of_responses,
        ),
        "ward": bar_chart(
            title=_("Responses by ward"),
            points=[
                (row["name"] or row["code"] or not_known, row["count"]) for row in results.by_ward
            ],
            value_label=_("Responses"),
            category_label=_("Ward"),
            percent_of=results.total,
            percent_label=of_responses,
        ),
        "day": line_chart(
            title=_("Responses over time"),
            points=[
                (date_format(row["submitted_on"], "j M"), row["count"]) for row in results.by_day
            ],
            value_label=_("Responses"),
            category_label=_("Day"),
        ),
        "questions": [
            (
                result,
                bar_chart(
                    title=result.question.text,
                    points=[(option["label"], option["count"]) for option in result.options],
                    value_label=_("People"),
                    category_label=_("Answer"),
                    percent_of=result.answered,
                    percent_label=_("Per cent of the %(count)s who answered")
                    % {"count": result.answered},
                )
                if result.options and result.question.kind != Question.Kind.RANKING
                else None,
            )
            for result in results.questions
        ],
    }


@staff_page
def manage_results(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(slug)
    results = selectors.results(consultation)
    return render(
        request,
        "participation/staff/results.html",
        {
            "consultation": consultation,
            "results": results,
            "charts": _result_charts(results),
            "can_export": can(request.user, "participation.export_responses", consultation),
        },
    )


@staff_page
def manage_export(request: HttpRequest, slug: str, file_format: str) -> HttpResponse:
    consultation = _consultation(slug)
    if file_format not in EXPORT_TYPES:
        raise Http404
    chunks = services.responses_export(
        actor=request.user, consultation=consultation, file_format=file_format
    )
    response = StreamingHttpResponse(chunks, content_type=EXPORT_TYPES[file_format])
    response["Content-Disposition"] = content_disposition_header(
        True, f"{slug}-responses.{file_format}"
    )
    return response


@page_for("participation.record_response")
def manage_record(request: HttpRequest, slug: str) -> HttpResponse:
    """Assisted digital (ADR 0108): fill in the survey for a resident who phoned, wrote,
    emailed or called in, with core's channel field; the response is the resident's."""
    consultation = _consultation(slug)
    form = AssistedResponseForm(
        request.POST or None, request.FILES or None, questions=list(consultation.questions.all())
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.response_record(
                actor=request.user,
                consultation=consultation,
                channel=form.cleaned_data["channel"],
                answers=form.stored_answers({}),
                received_at=form.received_at(),
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
            messages.success(request, _("Response recorded."))
            return redirect("participation:manage_record", slug=slug)
        except services.AlreadyResponded:
            # The same page sent twice (a double click): the first send stored it.
            messages.success(request, _("Response recorded."))
            return redirect("participation:manage_record", slug=slug)
        except services.ParticipationError as error:
            form.add_error(None, error.message)
    return _form_page(
        request,
        consultation,
        form,
        title=_("Record a response"),
        submit=_("Record response"),
        # A helper may record responses but sees no other staff page of the consultation.
        back=reverse("participation:manage_detail", args=[slug])
        if can(request.user, "participation.view_staff_pages")
        else reverse("core:help_a_resident"),
        multipart=True,
    )


@staff_page
def manage_outcome(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(slug)
    form = OutcomeForm(
        request.POST or None,
        initial={
            "decision_title": consultation.decision_title_en_gb,
            "decision_title_cy": consultation.decision_title_cy,
            "decision_url": consultation.decision_url,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.outcome_publish(
                actor=request.user, consultation=consultation, **form.cleaned_data
            )
            messages.success(request, _("The outcome is published."))
            return redirect("participation:consultation_detail", slug=slug)
        except services.ParticipationError as error:
            form.add_error(None, error.message)
    return _form_page(
        request,
        consultation,
        form,
        title=_("Publish the outcome"),
        submit=_("Publish outcome"),
        back=reverse("participation:manage_detail", args=[slug]),
    )
