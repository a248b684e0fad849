"""Registering an organisation: any signed-in person, once; a Companies House number
registered once; the supplier role given; personal data exported and erased."""

import pytest

from tests.market.factories import SupplierFactory
from townhall.core.permissions import PermissionDenied, can
from townhall.core.registry import registry
from townhall.market import services
from townhall.market.models import Supplier

pytestmark = pytest.mark.django_db

DETAILS = {
    "name": "Meadow Routes Ltd",
    "company_number": "sc123456",
    "sme": True,
    "capabilities": ["waste", "data"],
    "contact_name": "Ana Lopes",
    "contact_email": "ana@meadow.example",
}


def test_registering_makes_the_person_a_supplier_when_signed_in(resident):
    supplier = services.supplier_register(actor=resident, **DETAILS)

    assert supplier.company_number == "SC123456"
    assert supplier.account == resident
    assert can(resident, "market.respond")


def test_registering_is_refused_when_not_signed_in():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.supplier_register(actor=AnonymousUser(), **DETAILS)


def test_second_registration_of_a_company_number_is_refused_naming_it(resident, person):
    SupplierFactory(company_number="SC123456")

    with pytest.raises(services.SupplierInvalid, match="SC123456 is already registered") as raised:
        services.supplier_register(actor=resident, **DETAILS)

    assert raised.value.field == "company_number"
    assert not Supplier.objects.filter(account=resident).exists()


def test_registering_twice_from_one_account_is_refused(resident):
    services.supplier_register(actor=resident, **DETAILS)

    with pytest.raises(PermissionDenied):
        services.supplier_register(actor=resident, **{**DETAILS, "company_number": "01234567"})


def test_registering_is_refused_when_the_company_number_is_malformed(resident):
    with pytest.raises(services.SupplierInvalid, match="8 characters"):
        services.supplier_register(actor=resident, **{**DETAILS, "company_number": "12345"})


def test_registering_is_refused_when_a_capability_is_not_on_the_list(resident):
    with pytest.raises(services.SupplierInvalid, match="not one of the capabilities"):
        services.supplier_register(actor=resident, **{**DETAILS, "capabilities": ["magic"]})


def test_voluntary_groups_may_register_without_a_company_number(resident, person):
    services.supplier_register(actor=resident, **{**DETAILS, "company_number": ""})
    other = person()

    services.supplier_register(actor=other, **{**DETAILS, "company_number": ""})

    assert Supplier.objects.filter(company_number="").count() == 2


def test_erasing_the_person_keeps_the_organisation_without_their_contact_details(supplier):
    declaration = next(
        records for records in registry.personal_records() if records.model == "market.Supplier"
    )
    person = supplier.account
    assert declaration.exported(person)[0]["contact_email"] == supplier.contact_email

    declaration.erase_for(person)

    supplier.refresh_from_db()
    assert supplier.account is None
    assert (supplier.contact_name, supplier.contact_email) == ("", "")
    assert supplier.name == "Kestrel Analytics Ltd"
