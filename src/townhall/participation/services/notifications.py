"""Telling followers what changed: at once, in a daily or weekly digest, or never, as
each person chooses. Emails go through whichever mailer is configured (SMTP or GOV.UK
Notify, see notify.py)."""

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from townhall.core.tasks import enqueue_on_commit, retrying_task

from ..models import Comment, NotificationPreference, PendingNotification, Proposal

Frequency = NotificationPreference.Frequency


def notification_preference_set(*, actor: Any, frequency: str) -> NotificationPreference:
    """The signed-in person's own choice of how often to hear about what they follow."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionError("Sign in to choose how often you hear from us.")
    preference, _created = NotificationPreference.objects.update_or_create(
        person=actor, defaults={"frequency": Frequency(frequency)}
    )
    return preference


def followers_notify(*, people: list[Any], compose: Callable[[], str]) -> None:
    """Tell each person about a change, by their chosen frequency (after this commits), in
    the language they chose: `compose` writes the message, and is called once in each
    language the people read."""
    chosen = dict(
        NotificationPreference.objects.filter(person__in=people).values_list(
            "person_id", "frequency"
        )
    )
    texts: dict[str, str] = {}
    waiting: list[PendingNotification] = []
    for person in people:
        language = _language_of(person)
        if language not in texts:
            with translation.override(language):
                texts[language] = str(compose())
        text = texts[language]
        frequency = chosen.get(person.pk, Frequency.IMMEDIATELY)
        if frequency == Frequency.IMMEDIATELY:
            enqueue_on_commit(send_notification, person.pk, text)
        elif frequency != Frequency.NEVER:
            waiting.append(PendingNotification(person=person, frequency=frequency, text=text))
    PendingNotification.objects.bulk_create(waiting)


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
    people = [
        follow.person
        for follow in proposal.follows.select_related("person")
        if follow.person_id != comment.author_id
    ]
    followers_notify(
        people=people,
        compose=lambda: (
            _("A new comment on the proposal “%(title)s”:\n\n%(comment)s")
            % {"title": proposal.title, "comment": Truncator(comment.body).chars(COMMENT_EXCERPT)}
        ),
    )


COMMENT_EXCERPT = 500


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


@retrying_task
def send_notification(person_id: int, text: str) -> None:
    person = get_user_model().objects.filter(pk=person_id, is_active=True).first()
    if person is not None:
        with translation.override(_language_of(person)):
            send_mail(_("An update on something you follow"), text, None, [person.email])


@retrying_task
def send_digests(frequency: str) -> int:
    """Send each person their waiting daily (or weekly) changes in one email; returns how
    many emails were sent. Run daily and weekly by the scheduler."""
    with transaction.atomic():
        pending = list(
            PendingNotification.objects.select_for_update()
            .filter(frequency=frequency)
            .select_related("person")
        )
        grouped: dict[Any, list[str]] = defaultdict(list)
        for notification in pending:
            grouped[notification.person].append(notification.text)
        PendingNotification.objects.filter(pk__in=[n.pk for n in pending]).delete()
    for person, texts in grouped.items():
        with translation.override(_language_of(person)):
            send_mail(_("Updates on what you follow"), "\n\n".join(texts), None, [person.email])
    return len(grouped)


def _language_of(person: Any) -> str:
    return getattr(person, "preferred_language", "") or settings.LANGUAGE_CODE
