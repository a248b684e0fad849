"""Cross-posting and fediverse delivery in the background: one task per update and social
account, or per activity and inbox, retried with back-off (core.tasks.retrying_task, ADR
0003) while the other end is down. The update stays published whatever the network does;
the editor's page shows each post's and each delivery's status."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from townhall.core.tasks import retrying_task

from .activitypub import RemoteError
from .activitypub import deliver as post_activity
from .channels import ChannelError, Post, shorten
from .credentials import CredentialsUnreadable
from .models import CrossPost, Delivery
from .selectors import channel_for, fediverse_signer

MAX_ATTEMPTS = 5


@retrying_task(max_attempts=MAX_ATTEMPTS, backoff_seconds=60)
def cross_post(cross_post_id: int) -> None:
    """Post the update to the account; on failure record why, then raise so that the
    task is tried again (the last failure leaves the post "Failed")."""
    with transaction.atomic():
        record = (
            CrossPost.objects.select_for_update(of=("self",))
            .select_related("update", "account")
            .filter(pk=cross_post_id)
            .first()
        )
        if record is None or record.status == CrossPost.Status.POSTED:
            return
        record.attempts += 1
        record.save(update_fields=["attempts", "updated_at"])
    try:
        channel = channel_for(record.account)
        url = channel.post(_post_for(record, channel.limit))
    except (ChannelError, CredentialsUnreadable) as error:
        _failed(record, error)
        raise
    record.status, record.url, record.error = CrossPost.Status.POSTED, url, ""
    record.posted_at = timezone.now()
    record.save(update_fields=["status", "url", "error", "posted_at", "updated_at"])


def _failed(record: CrossPost | Delivery, error: Exception) -> None:
    """Record why an attempt failed: to be tried again, or failed after the last one."""
    last = record.attempts >= MAX_ATTEMPTS
    record.status = record.Status.FAILED if last else record.Status.RETRYING
    record.error = str(error)[:2000] or error.__class__.__name__
    record.save(update_fields=["status", "error", "updated_at"])


def _post_for(record: CrossPost, limit: int) -> Post:
    """The post in the update's first language (English, the language every update has)."""
    update = record.update
    with translation.override(settings.LANGUAGE_CODE):
        link = settings.TOWNHALL_SITE_URL.rstrip("/") + reverse(
            "news:update_detail", args=[update.slug]
        )
        text = shorten(title=update.title, summary=update.summary, link=link, limit=limit)
    return Post(text=text, link=link, language=settings.LANGUAGE_CODE, key=f"townhall-{record.pk}")


@retrying_task(max_attempts=MAX_ATTEMPTS, backoff_seconds=60)
def deliver(delivery_id: int) -> None:
    """POST the activity, signed, to the inbox; on failure record why and raise so that
    the task is tried again (the last failure leaves the delivery "Failed")."""
    with transaction.atomic():
        record = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
        if record is None or record.status == Delivery.Status.DELIVERED:
            return
        record.attempts += 1
        record.save(update_fields=["attempts", "updated_at"])
    try:
        signer = fediverse_signer()
        if signer is None:
            raise RemoteError("The council has no fediverse key yet.")
        post_activity(record.inbox, record.activity, signer=signer)
    except (RemoteError, CredentialsUnreadable) as error:
        _failed(record, error)
        raise
    record.status, record.error, record.delivered_at = Delivery.Status.DELIVERED, "", timezone.now()
    record.save(update_fields=["status", "error", "delivered_at", "updated_at"])
