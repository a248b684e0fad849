"""Who follows what, and the changes waiting for their daily or weekly email.

Modules declare what may be followed (registry.Followable); core keeps every
subscription, whether a signed-in person's or an email address's alone, and sends the
emails. A subscription names the thing it follows by `kind` and `key`, never by a
foreign key, so that any module's things can be followed without core knowing them.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def new_token() -> str:
    """A subscription's own secret: what its signed confirmation and unsubscribe links carry."""
    return secrets.token_urlsafe(24)


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("Straight away")
    DAILY = "daily", _("Once a day")
    WEEKLY = "weekly", _("Once a week")
    NEVER = "never", pgettext_lazy("how often", "Never")


class Subscription(models.Model):
    """A person, or an email address alone, who wants to hear when something changes.

    A signed-in person's subscription is confirmed when made. One by email address alone
    is confirmed only when the link sent to that address is followed (double opt-in);
    until then nothing is sent to it but that link, and the retention job deletes it after
    RETENTION_UNCONFIRMED_SUBSCRIPTION_DAYS.
    """

    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscriptions",
    )
    email = models.EmailField(_("email address"), blank=True)
    kind = models.CharField(_("kind"), max_length=50)
    key = models.CharField(_("key"), max_length=100)
    frequency = models.CharField(
        _("how often"), max_length=20, choices=Frequency, default=Frequency.IMMEDIATELY
    )
    language = models.CharField(_("language"), max_length=8, default="en-gb")
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["kind", "key"], name="subscription_followed")]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "key"],
                condition=Q(person__isnull=False),
                name="subscription_person_once",
            ),
            models.UniqueConstraint(
                fields=["email", "kind", "key"],
                condition=~Q(email=""),
                name="subscription_address_once",
            ),
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(email=""))
                | (Q(person__isnull=True) & ~Q(email="")),
                name="subscription_person_or_address",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"

    @property
    def address(self) -> str:
        """Where its emails go: the person's current address, or the one given."""
        return self.person.email if self.person_id else self.email


class NotificationPreference(models.Model):
    """How often a signed-in person hears about what they follow; each of their
    subscriptions takes it when made and when they change it."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    frequency = models.CharField(
        _("how often"), max_length=20, choices=Frequency, default=Frequency.IMMEDIATELY
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return self.frequency


class PendingNotification(models.Model):
    """A change waiting for its subscriber's daily or weekly digest, already written in
    their language; it goes with the subscription when they unsubscribe."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="pending")
    frequency = models.CharField(max_length=20, db_index=True)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("notification waiting for a digest")
        verbose_name_plural = _("notifications waiting for a digest")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]
