"""Reads for assisted digital: the forms a helper may complete for a resident, from every
module's manifest, and how many were completed by each channel (ADR 0107)."""

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from ..models import AssistedSubmission, Channel
from ..permissions import can
from ..registry import AssistedStart, registry


@dataclass(frozen=True)
class FormToHelpWith:
    """One resident form on the "Help a resident" page."""

    key: str
    label: str
    description: str
    starts: list[AssistedStart] = field(default_factory=list)
    not_assisted: str = ""

    @property
    def assisted(self) -> bool:
        return not self.not_assisted


def forms_to_help_with(person: Any) -> list[FormToHelpWith]:
    """Every installed module's resident forms, in module order: for those `person` may
    complete on a resident's behalf, where to start each; for those nobody may, why not.
    Forms staff may complete but `person` may not are left out."""
    found = []
    for resident_form in registry.resident_forms():
        if resident_form.assisted is not None and not can(person, resident_form.action):
            continue
        if resident_form.assisted is None:
            found.append(
                FormToHelpWith(
                    key=resident_form.key,
                    label=str(resident_form.label),
                    description=str(resident_form.description),
                    not_assisted=str(resident_form.not_assisted),
                )
            )
            continue
        found.append(
            FormToHelpWith(
                key=resident_form.key,
                label=str(resident_form.label),
                description=str(resident_form.description),
                starts=list(resident_form.assisted()),
            )
        )
    return found


@dataclass(frozen=True)
class ChannelCount:
    label: str
    count: int


def assisted_by_channel(*, days: int = 30, now: Any = None) -> list[ChannelCount]:
    """How many resident forms staff completed in the last `days` days by each channel,
    most first; channels with none are left out."""
    since = (now or timezone.now()) - timedelta(days=days)
    labels = dict(Channel.choices)
    rows = (
        AssistedSubmission.objects.filter(created_at__gte=since)
        .values("channel")
        .annotate(count=Count("pk"))
        .order_by("-count", "channel")
    )
    return [
        ChannelCount(label=str(labels.get(row["channel"], row["channel"])), count=row["count"])
        for row in rows
    ]


@dataclass(frozen=True)
class HelpLink:
    """Where the "Need help filling this in?" link goes: `url`, and whether it finds help
    `nearby` (a module offers it) or is the council's contact page."""

    url: str
    nearby: bool


def help_link(postcode: str = "") -> HelpLink:
    """The target of the help link on every resident form (ADR 0109): the first installed
    module's help nearby, given the resident's `postcode` when known, or the council's
    contact page when no installed module offers help nearby (or its page is not
    served)."""
    offer = registry.help_nearby()
    if offer is not None:
        try:
            return HelpLink(url=offer(postcode.strip()), nearby=True)
        except NoReverseMatch:
            pass
    return HelpLink(url=reverse("core:page", args=["contact"]), nearby=False)
