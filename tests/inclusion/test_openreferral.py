"""The Open Referral UK 3.0 API at /openreferral/, each answer validated against the
standard's own schemas."""

from datetime import timedelta

import pytest
from django.utils import timezone

from townhall.inclusion.models import Service

from .factories import (
    LocationFactory,
    ScheduleFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    full_service,
    term,
)

pytestmark = pytest.mark.django_db

PAGE_KEYS = {
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
}


def test_root_gives_version_profile_and_openapi_url(client, openreferral):
    body = client.get("/openreferral/").json()

    openreferral("/", body)
    assert body["version"] == "3.0"
    assert body["openapi_url"].endswith("openapi.json")


def test_root_is_the_same_under_the_welsh_prefix_path_as_at_the_root(client):
    assert client.get("/cy/openreferral/").status_code == 404
    assert client.get("/openreferral/", HTTP_ACCEPT_LANGUAGE="cy").status_code == 200


def test_services_list_published_services_in_the_standard_page_shape(client, openreferral):
    full_service(name_en_gb="Wi-Fi at the library")
    ServiceFactory(state=Service.State.DRAFT, name_en_gb="Not yet")

    body = client.get("/openreferral/services").json()

    openreferral("/services", body)
    assert set(body) == PAGE_KEYS
    assert [service["name"] for service in body["contents"]] == ["Wi-Fi at the library"]
    assert body["total_items"] == 1 and body["first_page"] and body["last_page"]


def test_service_is_fully_nested_and_valid(client, openreferral):
    service = full_service()

    body = client.get(f"/openreferral/services/{service.id}").json()

    openreferral("/services/{id}", body)
    assert body["schedules"][0]["byday"] == "MO,TU,WE,TH,FR"
    assert body["schedules"][0]["opens_at"] == "09:00"
    location = body["service_at_locations"][0]["location"]
    assert location["addresses"][0]["postal_code"] == "NB1 1AA"
    assert location["accessibility"][0]["description"] == "Step-free access"
    assert body["contacts"][0]["phones"][0]["number"] == "01632 960000"
    assert body["cost_options"][0]["amount"] == 0
    assert body["languages"][0]["code"] == "cy"
    assert {a["taxonomy_term"]["code"] for a in body["attributes"]} == {
        "free-wifi",
        "skills-foundation",
    }


def test_service_is_not_found_when_it_is_a_draft(client):
    service = ServiceFactory(state=Service.State.DRAFT)

    response = client.get(f"/openreferral/services/{service.id}")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "service_not_found"


def test_service_is_written_in_welsh_when_the_request_asks_for_it(client):
    service = ServiceFactory(name_en_gb="Free Wi-Fi", name_cy="Wi-Fi am ddim")

    response = client.get(f"/openreferral/services/{service.id}", HTTP_ACCEPT_LANGUAGE="cy")

    assert response.json()["name"] == "Wi-Fi am ddim"
    assert response["Content-Language"] == "cy"


def test_service_at_locations_near_a_postcode_are_nearest_first_within_proximity(
    client, openreferral, postcode
):
    near = ServiceAtLocationFactory(location=LocationFactory(latitude=53.051, longitude=-1.55))
    far = ServiceAtLocationFactory(location=LocationFactory(latitude=53.06, longitude=-1.55))
    ServiceAtLocationFactory(location=LocationFactory(latitude=53.2, longitude=-1.55))

    body = client.get("/openreferral/service_at_locations?postcode=nb11aa&proximity=2000").json()

    openreferral("/service_at_locations", body)
    assert [row["id"] for row in body["contents"]] == [str(near.id), str(far.id)]
    assert body["contents"][0]["distance"] == 111


def test_service_at_location_gives_the_fully_nested_service(client, openreferral):
    service = full_service()
    place = service.at_locations.get()

    body = client.get(f"/openreferral/service_at_locations/{place.id}").json()

    openreferral("/service_at_locations/{id}", body)
    assert body["id"] == str(service.id)


def test_taxonomies_and_terms_list_the_digital_help_taxonomy(client, openreferral):
    taxonomies = client.get("/openreferral/taxonomies").json()
    terms = client.get("/openreferral/taxonomy_terms?per_page=100").json()
    one = client.get(f"/openreferral/taxonomy_terms/{term('free-wifi').id}").json()
    taxonomy = client.get(f"/openreferral/taxonomies/{taxonomies['contents'][0]['id']}").json()

    openreferral("/taxonomies", taxonomies)
    openreferral("/taxonomy_terms", terms)
    openreferral("/taxonomy_terms/{id}", one)
    openreferral("/taxonomies/{id}", taxonomy)
    assert taxonomies["contents"][0]["name"] == "Digital help"
    codes = {row["code"] for row in terms["contents"]}
    assert {"free-wifi", "device-loans", "data-sims", "skills-safe-legal"} <= codes
    assert one["name"] == "Free Wi-Fi"


def test_organizations_list_only_those_running_a_published_service(client):
    published = ServiceFactory()
    ServiceFactory(state=Service.State.DRAFT)

    body = client.get("/openreferral/organizations").json()

    assert [row["id"] for row in body["contents"]] == [str(published.organization_id)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("search=wifi", ["Library wifi"]),
        ("search=WIFI", ["Library wifi"]),
        ("minimum_age=16", ["Teen coding"]),
        ("maximum_age=18", ["Teen coding"]),
        ("day=SA", ["Teen coding"]),
        ("day=saturday", ["Teen coding"]),
        ("start_time=09:30", ["Teen coding"]),
        ("end_time=16:00", ["Teen coding"]),
        ("start_time=09:00&end_time=17:00", ["Library wifi", "Teen coding"]),
        ("day=MO&start_time=10:00", []),
    ],
)
def test_services_filter_as_the_standard_says(client, query, expected):
    wifi = ServiceFactory(name_en_gb="Library wifi", terms=["free-wifi"])
    ScheduleFactory(service_at_location__service=wifi, opens_at="09:00", closes_at="17:00")
    teens = ServiceFactory(name_en_gb="Teen coding", minimum_age=16, maximum_age=18)
    ScheduleFactory(
        service_at_location__service=teens, byday="SA", opens_at="10:00", closes_at="13:00"
    )

    body = client.get(f"/openreferral/services?{query}").json()

    assert [row["name"] for row in body["contents"]] == expected


def test_services_filter_by_term_taxonomy_organisation_and_modified_after(client):
    wifi = ServiceFactory(terms=["free-wifi"])
    other = ServiceFactory(terms=["data-sims"])
    Service.objects.filter(pk=other.pk).update(last_modified=timezone.now() - timedelta(days=30))
    since = (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")

    def names(query):
        return [
            row["id"] for row in client.get(f"/openreferral/services?{query}").json()["contents"]
        ]

    assert names(f"taxonomy_term_id={term('free-wifi').id}") == [str(wifi.id)]
    assert len(names(f"taxonomy_id={term('free-wifi').taxonomy_id}")) == 2
    assert names(f"organization_id={other.organization_id}") == [str(other.id)]
    assert names(f"modified_after={since}") == [str(wifi.id)]


def test_services_paginate_with_per_page(client):
    ServiceFactory.create_batch(5)

    body = client.get("/openreferral/services?per_page=2&page=3").json()

    assert (body["total_items"], body["total_pages"], body["page_number"]) == (5, 3, 3)
    assert body["size"] == 1 and body["last_page"] and not body["first_page"]


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ("per_page=0", 400, "invalid_per_page"),
        ("per_page=1000", 400, "invalid_per_page"),
        ("per_page=ten", 400, "invalid_per_page"),
        ("page=0", 400, "invalid_page"),
        ("start_time=25:99", 400, "invalid_time"),
        ("end_time=soon", 400, "invalid_time"),
        ("day=Someday", 400, "invalid_day"),
        ("minimum_age=-1", 400, "invalid_minimum_age"),
        ("taxonomy_term_id=wifi", 400, "invalid_taxonomy_term_id"),
        ("modified_after=yesterday", 400, "invalid_modified_after"),
    ],
)
def test_services_refuse_bad_parameters_with_a_stable_code(client, query, status, code):
    response = client.get(f"/openreferral/services?{query}")

    assert response.status_code == status
    assert response.json()["error"]["code"] == code


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ("postcode=ZZ", 400, "malformed_postcode"),
        ("postcode=NB9 9ZZ", 404, "unknown_postcode"),
        ("proximity=500", 400, "postcode_required"),
        ("postcode=NB1 1AA&proximity=far", 400, "invalid_proximity"),
        ("postcode=NB1 1AA&proximity=1000000", 400, "invalid_proximity"),
    ],
)
def test_service_at_locations_refuse_bad_places(client, postcode, query, status, code):
    response = client.get(f"/openreferral/service_at_locations?{query}")

    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_services_list_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(20):
        full_service()

    with django_assert_max_num_queries(4):
        client.get("/openreferral/services")


def test_service_is_read_in_a_fixed_number_of_queries(client, django_assert_num_queries):
    service = full_service()
    for _ in range(5):
        ScheduleFactory(service_at_location__service=service)

    with django_assert_num_queries(11):  # the service, then one query per related table
        client.get(f"/openreferral/services/{service.id}")


def test_service_at_locations_near_a_postcode_in_a_fixed_number_of_queries(
    client, postcode, django_assert_max_num_queries
):
    for _ in range(20):
        ServiceAtLocationFactory()

    with django_assert_max_num_queries(7):  # five of them are core's postcode look-up
        body = client.get("/openreferral/service_at_locations?postcode=NB1 1AA").json()

    assert body["total_items"] == 20
