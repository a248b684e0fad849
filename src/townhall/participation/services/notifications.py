"""Telling a proposal's followers about a new comment, once it is public. Following,
frequency, digests and the emails themselves are core's (core.services.subscriptions)."""

from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from townhall.core.services.subscriptions import notify_followers

from .. import selectors
from ..models import Comment, Proposal

COMMENT_EXCERPT = 500


def comment_announce(comment: Comment) -> None:
    """Tell a proposal's followers, but not the commenter, about a comment, once: the
    first time it is public (published, on a published proposal, under published
    comments). Call it whenever a comment may have become public."""
    if not _is_public(comment):
        return
    first_time = Comment.objects.filter(pk=comment.pk, announced_at__isnull=True).update(
        announced_at=timezone.now()
    )
    if not first_time:
        return
    proposal = comment.proposal
    notify_followers(
        kind=selectors.FOLLOW_PROPOSAL,
        key=proposal.pk,
        exclude=[comment.author] if comment.author_id else [],
        body=lambda: (
            _("A new comment on the proposal “%(title)s”:\n\n%(comment)s")
            % {"title": proposal.title, "comment": Truncator(comment.body).chars(COMMENT_EXCERPT)}
        ),
    )


def _is_public(comment: Comment) -> bool:
    """Read from the database, not from instances a caller may hold from before a change."""
    visible = Comment.Visibility.VISIBLE
    if not Proposal.objects.filter(pk=comment.proposal_id, visibility=visible).exists():
        return False
    next_id: int | None = comment.pk
    while next_id is not None:
        found = Comment.objects.filter(pk=next_id).values_list("visibility", "parent_id").first()
        if found is None or found[0] != visible:
            return False
        next_id = found[1]
    return True
