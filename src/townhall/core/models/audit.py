from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One change made by a member of staff. Append-only: never updated or deleted.

    The database refuses UPDATE and DELETE on this table (triggers in migration 0002), so
    even a bug or a shell session cannot rewrite history.
    """

    class Operation(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Deleted")
        ACTION = "action", _("Action")

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    actor_label = models.CharField(_("who (as recorded)"), max_length=254)
    operation = models.CharField(_("operation"), max_length=8, choices=Operation)
    action = models.CharField(_("action"), max_length=100, blank=True)
    object_type = models.CharField(_("type of thing"), max_length=100, db_index=True)
    object_id = models.CharField(_("identifier"), max_length=64, db_index=True)
    object_label = models.CharField(_("thing"), max_length=255)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        # The staff pages page through the log by (created_at, id), newest first, filtered
        # by type of thing or operation: each filter walks its own index in that order.
        indexes = [
            models.Index(fields=["created_at", "id"], name="audit_newest"),
            models.Index(fields=["object_type", "created_at", "id"], name="audit_type_newest"),
            models.Index(fields=["operation", "created_at", "id"], name="audit_operation_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.operation} {self.object_label}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit entries are append-only.")
