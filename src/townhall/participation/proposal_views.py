"""Proposals pages: read and support residents' ideas, comment in threads, follow, and
(staff) give the council's response. Every form works without JavaScript."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from townhall.core.accounts.names import ask_for_display_name, needs_display_name
from townhall.core.permissions import can
from townhall.core.ratelimit import form_rate_limit

from . import selectors, services
from .forms import (
    CommentForm,
    ProposalForm,
    ProposalProcessForm,
    ProposalResponseForm,
)
from .models import Appeal, Comment, Proposal, ProposalProcess, Report


def _process(slug: str) -> ProposalProcess:
    process = selectors.proposal_process(slug)
    if process is None:
        raise Http404
    return process


def _proposal(process: ProposalProcess, pk: int, viewer=None) -> Proposal:
    proposal = selectors.proposal_in(process, pk, viewer)
    if proposal is None:
        raise Http404
    return proposal


def _named_comment(proposal: Proposal, value: str) -> Comment | None:
    """The proposal's comment that a form names by id (`comment`, `parent`): None when it
    names none; 404 when the proposal has no such comment, or the value is not an id that
    a database could hold (letters, "²", more than 18 digits)."""
    if not value:
        return None
    if not (value.isascii() and value.isdigit() and len(value) <= 18):
        raise Http404
    return get_object_or_404(proposal.comments, pk=int(value))


def _signed_in_or_login(request: HttpRequest) -> HttpResponse | None:
    return None if request.user.is_authenticated else redirect_to_login(request.get_full_path())


def process_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "participation/proposals/process_list.html",
        {
            "processes": selectors.proposal_processes(),
            "can_open": can(request.user, "participation.manage_proposals"),
        },
    )


def process_new(request: HttpRequest) -> HttpResponse:
    if (login := _signed_in_or_login(request)) is not None:
        return login
    if not can(request.user, "participation.manage_proposals"):
        raise PermissionDenied
    form = ProposalProcessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            process = services.proposals_process_create(actor=request.user, **form.service_fields())
        except services.ParticipationError as error:
            form.add_error(None, error.message)
        else:
            return redirect("participation:process_detail", slug=process.slug)
    return render(request, "participation/proposals/process_form.html", {"form": form})


def process_detail(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process(slug)
    return render(
        request,
        "participation/proposals/process_detail.html",
        {
            "process": process,
            "proposals": selectors.proposals_in(process),
            "taking_proposals": selectors.process_taking_proposals(process),
        },
    )


@form_rate_limit(key="user_or_ip", group="participation.residents_writing")
def proposal_new(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process(slug)
    if (login := _signed_in_or_login(request)) is not None:
        return login
    if (ask := ask_for_display_name(request)) is not None:
        return ask
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_submit(
                actor=request.user, process=process, **form.cleaned_data
            )
        except services.ParticipationError as error:
            form.add_error(None, error.message)
        else:
            return redirect("participation:proposal_detail", slug=slug, pk=proposal.pk)
    return render(
        request, "participation/proposals/proposal_form.html", {"process": process, "form": form}
    )


def proposal_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    process = _process(slug)
    proposal = _proposal(process, pk, request.user)
    return render(
        request,
        "participation/proposals/proposal_detail.html",
        {
            "process": process,
            "proposal": proposal,
            "thread": selectors.comment_thread(proposal, request.user),
            "comment_form": CommentForm(),
            "report_reasons": Report.Reason.choices,
            "can_respond": can(request.user, "participation.respond_to_proposal", proposal),
            "needs_name": needs_display_name(request.user),
            **selectors.person_and_proposal(proposal, request.user),
        },
    )


@require_POST
@form_rate_limit(key="user_or_ip", group="participation.residents_writing")
def proposal_act(request: HttpRequest, slug: str, pk: int, act: str) -> HttpResponse:
    """Support, follow, unfollow, comment (a reply names its parent comment), report or
    appeal (either may name a comment instead of the proposal)."""
    process = _process(slug)
    proposal = _proposal(process, pk, request.user)
    if (login := _signed_in_or_login(request)) is not None:
        return login
    comment = _named_comment(proposal, request.POST.get("comment", ""))
    try:
        if act == "report":
            if request.POST.get("reason") not in Report.Reason.values:
                messages.error(request, _("Choose why you are reporting it."))
            else:
                services.content_report(
                    actor=request.user, item=comment or proposal, reason=request.POST["reason"]
                )
                messages.success(request, _("Thank you. A moderator will look at it."))
        elif act == "appeal":
            services.appeal_submit(
                actor=request.user,
                item=comment or proposal,
                text=request.POST.get("text", "")[:2000],
            )
            messages.success(request, _("Your appeal has been sent to a moderator."))
        elif act == "support":
            services.proposal_support(actor=request.user, proposal=proposal)
            messages.success(request, _("Thank you for your support."))
        elif act == "follow":
            services.proposal_follow(actor=request.user, proposal=proposal)
        elif act == "unfollow":
            services.proposal_unfollow(actor=request.user, proposal=proposal)
        elif act == "comment":
            detail = reverse("participation:proposal_detail", kwargs={"slug": slug, "pk": pk})
            if (ask := ask_for_display_name(request, detail)) is not None:
                return ask
            form = CommentForm(request.POST)
            parent = _named_comment(proposal, request.POST.get("parent", ""))
            if not form.is_valid():
                messages.error(request, _("Write a comment of up to 2,000 characters."))
            else:
                services.comment_add(
                    actor=request.user,
                    proposal=proposal,
                    body=form.cleaned_data["body"],
                    parent=parent,
                )
        else:
            raise Http404
    except services.ParticipationError as error:
        messages.error(request, error.message)
    return redirect("participation:proposal_detail", slug=slug, pk=pk)


def proposal_response(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    process = _process(slug)
    proposal = _proposal(process, pk)
    if (login := _signed_in_or_login(request)) is not None:
        return login
    if not can(request.user, "participation.respond_to_proposal", proposal):
        raise PermissionDenied
    form = ProposalResponseForm(
        request.POST or None,
        initial={
            "status": proposal.status,
            "response": proposal.council_response_en_gb,
            "response_cy": proposal.council_response_cy,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_respond(actor=request.user, proposal=proposal, **form.cleaned_data)
        except services.ParticipationError as error:
            form.add_error("response", error.message)
        else:
            return redirect("participation:proposal_detail", slug=slug, pk=pk)
    return render(
        request,
        "participation/staff/form.html",
        {
            "consultation": None,
            "form": form,
            "title": _("Respond to “%(title)s”") % {"title": proposal.title},
            "submit": _("Save response"),
            "back_url": request.path.rsplit("respond/", 1)[0],
        },
    )


def moderation_queue(request: HttpRequest) -> HttpResponse:
    """Moderators' queue: held proposals and comments, and appeals, each with its decision."""
    if (login := _signed_in_or_login(request)) is not None:
        return login
    if not can(request.user, "participation.moderate"):
        raise PermissionDenied
    return render(
        request,
        "participation/proposals/moderation.html",
        {
            "queue": selectors.moderation_queue(),
            "following": selectors.is_following_moderation(request.user),
        },
    )


@require_POST
def moderation_follow(request: HttpRequest) -> HttpResponse:
    """A moderator starts or stops being emailed when something is first reported."""
    if (login := _signed_in_or_login(request)) is not None:
        return login
    if request.POST.get("follow"):
        services.moderation_follow(actor=request.user)
        messages.success(request, _("We will email you when something is reported."))
    else:
        services.moderation_unfollow(actor=request.user)
        messages.success(request, _("We will no longer email you about reports."))
    return redirect("participation:moderation_queue")


def moderation_decide(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Publish an item straight from the queue (a POST), or hide it: a GET asks "Are you
    sure?" with the reason the author will see, and its POST hides it."""
    if (login := _signed_in_or_login(request)) is not None:
        return login
    models = {"proposal": Proposal, "comment": Comment}
    if kind not in models:
        raise Http404
    item = get_object_or_404(models[kind].objects.select_related("author"), pk=pk)
    if not can(request.user, "participation.moderate", item):
        raise PermissionDenied
    error = ""
    reason = ""
    if request.method == "POST":
        publish = request.POST.get("decision") == "publish"
        reason = request.POST.get("reason", "")[:300]
        try:
            services.moderation_decide(
                actor=request.user, item=item, publish=publish, reason=reason
            )
        except services.ParticipationError as failure:
            if publish:
                messages.error(request, failure.message)
                return redirect("participation:moderation_queue")
            error = failure.message
        else:
            if publish:
                messages.success(request, _("Published."))
            else:
                messages.success(request, _("Hidden. The author can see why."))
            return redirect("participation:moderation_queue")
    return render(
        request,
        "participation/proposals/moderation_hide.html",
        {"kind": kind, "item": item, "error": error, "reason": reason},
    )


@require_POST
def appeal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    if (login := _signed_in_or_login(request)) is not None:
        return login
    appeal = get_object_or_404(Appeal.objects.select_related("proposal", "comment"), pk=pk)
    services.appeal_decide(
        actor=request.user, appeal=appeal, restore=request.POST.get("decision") == "restore"
    )
    return redirect("participation:moderation_queue")
