"""Suppliers: an account registers its organisation once, a Companies House number
belongs to one organisation, and the organisation's details may change."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from townhall.core.permissions import require
from townhall.core.services.accounts import account_grant_roles

from ..manifest import READ_RESPONSES, REGISTER_SUPPLIER, SUPPLIER
from ..models import Supplier
from ..selectors import followed_capabilities
from ._common import SupplierInvalid, _known_capabilities, _validated
from .alerts import _follow_capabilities
from .parsing import normalised_company_number


@transaction.atomic
def supplier_register(
    *,
    actor: Any,
    name: str,
    company_number: str = "",
    sme: bool = False,
    voluntary_sector: bool = False,
    capabilities: list[str] = (),
    areas_served: list[str] = (),
    contact_name: str = "",
    contact_email: str = "",
) -> Supplier:
    """Register the actor's organisation and make them a supplier.

    Refuses a second organisation for the same account, and a Companies House number
    another supplier registered (naming the number, not who holds it).
    """
    require(actor, REGISTER_SUPPLIER)
    if Supplier.objects.filter(account=actor).exists():
        raise SupplierInvalid(_("You have already registered an organisation"), field="name")
    number = ""
    if (company_number or "").strip():
        try:
            number = normalised_company_number(company_number)
        except ValueError as problem:
            raise SupplierInvalid(str(problem), field="company_number") from None
    supplier = Supplier(
        account=actor,
        name=(name or "").strip(),
        company_number=number,
        sme=sme,
        voluntary_sector=voluntary_sector,
        capabilities=_known_capabilities(list(capabilities), SupplierInvalid),
        areas_served=sorted(set(areas_served)),
        contact_name=(contact_name or "").strip(),
        contact_email=(contact_email or "").strip(),
    )
    _refuse_taken_number(number)
    _validated(supplier, SupplierInvalid)
    try:
        with transaction.atomic():
            supplier.save()
    except IntegrityError:
        _refuse_taken_number(number, taken=True)
        raise
    account_grant_roles(user=actor, role_slugs=[SUPPLIER])
    actor._townhall_roles = None
    return supplier


def _refuse_taken_number(number: str, *, taken: bool = False) -> None:
    if number and (taken or Supplier.objects.filter(company_number=number).exists()):
        raise SupplierInvalid(
            _(
                "An organisation with Companies House number %(number)s is already "
                "registered. Ask the person who registered it to add you, or contact the "
                "procurement team."
            )
            % {"number": number},
            field="company_number",
        )


@transaction.atomic
def supplier_edit(
    *,
    actor: Any,
    supplier: Supplier,
    name: str,
    sme: bool,
    voluntary_sector: bool,
    capabilities: list[str],
    areas_served: list[str],
    contact_name: str = "",
    contact_email: str = "",
) -> Supplier:
    """Change the actor's own organisation's details (its Companies House number stays)."""
    if supplier.account_id is None or supplier.account_id != getattr(actor, "pk", None):
        require(actor, READ_RESPONSES)
    supplier.name = (name or "").strip()
    supplier.sme, supplier.voluntary_sector = sme, voluntary_sector
    supplier.capabilities = _known_capabilities(list(capabilities), SupplierInvalid)
    supplier.areas_served = sorted(set(areas_served))
    supplier.contact_name = (contact_name or "").strip()
    supplier.contact_email = (contact_email or "").strip()
    _validated(supplier, SupplierInvalid)
    supplier.save()
    if supplier.account_id and followed_capabilities(supplier.account):
        # Someone emailed about their capabilities' challenges hears about the new ones.
        _follow_capabilities(supplier.account, supplier.capabilities)
    return supplier
