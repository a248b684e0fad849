"""The procurement pipeline and contracts awarded, kept by the procurement team."""

from datetime import date

import pytest
from django.urls import reverse

from tests.market.factories import ProcurementFactory
from townhall.core.permissions import PermissionDenied
from townhall.market import selectors, services
from townhall.market.models import Contract, Procurement

pytestmark = pytest.mark.django_db


def test_an_officer_adds_a_procurement_through_the_page(client, officer, challenge):
    client.force_login(officer)

    response = client.post(
        reverse("market:manage_procurement_create"),
        {
            "title": "Route optimisation",
            "description": "Software to plan rounds.",
            "service_area": "Environment and Waste",
            "estimated_value_pence": "£250,000",
            "route": "competitive_flexible",
            "status": "planned",
            "tender_publication_on_day": "15",
            "tender_publication_on_month": "1",
            "tender_publication_on_year": "2027",
            "contract_start_on_day": "1",
            "contract_start_on_month": "4",
            "contract_start_on_year": "2027",
            "contract_end_on_day": "31",
            "contract_end_on_month": "3",
            "contract_end_on_year": "2029",
            "challenge": challenge.pk,
        },
    )

    assert response.status_code == 302
    procurement = Procurement.objects.get()
    assert procurement.estimated_value_pence == 25_000_000
    assert list(selectors.pipeline()) == [procurement]


def test_a_contract_that_ends_before_it_starts_is_refused(officer):
    with pytest.raises(services.ProcurementInvalid, match="end after it starts"):
        services.procurement_create(
            actor=officer,
            title="X",
            description="Y",
            service_area="Z",
            estimated_value_pence=100,
            route="open",
            status="planned",
            tender_publication_on=date(2027, 1, 1),
            contract_start_on=date(2027, 4, 1),
            contract_end_on=date(2027, 3, 1),
        )


def test_awarding_a_contract_marks_the_procurement_awarded(officer, supplier):
    procurement = ProcurementFactory()

    contract = services.contract_award(
        actor=officer,
        procurement=procurement,
        supplier=supplier,
        title="Route optimisation",
        value_pence=4_850_000,
        awarded_on=date(2026, 11, 2),
        start_on=date(2027, 1, 1),
        end_on=date(2028, 12, 31),
        competed=True,
    )

    procurement.refresh_from_db()
    assert procurement.status == Procurement.Status.AWARDED
    assert list(selectors.awarded_contracts()) == [contract]
    assert procurement not in selectors.pipeline()


def test_a_cancelled_procurement_cannot_be_awarded(officer, supplier):
    procurement = ProcurementFactory(status=Procurement.Status.CANCELLED)

    with pytest.raises(services.ProcurementInvalid, match="cancelled"):
        services.contract_award(
            actor=officer,
            procurement=procurement,
            supplier=supplier,
            title="X",
            value_pence=1,
            awarded_on=date(2026, 1, 1),
            start_on=date(2026, 1, 1),
            end_on=date(2026, 2, 1),
            competed=False,
        )
    assert not Contract.objects.exists()


def test_only_the_procurement_team_keeps_the_pipeline(supplier):
    with pytest.raises(PermissionDenied):
        services.procurement_create(actor=supplier.account, title="X")


def test_an_officer_records_a_contract_through_the_page(client, officer, supplier):
    procurement = ProcurementFactory()
    client.force_login(officer)

    response = client.post(
        reverse("market:manage_contract_award", args=[procurement.public_id]),
        {
            "supplier": supplier.pk,
            "title": "Route optimisation",
            "value_pence": "£48,500",
            "awarded_on_day": "2",
            "awarded_on_month": "11",
            "awarded_on_year": "2026",
            "start_on_day": "1",
            "start_on_month": "1",
            "start_on_year": "2027",
            "end_on_day": "31",
            "end_on_month": "12",
            "end_on_year": "2028",
            "competed": "on",
        },
    )

    assert response.status_code == 302
    assert Contract.objects.get().value_pence == 4_850_000
