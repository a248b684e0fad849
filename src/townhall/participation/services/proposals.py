"""Proposals from residents: submit, support once, comment in threads, follow, and the
council's response with its status; leads open processes."""

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from townhall.core import audit
from townhall.core.accounts.names import needs_display_name
from townhall.core.languages import welsh_required_message
from townhall.core.permissions import require
from townhall.core.services.search import search_index_update
from townhall.core.services.subscriptions import (
    notify_followers,
    subscription_create,
    subscription_remove,
)

from .. import selectors
from ..models import Comment, Proposal, ProposalProcess, Support
from .consultations import ParticipationError
from .moderation import initial_visibility
from .notifications import comment_announce


class AlreadySupported(ParticipationError):
    code = "already_supported"


def proposals_process_create(
    *,
    actor: Any,
    slug: str,
    title: str,
    description: str = "",
    moderation: str = ProposalProcess.Moderation.POST,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    title_cy: str = "",
    description_cy: str = "",
) -> ProposalProcess:
    """A new call for ideas. Without dates it takes proposals from now until a lead stops it;
    with them, only between the two. `title` and `description` are the English,
    `title_cy` and `description_cy` the Welsh."""
    require(actor, "participation.manage_proposals")
    if opens_at and closes_at and closes_at <= opens_at:
        raise ParticipationError(_("The closing date must be after the opening date."))
    if ProposalProcess.objects.filter(slug=slug).exists():
        raise ParticipationError(
            _("Another process already has the address “%(slug)s”.") % {"slug": slug}
        )
    with transaction.atomic():
        process = ProposalProcess.objects.create(
            slug=slug,
            title_en_gb=title,
            title_cy=title_cy,
            description_en_gb=description,
            description_cy=description_cy,
            moderation=ProposalProcess.Moderation(moderation),
            opens_at=opens_at,
            closes_at=closes_at,
        )
        welsh = welsh_required_message([(process, ("title", "description"))])
        if welsh:
            raise ParticipationError(welsh)
        search_index_update(selectors.SEARCH_PROPOSAL_PROCESS, process)
    return process


class DisplayNameNeeded(ParticipationError):
    code = "display_name_required"


def _require_display_name(actor: Any) -> None:
    """What a person writes in public is shown with the name they chose, so they need one."""
    if needs_display_name(actor):
        raise DisplayNameNeeded(
            _("Choose the name we show with what you write before you write in public.")
        )


def proposal_submit(*, actor: Any, process: ProposalProcess, title: str, body: str) -> Proposal:
    """A signed-in resident's proposal; its author follows it from the start. It is
    stored as written in the language of the page the resident used (`title` assigned
    through the translated field writes the active language's column)."""
    require(actor, "participation.submit_proposal", process)
    _require_display_name(actor)
    if not selectors.process_taking_proposals(process):
        raise ParticipationError(_("This process is not taking new proposals."))
    with transaction.atomic():
        proposal = Proposal.objects.create(
            process=process,
            title=title,
            body=body,
            author=actor,
            visibility=initial_visibility(process, title, body),
        )
        subscription_create(kind=selectors.FOLLOW_PROPOSAL, key=proposal.pk, person=actor)
        search_index_update(selectors.SEARCH_PROPOSAL, proposal)
    return proposal


def proposal_support(*, actor: Any, proposal: Proposal) -> Proposal:
    """Add the person's support. A second support raises AlreadySupported; the unique
    constraint makes that hold under concurrent requests too."""
    require(actor, "participation.support_proposal", proposal)
    try:
        with transaction.atomic():
            Support.objects.create(proposal=proposal, person=actor)
            Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") + 1)
    except IntegrityError:
        raise AlreadySupported(_("You have already supported this proposal.")) from None
    proposal.refresh_from_db(fields=["support_count"])
    return proposal


def comment_add(
    *, actor: Any, proposal: Proposal, body: str, parent: Comment | None = None
) -> Comment:
    require(actor, "participation.comment", proposal)
    _require_display_name(actor)
    if parent is not None and parent.proposal_id != proposal.pk:
        raise ParticipationError(_("You can only reply to a comment on this proposal."))
    with transaction.atomic():
        comment = Comment.objects.create(
            proposal=proposal,
            parent=parent,
            author=actor,
            body=body,
            visibility=initial_visibility(proposal.process, body),
        )
        comment_announce(comment)
    return comment


def proposal_follow(*, actor: Any, proposal: Proposal) -> None:
    require(actor, "participation.comment", proposal)
    subscription_create(kind=selectors.FOLLOW_PROPOSAL, key=proposal.pk, person=actor)


def proposal_unfollow(*, actor: Any, proposal: Proposal) -> None:
    subscription_remove(person=actor, kind=selectors.FOLLOW_PROPOSAL, key=proposal.pk)


def proposal_respond(
    *, actor: Any, proposal: Proposal, status: str, response: str, response_cy: str = ""
) -> Proposal:
    """The council's response (in English, and in Welsh when written) and the proposal's
    new status. Not taking a proposal forward needs a reason."""
    require(actor, "participation.respond_to_proposal", proposal)
    if status == Proposal.Status.NOT_TAKEN_FORWARD and not response.strip():
        raise ParticipationError(_("Say why the proposal is not being taken forward."))
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        before = {"status": proposal.status, "council_response": proposal.council_response}
        proposal.status = status
        proposal.council_response_en_gb = response
        proposal.council_response_cy = response_cy
        proposal.responded_at = timezone.now()
        proposal.save()
        search_index_update(selectors.SEARCH_PROPOSAL, proposal)
        audit.record(
            actor=actor,
            operation="action",
            action="participation.proposal_respond",
            instance=proposal,
            before=before,
            after={"status": status, "council_response": response},
        )
        notify_followers(
            kind=selectors.FOLLOW_PROPOSAL,
            key=proposal.pk,
            exclude=[actor],
            body=lambda: (
                _("The council responded to the proposal “%(title)s”: %(status)s.\n\n%(response)s")
                % {
                    "title": proposal.title,
                    "status": proposal.get_status_display(),
                    "response": response,
                }
            ),
        )
    return proposal
