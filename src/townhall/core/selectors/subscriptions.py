"""Reading subscriptions: who follows what, and what a person follows."""

from typing import Any

from ..models import Frequency, NotificationPreference, Subscription
from ..registry import FollowedItem, registry


def is_following(person: Any, *, kind: str, key: Any) -> bool:
    """Whether the signed-in person follows the thing (False when signed out)."""
    if not getattr(person, "is_authenticated", False):
        return False
    return Subscription.objects.filter(person=person, kind=kind, key=str(key)).exists()


def followers(*, kind: str, key: Any) -> Any:
    """Confirmed subscriptions to the thing whose emails can be delivered (people with an
    active account, or confirmed addresses), each with its person."""
    return followers_of_kind(kind=kind).filter(key=str(key))


def followers_of_kind(*, kind: str) -> Any:
    """As `followers`, for every thing of `kind` whatever its key: for a module that emails
    its followers on its own timetable (election reminders) rather than on a change."""
    return (
        Subscription.objects.filter(kind=kind, confirmed_at__isnull=False)
        .exclude(person__is_active=False)
        .select_related("person")
    )


def notification_frequency(person: Any) -> str:
    """How often the person chose to hear about what they follow (straight away by default)."""
    chosen = NotificationPreference.objects.filter(person=person).first()
    return chosen.frequency if chosen else Frequency.IMMEDIATELY


def followed_item(kind: str, key: Any) -> FollowedItem | None:
    """What the subscription follows, as its module describes it now; None when the module
    is gone or the thing no longer exists."""
    try:
        followable = registry.followable(kind)
    except LookupError:
        return None
    return followable.item(str(key))


def subscriptions_export(records: Any) -> list[dict[str, Any]]:
    """A person's subscriptions for their download, each with the title of what it follows."""
    exported = []
    for subscription in records:
        item = followed_item(subscription.kind, subscription.key)
        exported.append(
            {
                "kind": subscription.kind,
                "key": subscription.key,
                "title": item.title if item else "",
                "frequency": subscription.frequency,
                "language": subscription.language,
                "created_at": subscription.created_at.isoformat(),
            }
        )
    return exported
