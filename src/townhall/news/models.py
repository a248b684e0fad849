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
