"""Assisted digital: a resident's form that staff completed on their behalf (ADR 0107).

The submission itself stays the owning module's (a subscription, a survey response); this
record says only that it was assisted and by which channel the resident reached the
council. It names the submission by type and id, never by a foreign key, so that every
module's forms use the one record without core knowing their models. It holds no
personal data: who helped is in the audit log, and the resident is in the submission.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..assisted import Channel

__all__ = ["AssistedSubmission", "Channel"]


class AssistedSubmission(models.Model):
    form = models.CharField(_("form"), max_length=100)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("assisted submission")
        verbose_name_plural = _("assisted submissions")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One record per submission: a helper who sends the form twice, or a resident
            # asked again, does not count twice.
            models.UniqueConstraint(
                fields=["object_type", "object_id"], name="core_assisted_once_per_submission"
            )
        ]
        indexes = [models.Index(fields=["form", "created_at"], name="core_assisted_form_day")]

    def __str__(self) -> str:
        return f"{self.form} {self.object_id} ({self.channel})"
