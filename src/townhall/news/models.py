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
