"""The council's updates (news posts) and the services that tag them.

An update is tagged by the council services it concerns (a short list editors keep)
and by wards, named by their codes in core's geography: a ward is core's, so an update
keeps the code alone and asks core's selectors for the ward's name.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from townhall.core.text import multi_line_text, single_line_text


class Service(models.Model):
    """A council service or topic an update may be about (bins, libraries, roads)."""

    slug = models.SlugField(_("address"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120, validators=[single_line_text])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Update(models.Model):
    """A news post: written as a draft, published (publicly, from its publish date) and
    archived when it is out of date (its page stays, marked as archived)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("address"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=200, validators=[single_line_text])
    summary = models.CharField(_("summary"), max_length=300, validators=[single_line_text])
    body = models.TextField(_("body"), validators=[multi_line_text])
    state = models.CharField(
        _("state"), max_length=20, choices=State, default=State.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("publish date"), null=True, blank=True, db_index=True)
    services = models.ManyToManyField(
        Service, blank=True, related_name="updates", verbose_name=_("services")
    )
    # Empty once the person's account is erased: the update is the council's record.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("update")
        verbose_name_plural = _("updates")
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title


class UpdateWard(models.Model):
    """A ward an update concerns, by its code in core's geography."""

    update = models.ForeignKey(Update, on_delete=models.CASCADE, related_name="wards")
    ward_code = models.CharField(_("ward code"), max_length=20, db_index=True)

    class Meta:
        verbose_name = _("ward of an update")
        verbose_name_plural = _("wards of updates")
        constraints = [
            models.UniqueConstraint(fields=["update", "ward_code"], name="news_update_ward_once")
        ]

    def __str__(self) -> str:
        return self.ward_code


class SocialAccount(models.Model):
    """One of the council's social accounts that published updates are cross-posted to.

    `secret` (a Mastodon access token, a Bluesky app password) is stored encrypted
    (credentials.py, ADR 0070) and never shown again once saved.
    """

    class Kind(models.TextChoices):
        LOG = "log", _("Log only (development and demo)")
        MASTODON = "mastodon", _("Mastodon")
        BLUESKY = "bluesky", _("Bluesky")

    kind = models.CharField(_("network"), max_length=20, choices=Kind)
    name = models.CharField(_("name"), max_length=120, validators=[single_line_text])
    server = models.URLField(_("server address"), blank=True)
    handle = models.CharField(
        _("handle"), max_length=200, blank=True, validators=[single_line_text]
    )
    secret = models.TextField(_("encrypted credentials"), blank=True, editable=False)
    enabled = models.BooleanField(_("post to it"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("social account")
        verbose_name_plural = _("social accounts")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class CrossPost(models.Model):
    """An update's post to one social account, and how far it has got."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RETRYING = "retrying", _("Failed, trying again")
        POSTED = "posted", _("Posted")
        FAILED = "failed", _("Failed")

    update = models.ForeignKey(Update, on_delete=models.CASCADE, related_name="cross_posts")
    account = models.ForeignKey(SocialAccount, on_delete=models.CASCADE, related_name="cross_posts")
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("last error"), blank=True)
    url = models.URLField(_("post address"), blank=True, max_length=500)
    posted_at = models.DateTimeField(_("posted"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cross-post")
        verbose_name_plural = _("cross-posts")
        ordering = ["account__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["update", "account"], name="news_cross_post_once")
        ]

    def __str__(self) -> str:
        return f"{self.update} → {self.account}"


class FediverseActor(models.Model):
    """The council as an ActivityPub actor (ADR 0071). There is one row, made with its
    keypair the first time anything asks for it; an administrator chooses the handle.

    `private_key` is the PEM of the signing key, encrypted like channel credentials
    (credentials.py) and never shown; `public_key` is published in the actor document.
    """

    handle = models.CharField(_("handle"), max_length=30, default="council")
    public_key = models.TextField(_("public key"), editable=False)
    private_key = models.TextField(_("encrypted private key"), editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("fediverse account")
        verbose_name_plural = _("fediverse accounts")

    def __str__(self) -> str:
        return self.handle


class Follower(models.Model):
    """An account on another server that follows the council's updates: its actor URL
    (public, as every fediverse account is) and where to deliver to it."""

    actor_url = models.URLField(_("account"), max_length=500, unique=True)
    inbox = models.URLField(_("inbox"), max_length=500)
    shared_inbox = models.URLField(_("shared inbox"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("fediverse follower")
        verbose_name_plural = _("fediverse followers")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.actor_url

    @property
    def delivery_inbox(self) -> str:
        """Where updates go: the server's shared inbox, so each server gets one copy."""
        return self.shared_inbox or self.inbox


class Delivery(models.Model):
    """One activity (Create, Update, Delete of an update's note, or the Accept of a
    follow) POSTed, signed, to one inbox, and how far it has got."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RETRYING = "retrying", _("Failed, trying again")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    update = models.ForeignKey(
        Update, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    inbox = models.URLField(_("inbox"), max_length=500)
    kind = models.CharField(_("activity"), max_length=20)
    activity = models.JSONField(_("activity document"))
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("last error"), blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("fediverse delivery")
        verbose_name_plural = _("fediverse deliveries")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} → {self.inbox}"
