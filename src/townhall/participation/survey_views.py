"""Officers' pages for changing a survey: edit a question or page, remove one (after a
confirmation page), and move questions, options and pages up or down with plain form
buttons, so that all of it works without JavaScript.

The services decide what may change once the consultation has opened; these pages show
their refusals as messages.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from townhall.core.permissions import can

from . import services
from .models import Consultation, Question, SurveyPage
from .staff_views import _consultation, staff_page
from .survey_forms import PageEditForm, QuestionEditForm


def _builder(request: HttpRequest, slug: str) -> Consultation:
    """The consultation, for a person who may build its survey (403 for anyone else)."""
    consultation = _consultation(slug)
    if not can(request.user, "participation.build_survey", consultation):
        raise PermissionDenied
    return consultation


def _survey_url(consultation: Consultation, anchor: str = "") -> str:
    url = reverse("participation:manage_survey", args=[consultation.slug])
    return f"{url}#{anchor}" if anchor else url


def _question_url(question: Question) -> str:
    return reverse("participation:manage_question", args=[question.consultation.slug, question.pk])


@staff_page
def manage_question(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    consultation = _builder(request, slug)
    question = get_object_or_404(Question, pk=pk, consultation=consultation)
    form = QuestionEditForm(request.POST or None, question=question)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(actor=request.user, question=question, **form.service_fields())
            messages.success(request, _("The question is saved."))
            return redirect(_survey_url(consultation, f"question-{pk}"))
        except services.EditConflict as error:
            messages.error(request, error.message)
            return redirect(_question_url(question))
        except services.ParticipationError as error:
            form.add_error(None, error.message)
    return render(
        request,
        "participation/staff/survey_edit.html",
        {
            "consultation": consultation,
            "form": form,
            "question": question,
            "opened": services.has_opened(consultation),
            "title": _("Change the question"),
        },
    )


@staff_page
def manage_page(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    consultation = _builder(request, slug)
    page = get_object_or_404(SurveyPage, pk=pk, consultation=consultation)
    form = PageEditForm(request.POST or None, page=page)
    if request.method == "POST" and form.is_valid():
        try:
            services.page_update(actor=request.user, page=page, **form.cleaned_data)
            messages.success(request, _("The page title is saved."))
            return redirect(_survey_url(consultation, f"page-{pk}"))
        except services.ParticipationError as error:
            messages.error(request, error.message)
            return redirect(request.path)
    return render(
        request,
        "participation/staff/survey_edit.html",
        {"consultation": consultation, "form": form, "title": _("Change the page title")},
    )


def _remove(request, consultation, *, remove, done: str, back: str, context: dict):
    """The confirmation page (GET) or the removal (POST), with a message either way."""
    if request.method == "POST":
        try:
            remove()
            messages.success(request, done)
        except services.ParticipationError as error:
            messages.error(request, error.message)
        return redirect(back)
    return render(
        request,
        "participation/staff/survey_remove.html",
        {"consultation": consultation, "back_url": back, **context},
    )


@staff_page
def manage_question_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    consultation = _builder(request, slug)
    question = get_object_or_404(Question, pk=pk, consultation=consultation)
    return _remove(
        request,
        consultation,
        remove=lambda: services.question_delete(actor=request.user, question=question),
        done=_("The question is removed."),
        back=_survey_url(consultation),
        context={"title": _("Remove this question?"), "removed": [question.text]},
    )


@staff_page
def manage_page_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    consultation = _builder(request, slug)
    page = get_object_or_404(SurveyPage, pk=pk, consultation=consultation)
    return _remove(
        request,
        consultation,
        remove=lambda: services.page_delete(actor=request.user, page=page),
        done=_("The page is removed."),
        back=_survey_url(consultation),
        context={
            "title": _("Remove this page and its questions?"),
            "removed": [page.title, *(question.text for question in page.questions.all())],
        },
    )


@staff_page
def manage_option_remove(request: HttpRequest, slug: str, pk: int, index: int) -> HttpResponse:
    consultation = _builder(request, slug)
    question = get_object_or_404(Question, pk=pk, consultation=consultation)
    if index >= len(question.choices):
        raise Http404
    return _remove(
        request,
        consultation,
        remove=lambda: services.option_delete(
            actor=request.user, question=question, index=index, seen=request.POST.get("seen")
        ),
        done=_("The option is removed."),
        back=_question_url(question),
        context={
            "title": _("Remove this option?"),
            "removed": [question.choices[index]],
            "seen": services.fingerprint(question),
        },
    )


@staff_page
@require_POST
def manage_survey_move(request: HttpRequest, slug: str) -> HttpResponse:
    """Move a page, a question or an option one place up or down (`what` says which)."""
    consultation = _builder(request, slug)
    what, direction = request.POST.get("what"), request.POST.get("direction")
    pk = request.POST.get("pk", "")
    if not pk.isdigit():
        raise Http404
    try:
        if what == "page":
            page = get_object_or_404(SurveyPage, pk=pk, consultation=consultation)
            services.page_move(actor=request.user, page=page, direction=direction)
            return redirect(_survey_url(consultation, f"page-{page.pk}"))
        question = get_object_or_404(Question, pk=pk, consultation=consultation)
        if what == "question":
            services.question_move(actor=request.user, question=question, direction=direction)
            return redirect(_survey_url(consultation, f"question-{question.pk}"))
        if what != "option":
            raise Http404
        index = request.POST.get("index", "")
        services.option_move(
            actor=request.user,
            question=question,
            index=int(index) if index.isdigit() else -1,
            direction=direction,
            seen=request.POST.get("seen"),
        )
        return redirect(f"{_question_url(question)}#options")
    except services.ParticipationError as error:
        messages.error(request, error.message)
        return redirect(_survey_url(consultation))
