"""Moderation of what residents write: reports, review, hiding with a reason, appeals.

Content is held for a moderator when its process is pre-moderated, when the spam and
profanity heuristics flag it, or when enough people report it; every moderator's
decision is written to the audit log.
"""

from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from townhall.core import audit
from townhall.core.permissions import can, require
from townhall.core.selectors.subscriptions import followers
from townhall.core.services.search import search_index_update
from townhall.core.services.subscriptions import (
    notify_followers,
    subscription_create,
    subscription_remove,
)

from .. import selectors
from ..models import Appeal, Comment, Moderated, Proposal, ProposalProcess, Report
from ..moderation_rules import concerns
from ..selectors import SEARCH_PROPOSAL
from .consultations import ParticipationError
from .notifications import comment_announce

Visibility = Moderated.Visibility


class AlreadyReported(ParticipationError):
    code = "already_reported"


def reports_to_hide() -> int:
    """How many reports hide an item for review (setting PARTICIPATION_REPORTS_TO_HIDE)."""
    return getattr(settings, "PARTICIPATION_REPORTS_TO_HIDE", 3)


def initial_visibility(process: ProposalProcess, *texts: str) -> str:
    """Published at once, unless the process is pre-moderated or the text looks wrong."""
    if process.moderation == ProposalProcess.Moderation.PRE:
        return Visibility.PENDING
    if any(concerns(text) for text in texts):
        return Visibility.PENDING
    return Visibility.VISIBLE


def _target(item: Proposal | Comment) -> dict[str, Any]:
    return {"proposal": item} if isinstance(item, Proposal) else {"comment": item}


def _follow_in_search(item: Proposal | Comment) -> None:
    """A proposal is in site search only while it is published; comments never are."""
    if isinstance(item, Proposal):
        search_index_update(SEARCH_PROPOSAL, item)


def content_report(*, actor: Any, item: Proposal | Comment, reason: str) -> Proposal | Comment:
    """Report a proposal or comment, once per person; enough reports hide it for review."""
    require(actor, "participation.report_content", item)
    model = type(item)
    try:
        with transaction.atomic():
            Report.objects.create(reporter=actor, reason=Report.Reason(reason), **_target(item))
            model.objects.filter(pk=item.pk).update(report_count=F("report_count") + 1)
            model.objects.filter(
                pk=item.pk, visibility=Visibility.VISIBLE, report_count__gte=reports_to_hide()
            ).update(visibility=Visibility.PENDING)
            item.refresh_from_db(fields=["report_count", "visibility"])
            _follow_in_search(item)
            if item.report_count == 1:
                _tell_moderators(item, reason=reason, reporter=actor)
    except IntegrityError:
        raise AlreadyReported(_("You have already reported this.")) from None
    return item


def moderation_follow(*, actor: Any) -> None:
    """A moderator asks to be emailed when something is first reported."""
    require(actor, "participation.moderate")
    subscription_create(
        kind=selectors.FOLLOW_MODERATION, key=selectors.FOLLOW_MODERATION_KEY, person=actor
    )


def moderation_unfollow(*, actor: Any) -> None:
    subscription_remove(
        person=actor, kind=selectors.FOLLOW_MODERATION, key=selectors.FOLLOW_MODERATION_KEY
    )


def _tell_moderators(item: Proposal | Comment, *, reason: str, reporter: Any) -> None:
    """Email the moderators who follow new reports that an item entered the queue: what
    it is on, the reason and the queue's address, never the reported text itself. Anyone
    who can no longer moderate (and the reporter) is left out."""
    kind, key = selectors.FOLLOW_MODERATION, selectors.FOLLOW_MODERATION_KEY
    left_out = [reporter] + [
        subscription.person
        for subscription in followers(kind=kind, key=key)
        if subscription.person is None or not can(subscription.person, "participation.moderate")
    ]
    proposal = item if isinstance(item, Proposal) else item.proposal
    queue = settings.TOWNHALL_SITE_URL.rstrip("/") + reverse("participation:moderation_queue")

    def body() -> str:
        values = {
            "title": proposal.title,
            "reason": Report.Reason(reason).label,
            "url": queue,
        }
        if isinstance(item, Proposal):
            text = gettext(
                "The proposal “%(title)s” was reported (%(reason)s). It is waiting for a "
                "moderator:\n%(url)s"
            )
        else:
            text = gettext(
                "A comment on the proposal “%(title)s” was reported (%(reason)s). It is "
                "waiting for a moderator:\n%(url)s"
            )
        return text % values

    notify_followers(
        kind=kind,
        key=key,
        exclude=left_out,
        body=body,
        subject=lambda: gettext("Something was reported"),
    )


def moderation_decide(
    *, actor: Any, item: Proposal | Comment, publish: bool, reason: str = ""
) -> Proposal | Comment:
    """Publish an item, or hide it with a reason the author will see."""
    require(actor, "participation.moderate", item)
    if not publish and not reason.strip():
        raise ParticipationError(_("Give the reason for hiding it."))
    with transaction.atomic():
        item = type(item).objects.select_for_update().get(pk=item.pk)
        before = {"visibility": item.visibility, "hidden_reason": item.hidden_reason}
        item.visibility = Visibility.VISIBLE if publish else Visibility.HIDDEN
        item.hidden_reason = "" if publish else reason.strip()
        if publish:
            item.report_count = 0
        item.save(update_fields=["visibility", "hidden_reason", "report_count"])
        _follow_in_search(item)
        if publish and isinstance(item, Comment):
            comment_announce(item)
        audit.record(
            actor=actor,
            operation="action",
            action="participation.moderation_publish"
            if publish
            else "participation.moderation_hide",
            instance=item,
            before=before,
            after={"visibility": item.visibility, "hidden_reason": item.hidden_reason},
        )
    return item


def appeal_submit(*, actor: Any, item: Proposal | Comment, text: str) -> Appeal:
    """The author asks for their hidden item back; one open appeal at a time."""
    if not selectors.is_author(actor, item):
        raise ParticipationError(_("Only the author can appeal."))
    if item.visibility != Visibility.HIDDEN:
        raise ParticipationError(_("Only hidden content can be appealed."))
    target = _target(item)
    with transaction.atomic():
        if Appeal.objects.filter(state=Appeal.State.OPEN, **target).exists():
            raise ParticipationError(_("Your appeal is already waiting for a moderator."))
        return Appeal.objects.create(author=actor, text=text, **target)


def appeal_decide(*, actor: Any, appeal: Appeal, restore: bool) -> Appeal:
    item = appeal.proposal or appeal.comment
    require(actor, "participation.moderate", item)
    with transaction.atomic():
        if restore:
            moderation_decide(actor=actor, item=item, publish=True)
        appeal.state = Appeal.State.RESTORED if restore else Appeal.State.UPHELD
        appeal.save(update_fields=["state"])
        audit.record(
            actor=actor,
            operation="action",
            action="participation.appeal_decide",
            instance=appeal,
            after={"state": appeal.state},
        )
    return appeal
