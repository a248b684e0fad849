"""Every change to market engagement, and every rule: who may make it, the deadlines, one
response per supplier, anonymised answers, and what each change leaves in the audit log.
Views and the API call these; so do the demo and the tests."""

from datetime import date
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from townhall.core import audit
from townhall.core.permissions import require

from .. import ocds
from ..manifest import (
    MANAGE_CHALLENGES,
    MANAGE_PIPELINE,
)
from ..models import (
    Challenge,
    Contract,
    Notice,
    Procurement,
    Supplier,
)
from ..selectors import (
    engagement_without_uk2,
    pipeline_notice_procurements,
)
from ._common import (
    ChallengeInvalid,
    DeadlinePassed,
    MarketError,
    ProcurementInvalid,
    QuestionInvalid,
    ResponseInvalid,
    SupplierInvalid,
    _set_translated,
    _validated,
)
from .alerts import challenge_alerts_follow, challenge_alerts_stop
from .challenges import (
    CHALLENGE_TEXT,
    challenge_close,
    challenge_create,
    challenge_edit,
    challenge_publish,
)
from .parsing import normalised_company_number, pence_from_pounds
from .responses import question_answer, question_ask, response_submit
from .suppliers import supplier_edit, supplier_register

PROCUREMENT_TEXT = ("title", "description", "service_area")

__all__ = [
    "CHALLENGE_TEXT",
    "ChallengeInvalid",
    "DeadlinePassed",
    "MarketError",
    "ProcurementInvalid",
    "QuestionInvalid",
    "ResponseInvalid",
    "SupplierInvalid",
    "challenge_alerts_follow",
    "challenge_alerts_stop",
    "challenge_close",
    "challenge_create",
    "challenge_edit",
    "challenge_publish",
    "normalised_company_number",
    "pence_from_pounds",
    "question_answer",
    "question_ask",
    "response_submit",
    "supplier_edit",
    "supplier_register",
]


# Pipeline and contracts ----------------------------------------------------------------------


def _fill_procurement(procurement: Procurement, values: dict[str, Any]) -> None:
    was = procurement.status
    _set_translated(procurement, PROCUREMENT_TEXT, values)
    for name in (
        "estimated_value_pence",
        "route",
        "status",
        "tender_publication_on",
        "contract_start_on",
        "contract_end_on",
        "challenge",
    ):
        if name in values:
            setattr(procurement, name, values[name])
    if "uk2_omitted_reason" in values:
        procurement.uk2_omitted_reason = (values["uk2_omitted_reason"] or "").strip()
    _refuse_tender_without_uk2(procurement, was=was)
    if procurement.estimated_value_pence is not None and procurement.estimated_value_pence < 0:
        raise ProcurementInvalid(
            _("The estimated value cannot be less than £0"), field="estimated_value_pence"
        )
    _check_dates(procurement.contract_start_on, procurement.contract_end_on, "contract_end_on")
    _validated(procurement, ProcurementInvalid)


def _check_dates(start: date | None, end: date | None, field: str) -> None:
    if start and end and end < start:
        raise ProcurementInvalid(_("The contract must end after it starts"), field=field)


@transaction.atomic
def procurement_create(*, actor: Any, **values: Any) -> Procurement:
    """A forthcoming procurement in the pipeline (public at once: the pipeline is notice)."""
    require(actor, MANAGE_PIPELINE)
    procurement = Procurement()
    _fill_procurement(procurement, values)
    procurement.save()
    return procurement


@transaction.atomic
def procurement_edit(*, actor: Any, procurement: Procurement, **values: Any) -> Procurement:
    require(actor, MANAGE_PIPELINE)
    _fill_procurement(procurement, values)
    procurement.save()
    return procurement


@transaction.atomic
def contract_award(
    *,
    actor: Any,
    procurement: Procurement,
    supplier: Supplier,
    title: str,
    value_pence: int,
    awarded_on: date,
    start_on: date,
    end_on: date,
    competed: bool,
    title_cy: str = "",
) -> Contract:
    """Record a contract awarded at the end of a procurement, which is then awarded."""
    require(actor, MANAGE_PIPELINE)
    if procurement.status == Procurement.Status.CANCELLED:
        raise ProcurementInvalid(_("A cancelled procurement cannot be awarded"))
    if value_pence < 0:
        raise ProcurementInvalid(_("The value cannot be less than £0"), field="value_pence")
    _check_dates(start_on, end_on, "end_on")
    contract = Contract(
        procurement=procurement,
        supplier=supplier,
        value_pence=value_pence,
        awarded_on=awarded_on,
        start_on=start_on,
        end_on=end_on,
        competed=competed,
    )
    _set_translated(contract, ("title",), {"title": title, "title_cy": title_cy})
    _validated(contract, ProcurementInvalid)
    contract.save()
    if procurement.status != Procurement.Status.AWARDED:
        procurement.status = Procurement.Status.AWARDED
        procurement.save()
    return contract


# Procurement Act 2023 notices (ADR 0115, 0116) ---------------------------------------------


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
