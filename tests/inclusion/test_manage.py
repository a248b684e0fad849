"""The directory officer keeps the directory from Manage, through the services' rules."""

from datetime import date

import pytest

from tests.core.factories import UserFactory
from townhall.core.models import AuditEntry
from townhall.core.permissions import PermissionDenied
from townhall.inclusion import services
from townhall.inclusion.models import Location, Organization, Schedule, Service

from .factories import (
    DirectoryOfficerFactory,
    LocationFactory,
    OrganizationFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    term,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return DirectoryOfficerFactory()


def test_manage_lists_the_directory_tool_for_a_directory_officer(client, officer):
    client.force_login(officer)

    html = client.get("/manage/").content.decode()

    assert "Directory of digital help" in html
    assert "/digital-help/manage/" in html


def test_manage_pages_refuse_people_without_the_role(client):
    client.force_login(UserFactory())

    assert client.get("/digital-help/manage/").status_code == 403


def test_manage_pages_ask_visitors_to_sign_in(client):
    response = client.get("/digital-help/manage/services/new/")

    assert response.status_code == 302 and "login" in response["Location"]


def test_an_officer_adds_an_organisation_a_place_and_a_published_service(client, officer, postcode):
    client.force_login(officer)

    client.post(
        "/digital-help/manage/organisations/new/",
        {"name": "Northbridge Libraries", "description": "The council's libraries."},
    )
    organization = Organization.objects.get()
    client.post(
        "/digital-help/manage/places/new/",
        {
            "organization": organization.pk,
            "name": "Riverside Library",
            "address_1": "1 River Street",
            "city": "Northbridge",
            "postcode": "nb11aa",
        },
    )
    location = Location.objects.get()
    response = client.post(
        "/digital-help/manage/services/new/",
        {
            "organization": organization.pk,
            "name": "Free Wi-Fi",
            "description": "Free Wi-Fi all day.",
            "terms": [term("free-wifi").pk],
            "status": "active",
            "languages": ["en", "cy"],
            "cost": "Free",
            "amount": "0",
            "published": "on",
        },
    )
    service = Service.objects.get()
    client.post(f"/digital-help/manage/services/{service.pk}/places/", {"location": location.pk})

    assert response.status_code == 302
    assert (location.postal_code, location.latitude) == ("NB1 1AA", 53.05)
    assert service.state == "published" and service.slug == "free-wi-fi"
    assert service.at_locations.get().location == location
    assert {language.code for language in service.languages.all()} == {"en", "cy"}
    assert client.get(f"/digital-help/services/{service.slug}/").status_code == 200
    assert AuditEntry.objects.filter(object_type="inclusion.service").exists()


def test_an_officer_adds_opening_hours_and_a_closure_to_a_service_at_a_place(client, officer):
    client.force_login(officer)
    place = ServiceAtLocationFactory()

    client.post(
        f"/digital-help/manage/services-at-places/{place.pk}/",
        {"hours-days": ["MO", "WE"], "hours-opens_at": "09:30", "hours-closes_at": "13:00"},
    )
    client.post(
        f"/digital-help/manage/services-at-places/{place.pk}/",
        {
            "closure-valid_from_day": "24",
            "closure-valid_from_month": "12",
            "closure-valid_from_year": "2026",
            "closure-valid_to_day": "26",
            "closure-valid_to_month": "12",
            "closure-valid_to_year": "2026",
            "closure-description": "Christmas",
        },
    )

    hours = Schedule.objects.get(kind="open")
    closure = Schedule.objects.get(kind="closed")
    assert (hours.byday, str(hours.opens_at)) == ("MO,WE", "09:30:00")
    assert (closure.valid_from, closure.valid_to) == (date(2026, 12, 24), date(2026, 12, 26))


def test_opening_hours_that_close_before_they_open_are_refused_with_a_message(client, officer):
    client.force_login(officer)
    place = ServiceAtLocationFactory()

    response = client.post(
        f"/digital-help/manage/services-at-places/{place.pk}/",
        {"hours-days": ["MO"], "hours-opens_at": "17:00", "hours-closes_at": "09:00"},
    )

    assert response.status_code == 400
    assert "The closing time must be after the opening time" in response.content.decode()
    assert not Schedule.objects.exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [("rubbish", "Enter a real postcode"), ("NB9 9ZZ", "is not in")],
)
def test_a_place_with_a_postcode_that_cannot_be_placed_is_refused(
    officer, postcode, typed, message
):
    with pytest.raises(services.DirectoryInvalid, match=message):
        services.location_save(
            actor=officer,
            organization=None,
            name="Hall",
            address_1="1 Road",
            city="Northbridge",
            postcode=typed,
        )

    assert not Location.objects.exists()


def test_a_service_with_ages_the_wrong_way_round_is_refused(officer):
    with pytest.raises(services.DirectoryInvalid, match="maximum age"):
        services.service_save(
            actor=officer,
            organization=OrganizationFactory(),
            name="Coding club",
            description="Learn to code",
            minimum_age=18,
            maximum_age=11,
        )


def test_services_refuse_someone_without_the_role():
    with pytest.raises(PermissionDenied):
        services.organization_save(actor=UserFactory(), name="A", description="B")


def test_an_unpublished_service_leaves_site_search(client, officer):
    service = ServiceFactory(name_en_gb="Tablet lending", state="draft")
    services.service_save(
        actor=officer,
        service=service,
        organization=service.organization,
        name="Tablet lending",
        description="Borrow a tablet",
        published=True,
    )
    assert "Tablet lending" in client.get("/search/", {"q": "tablet"}).content.decode()

    services.service_save(
        actor=officer,
        service=service,
        organization=service.organization,
        name="Tablet lending",
        description="Borrow a tablet",
        published=False,
    )

    assert "Tablet lending" not in client.get("/search/", {"q": "tablet"}).content.decode()


def test_an_officer_edits_a_place_from_its_page(client, officer, postcode):
    client.force_login(officer)
    location = LocationFactory(name_en_gb="Old name")

    client.post(
        f"/digital-help/manage/places/{location.pk}/",
        {"name": "New name", "address_1": "2 Road", "city": "Northbridge", "postcode": "NB1 1AA"},
    )

    location.refresh_from_db()
    assert location.name == "New name"
