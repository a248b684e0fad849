"""Procurement Act 2023 notices (ADR 0115, 0116): the UK1 pipeline notice, UK2
preliminary market engagement and UK3 planned procurement notices, each stored as its OCDS
release and recorded in the audit log; and the Act's rule that a tender following market
engagement without a UK2 gives the reasons."""

from datetime import date
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from townhall.core import audit
from townhall.core.permissions import require

from .. import ocds
from ..manifest import MANAGE_CHALLENGES, MANAGE_PIPELINE
from ..models import Challenge, Notice, Procurement
from ..selectors import engagement_without_uk2, pipeline_notice_procurements
from ._common import MarketError, ProcurementInvalid, _set_translated, _validated


class NoticeInvalid(MarketError):
    code = "notice_invalid"


def _refuse_tender_without_uk2(procurement: Procurement, *, was: str) -> None:
    """A tender may not be published for a procurement whose challenge ran as market
    engagement with no UK2 notice unless the officer gives the reasons, which the tender
    release then carries (section 17 of the Act: publish a UK2, or say why not)."""
    starting = procurement.status == Procurement.Status.TENDERING and (
        was != Procurement.Status.TENDERING or procurement.pk is None
    )
    if starting and engagement_without_uk2(procurement) and not procurement.uk2_omitted_reason:
        raise ProcurementInvalid(
            _(
                "“%(challenge)s” ran as preliminary market engagement without a UK2 notice. "
                "Publish a UK2 notice for it first, or give the reasons for not publishing "
                "one: the tender notice will include them."
            )
            % {"challenge": procurement.challenge.title},
            field="uk2_omitted_reason",
        )


def _english_path(name: str, *args: Any) -> str:
    with translation.override("en-gb"):
        return reverse(name, args=args)


def _notice_saved(*, actor: Any, notice: Notice) -> Notice:
    notice.published_by = actor if getattr(actor, "pk", None) else None
    notice.save()
    audit.record(
        actor=actor,
        operation="action",
        action=f"market.notice_publish_{notice.kind.lower()}",
        instance=notice,
        after=audit.snapshot(notice),
    )
    return notice


@transaction.atomic
def notice_uk1_publish(*, actor: Any) -> list[Notice]:
    """Publish the UK1 pipeline notice: one planning release for each planned
    procurement over £2 million whose tender is due in the coming 18 months."""
    require(actor, MANAGE_PIPELINE)
    listed = list(pipeline_notice_procurements())
    if not listed:
        raise NoticeInvalid(
            _(
                "No planned procurement over £2 million has its tender due in the next 18 "
                "months, so there is nothing for a pipeline notice to list"
            )
        )
    when = timezone.now()
    url = _english_path("market:pipeline")
    return [
        _notice_saved(
            actor=actor,
            notice=Notice(
                kind=Notice.Kind.UK1,
                procurement=procurement,
                published_at=when,
                **_stored(
                    ocds.planned_procurement_notice(procurement, kind="UK1", when=when, url=url)
                ),
            ),
        )
        for procurement in listed
    ]


@transaction.atomic
def notice_uk3_publish(*, actor: Any, procurement: Procurement) -> Notice:
    """Publish a UK3 planned procurement notice for a planned procurement."""
    require(actor, MANAGE_PIPELINE)
    if procurement.status != Procurement.Status.PLANNED:
        raise NoticeInvalid(
            _("A planned procurement notice is only for a procurement still being planned")
        )
    when = timezone.now()
    url = _english_path("market:pipeline") + f"#procurement-{procurement.public_id}"
    release = ocds.planned_procurement_notice(procurement, kind="UK3", when=when, url=url)
    notice = Notice(
        kind=Notice.Kind.UK3, procurement=procurement, published_at=when, **_stored(release)
    )
    return _notice_saved(actor=actor, notice=notice)


@transaction.atomic
def notice_uk2_publish(
    *,
    actor: Any,
    challenge: Challenge,
    purpose: str,
    participation: str,
    engagement_start_on: date,
    engagement_end_on: date,
    purpose_cy: str = "",
    participation_cy: str = "",
) -> Notice:
    """Publish a UK2 preliminary market engagement notice for a challenge with what
    regulation 17 asks of it: the engagement's purpose, how suppliers take part, and
    when it starts and ends (in the past, for engagement already held)."""
    require(actor, MANAGE_CHALLENGES)
    if challenge.status == Challenge.Status.DRAFT:
        raise NoticeInvalid(_("Publish the challenge before its market engagement notice"))
    if engagement_end_on < engagement_start_on:
        raise NoticeInvalid(
            _("The engagement must end on or after the day it starts"), field="engagement_end_on"
        )
    notice = Notice(
        kind=Notice.Kind.UK2,
        challenge=challenge,
        engagement_start_on=engagement_start_on,
        engagement_end_on=engagement_end_on,
    )
    _set_translated(
        notice,
        ("purpose", "participation"),
        {
            "purpose": purpose,
            "purpose_cy": purpose_cy,
            "participation": participation,
            "participation_cy": participation_cy,
        },
    )
    for name, message in (
        ("purpose", _("Say what the engagement is for")),
        ("participation", _("Say how suppliers take part")),
    ):
        if not getattr(notice, f"{name}_en_gb"):
            raise NoticeInvalid(message, field=name)
    notice.published_at = timezone.now()
    release = ocds.market_engagement_notice(
        challenge,
        when=notice.published_at,
        url=_english_path("market:challenge_detail", challenge.slug),
        purpose=notice.purpose_en_gb,
        participation=notice.participation_en_gb,
        start_on=engagement_start_on,
        end_on=engagement_end_on,
    )
    for name, value in _stored(release).items():
        setattr(notice, name, value)
    _validated(notice, NoticeInvalid, exclude=("release",))
    return _notice_saved(actor=actor, notice=notice)


def _stored(release: dict[str, Any]) -> dict[str, Any]:
    return {"ocid": release["ocid"], "release_id": release["id"], "release": release}
