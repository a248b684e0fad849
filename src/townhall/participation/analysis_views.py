"""Officers' analysis pages beyond the results: cross-tabs (and their CSV) and reading and
coding free-text answers, several at a time.

Thin, as the other staff pages: the gate is staff_views.staff_page, reads come from
analysis and selectors, and coding goes through services.answers_code and answer_tag.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _

from townhall.core.components.pagination import numbered_pagination, page_number
from townhall.core.permissions import can

from . import analysis, selectors, services
from .analysis_forms import BulkCodeForm, CodeFilterForm, CrosstabForm
from .forms import TagForm
from .models import Answer, Question
from .staff_views import _consultation, staff_page


def _crosstab(request: HttpRequest, slug: str):
    consultation = _consultation(slug)
    form = CrosstabForm(
        request.GET if request.GET else None, dimensions=analysis.dimensions(consultation)
    )
    if not form.is_valid():
        return consultation, form, None
    rows, columns = form.chosen()
    return consultation, form, analysis.crosstab(consultation, rows=rows, columns=columns)


@staff_page
def manage_crosstab(request: HttpRequest, slug: str) -> HttpResponse:
    """Choose rows and columns (a GET form, so it works without JavaScript); see the table."""
    consultation, form, table = _crosstab(request, slug)
    return render(
        request,
        "participation/staff/crosstab.html",
        {
            "consultation": consultation,
            "form": form,
            "table": table,
            "query": request.GET.urlencode(),
        },
    )


@staff_page
def manage_crosstab_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """The same cross-tab, with the same suppression, as a CSV file."""
    _consultation_found, _form, table = _crosstab(request, slug)
    if table is None:
        page = reverse("participation:manage_crosstab", args=[slug])
        return redirect(f"{page}?{request.GET.urlencode()}")
    # A byte order mark, so spreadsheets read the Welsh and the curly quotes as UTF-8.
    response = HttpResponse(
        "\ufeff" + "".join(analysis.csv_lines(table)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"{slug}-{table.rows.key}-by-{table.columns.key}.csv"
    )
    return response


@staff_page
def manage_text_answers(request: HttpRequest, slug: str, question_id: int) -> HttpResponse:
    """Read free-text answers, filter them by code, and code one or several at a time."""
    consultation = _consultation(slug)
    question = get_object_or_404(Question, pk=question_id, consultation=consultation)
    codes = list(analysis.codes_for(question))
    filter_form = CodeFilterForm(request.GET, codes=codes)
    code_filter = filter_form.chosen_code()
    answers = selectors.text_answers(question, code=code_filter)
    bulk_posted = "bulk" in request.POST
    every_answer = selectors.text_answers(question).values_list("pk", flat=True)
    bulk = BulkCodeForm(
        request.POST if bulk_posted else None,
        answer_ids=list(every_answer) if bulk_posted else [],
    )
    if request.method == "POST" and not bulk_posted:
        return _tag_one(request, answers)
    if bulk.is_bound and bulk.is_valid():
        try:
            services.answers_code(
                actor=request.user,
                question=question,
                answer_ids=bulk.cleaned_data["answers"],
                label=bulk.cleaned_data["label"],
            )
            messages.success(request, _("Code added to the selected answers."))
            return redirect(request.get_full_path())
        except services.ParticipationError as error:
            bulk.add_error(None, error.message)
    return render(
        request,
        "participation/staff/text_answers.html",
        {
            "consultation": consultation,
            "question": question,
            "answers": Paginator(answers, 25).get_page(request.GET.get("page")),
            "codes": codes,
            "filter_form": filter_form,
            "form": bulk,
            "code_query": urlencode({"code": code_filter}) if code_filter else "",
        },
    )


def _tag_one(request: HttpRequest, answers) -> HttpResponse:
    """Set one answer's codes from its own form (comma-separated), back to where it was."""
    form = TagForm(request.POST)
    answer = get_object_or_404(answers, pk=request.POST.get("answer"))
    if form.is_valid():
        services.answer_tag(actor=request.user, answer=answer, labels=form.label_list())
        messages.success(request, _("Codes saved."))
    return redirect(f"{request.get_full_path()}#answer-{answer.pk}")


@staff_page
def manage_answer_files(request: HttpRequest, slug: str, question_id: int) -> HttpResponse:
    """The files residents uploaded in answer to one question, 25 a page, each to download."""
    consultation = _consultation(slug)
    question = get_object_or_404(
        Question, pk=question_id, consultation=consultation, kind=Question.Kind.FILE
    )
    if not can(request.user, "participation.export_responses", consultation):
        raise PermissionDenied
    paginator = Paginator(selectors.file_answers(question), 25)
    page = paginator.get_page(page_number(request.GET.get("page")))
    return render(
        request,
        "participation/staff/answer_files.html",
        {
            "consultation": consultation,
            "question": question,
            "answers": page,
            "pagination": numbered_pagination(request.GET, page.number, paginator.num_pages),
        },
    )


@staff_page
def manage_answer_file(request: HttpRequest, slug: str, answer_id: int) -> FileResponse:
    """One uploaded answer, sent as a download (never shown in the browser), audited."""
    consultation = _consultation(slug)
    try:
        handle, filename = services.answer_file_open(
            actor=request.user, consultation=consultation, answer_id=answer_id
        )
    except (Answer.DoesNotExist, FileNotFoundError) as missing:
        raise Http404 from missing
    return FileResponse(handle, filename=filename, as_attachment=True)
