"""The pipeline of forthcoming procurements, and the contracts awarded at their end."""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from townhall.core.permissions import require

from ..manifest import MANAGE_PIPELINE
from ..models import Contract, Procurement, Supplier
from ._common import ProcurementInvalid, _set_translated, _validated
from .notices import _refuse_tender_without_uk2

PROCUREMENT_TEXT = ("title", "description", "service_area")


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
