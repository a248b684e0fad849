"""Residents' pages: "Find digital help" near a postcode, a service's page, ward pages."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from tests.core.factories import AreaFactory, PostcodeFactory
from townhall.inclusion.models import Schedule, Service
from townhall.inclusion.selectors import Point, help_near, is_open

from .factories import (
    LocationFactory,
    ScheduleFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    full_service,
)

pytestmark = pytest.mark.django_db


def _open_all_day(place):
    ScheduleFactory(
        service_at_location=place,
        byday="MO,TU,WE,TH,FR,SA,SU",
        opens_at=time(0),
        closes_at=time(23, 59, 59),
    )


def test_find_help_lists_places_near_the_postcode_nearest_first_with_distance(client, postcode):
    far = ServiceAtLocationFactory(
        service__name_en_gb="Far Wi-Fi", location=LocationFactory(latitude=53.07)
    )
    near = ServiceAtLocationFactory(
        service__name_en_gb="Near Wi-Fi", location=LocationFactory(latitude=53.051)
    )

    response = client.get("/digital-help/", {"postcode": "nb1 1aa"})

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Near Wi-Fi") < html.index("Far Wi-Fi")
    assert "110 metres away" in html
    assert "2.2 km away" in html
    assert "<svg" in html  # the map, drawn on the server
    assert far.service.slug in html and near.service.slug in html


def test_find_help_filters_by_kind_including_narrower_kinds(client, postcode):
    ServiceAtLocationFactory(service=ServiceFactory(name_en_gb="Wi-Fi", terms=["free-wifi"]))
    ServiceAtLocationFactory(
        service=ServiceFactory(name_en_gb="Scam class", terms=["skills-safe-legal"])
    )

    html = client.get(
        "/digital-help/", {"postcode": "NB1 1AA", "kind": "skills-courses"}
    ).content.decode()

    assert "Scam class" in html and "Wi-Fi</a>" not in html


def test_find_help_open_now_leaves_out_closed_places_and_holiday_closures(client, postcode):
    open_place = ServiceAtLocationFactory(service__name_en_gb="Open place")
    _open_all_day(open_place)
    ServiceAtLocationFactory(service__name_en_gb="No hours")
    on_holiday = ServiceAtLocationFactory(service__name_en_gb="On holiday")
    _open_all_day(on_holiday)
    today = timezone.localdate()
    Schedule.objects.create(
        service_at_location=on_holiday, kind="closed", valid_from=today, valid_to=today
    )

    html = client.get("/digital-help/", {"postcode": "NB1 1AA", "open_now": "on"}).content.decode()

    assert "Open place" in html
    assert "No hours" not in html and "On holiday" not in html
    assert "Open now" in html


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("not a postcode", "Enter a real postcode"),
        ("NB9 9ZZ", "is not in"),
    ],
)
def test_find_help_explains_a_postcode_it_cannot_use(client, postcode, typed, message):
    response = client.get("/digital-help/", {"postcode": typed})

    assert response.status_code == 400
    assert message in response.content.decode()


def test_find_help_says_a_postcode_outside_the_council_is_elsewhere(client, postcode):
    AreaFactory(name="Riverside")
    PostcodeFactory(postcode="ZZ1 1ZZ", latitude=51.5, longitude=-0.1)

    response = client.get("/digital-help/", {"postcode": "ZZ1 1ZZ"})

    assert response.status_code == 400
    assert "find your council" in response.content.decode()


def test_find_help_in_welsh_shows_welsh_and_marks_english(client, postcode):
    ServiceAtLocationFactory(
        service=ServiceFactory(name_en_gb="Free Wi-Fi", name_cy="Wi-Fi am ddim")
    )
    ServiceAtLocationFactory(service=ServiceFactory(name_en_gb="Laptop loans"))

    html = client.get("/cy/digital-help/", {"postcode": "NB1 1AA"}).content.decode()

    assert "Wi-Fi am ddim" in html
    assert '<span lang="en">Laptop loans</span>' in html


def test_find_help_runs_a_fixed_number_of_queries(client, postcode, django_assert_max_num_queries):
    for _ in range(15):
        ServiceAtLocationFactory(service=ServiceFactory(terms=["free-wifi", "one-to-one"]))
    client.get("/digital-help/", {"postcode": "NB1 1AA"})

    with django_assert_max_num_queries(14):
        client.get("/digital-help/", {"postcode": "NB1 1AA"})


def test_service_page_shows_this_weeks_hours_closures_and_details(client):
    service = full_service(name_en_gb="Laptop loans", eligibility_en_gb="People on benefits")
    place = service.at_locations.get()
    place.location.transportation_en_gb = "Bus 12 stops outside"
    place.location.save()
    next_week = timezone.localdate() + timedelta(days=8)
    Schedule.objects.create(
        service_at_location=place,
        kind="closed",
        valid_from=next_week,
        valid_to=next_week,
        description_en_gb="Bank holiday",
    )

    html = client.get(f"/digital-help/services/{service.slug}/").content.decode()

    for text in (
        "Laptop loans",
        "People on benefits",
        "Bus 12 stops outside",
        "9am to 5pm",
        "Bank holiday",
        "Step-free access",
        "Welsh",
        "Free",
        "01632 960000",
    ):
        assert text in html, text


def test_service_page_keeps_html_in_descriptions_inert(client):
    service = ServiceFactory(description_en_gb="<script>alert(1)</script>")

    html = client.get(f"/digital-help/services/{service.slug}/").content.decode()

    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)" in html


def test_service_page_is_not_found_for_a_draft(client):
    service = ServiceFactory(state=Service.State.DRAFT)

    assert client.get(f"/digital-help/services/{service.slug}/").status_code == 404


def test_ward_page_lists_the_help_given_in_the_ward(client):
    ward = AreaFactory(name="Riverside")
    ServiceAtLocationFactory(
        service__name_en_gb="Riverside Wi-Fi",
        location=LocationFactory(name_en_gb="Riverside Library", ward_code=ward.code),
    )
    ServiceAtLocationFactory(service__name_en_gb="Elsewhere", location__ward_code="E05999999")

    html = client.get(f"/wards/{ward.slug}/").content.decode()

    assert "Digital help here" in html
    assert "Riverside Wi-Fi" in html and "Elsewhere" not in html


def test_is_open_is_false_outside_hours_and_on_another_day():
    place = ServiceAtLocationFactory()
    ScheduleFactory(service_at_location=place, byday="MO", opens_at=time(9), closes_at=time(12))
    schedules = list(place.schedules.all())
    monday = datetime(2026, 12, 7, 10, 0)
    assert is_open(schedules, monday)
    assert not is_open(schedules, monday.replace(hour=12))
    assert not is_open(schedules, monday + timedelta(days=1))


def test_help_near_finds_the_nearest_when_the_first_circle_holds_too_few():
    point = Point(53.05, -1.55)
    for offset in (0.05, 0.01, 0.09, 0.03):  # 5.6, 1.1, 10 and 3.3 km north
        ServiceAtLocationFactory(
            service__name_en_gb=f"At {offset}", location=LocationFactory(latitude=53.05 + offset)
        )

    found = help_near(point=point, within_m=8_000, limit=3)

    assert [item.service.name for item in found] == ["At 0.01", "At 0.03", "At 0.05"]
    assert round(found[0].distance_m) == 1112
