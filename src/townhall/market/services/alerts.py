"""Supplier emails (ADR 0117): a supplier's person follows new challenges needing any of
their organisation's capabilities, and publishing a challenge tells those who follow."""

from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from townhall.core.formats import govuk_datetime
from townhall.core.selectors.site import council_name
from townhall.core.services import subscriptions

from ..models import Challenge
from ..selectors import CHALLENGE_ALERTS, followed_capabilities
from ._common import SupplierInvalid, _supplier_of


def _email_matching_suppliers(challenge: Challenge) -> None:
    """Tell everyone who follows new challenges in any of the challenge's capabilities,
    once each however many they follow, in their own language (core sends it after the
    publication commits, with its one-click unsubscribe)."""
    if not challenge.capabilities:
        return
    first, *others = challenge.capabilities

    def subject() -> str:
        return _("New challenge for suppliers: %(title)s") % {"title": challenge.title}

    def body() -> str:
        link = settings.TOWNHALL_SITE_URL.rstrip("/") + reverse(
            "market:challenge_detail", args=[challenge.slug]
        )
        return _(
            "%(council)s has published a challenge that needs what your organisation "
            "does.\n\n%(title)s (%(service_area)s)\n\n%(problem)s\n\nRespond by "
            "%(deadline)s:\n%(link)s"
        ) % {
            "council": council_name(),
            "title": challenge.title,
            "service_area": challenge.service_area,
            "problem": challenge.problem,
            "deadline": govuk_datetime(challenge.response_deadline),
            "link": link,
        }

    subscriptions.notify_followers(
        kind=CHALLENGE_ALERTS,
        key=first,
        also=[(CHALLENGE_ALERTS, code) for code in others],
        subject=subject,
        body=body,
    )


@transaction.atomic
def challenge_alerts_follow(*, actor: Any) -> list[str]:
    """Email the supplier's person about new challenges needing any of their
    organisation's capabilities (and stop those for capabilities it no longer lists)."""
    supplier = _supplier_of(actor)
    if not supplier.capabilities:
        raise SupplierInvalid(
            _("Add your organisation's capabilities first, so we know which challenges match"),
            field="capabilities",
        )
    _follow_capabilities(actor, supplier.capabilities)
    return list(supplier.capabilities)


def _follow_capabilities(person: Any, capabilities: list[str]) -> None:
    for code in followed_capabilities(person):
        if code not in capabilities:
            subscriptions.subscription_remove(person=person, kind=CHALLENGE_ALERTS, key=code)
    for code in capabilities:
        subscriptions.subscription_create(kind=CHALLENGE_ALERTS, key=code, person=person)


@transaction.atomic
def challenge_alerts_stop(*, actor: Any) -> None:
    """Stop every email about new challenges to the signed-in person."""
    for code in followed_capabilities(actor):
        subscriptions.subscription_remove(person=actor, kind=CHALLENGE_ALERTS, key=code)
