from django.utils.translation import gettext_lazy as _

from townhall.core.module import ModuleConfig


class ParticipationConfig(ModuleConfig):
    """Consultations and surveys: residents shape services while they are developed."""

    name = "townhall.participation"
    label = "participation"
    verbose_name = _("Participation")
