"""An officer imports another Open Referral UK 3.0 feed (a neighbouring council's, a
voluntary-sector directory's), from its address or an uploaded file of its /services
pages: every problem is reported with its record's id and field and nothing is written,
or the whole feed is; records keep the feed as their `source`, and importing the same
feed again keeps them in step without touching anyone else's records."""

import json
import uuid
from datetime import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from townhall.core import outbound
from townhall.core.models import AuditEntry
from townhall.inclusion.models import (
    Contact,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceAtLocation,
)
from townhall.inclusion.services import feeds

from .factories import DirectoryOfficerFactory, ServiceFactory, term

pytestmark = pytest.mark.django_db

FEED = "https://directory.example.org/openreferral"
OTHER_FEED = "https://other.example.org/openreferral"


def _id(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, name))


def service_record(label: str = "Digital Drop-in", **changes) -> dict:
    """A fully nested service as the standard's /services/{id} gives it."""
    name = label
    key, place, location = _id(name), _id(name + "/place"), _id(name + "/location")
    record = {
        "id": key,
        "name": name,
        "description": "Help with phones, tablets and laptops.",
        "status": "active",
        "assured_date": "2026-10-01",
        "organization": {
            "id": _id("Eastfield Voluntary Action"),
            "name": "Eastfield Voluntary Action",
            "description": "The voluntary sector's council for Eastfield.",
        },
        "service_at_locations": [
            {
                "id": place,
                "location": {
                    "id": location,
                    "location_type": "physical",
                    "name": "Eastfield Community Hub",
                    "latitude": 53.07,
                    "longitude": -1.52,
                    "addresses": [
                        {
                            "id": _id(name + "/address"),
                            "address_1": "2 Mill Lane",
                            "city": "Eastfield",
                            "state_province": "",
                            "postal_code": "EF1 2AB",
                            "country": "GB",
                            "address_type": "physical",
                        }
                    ],
                },
            }
        ],
        "schedules": [
            {
                "id": _id(name + "/hours"),
                "service_at_location_id": place,
                "freq": "WEEKLY",
                "byday": "TU,TH",
                "opens_at": "10:00",
                "closes_at": "12:30",
            },
            {
                "id": _id(name + "/christmas"),
                "service_at_location_id": place,
                "valid_from": "2026-12-24",
                "valid_to": "2027-01-02",
                "description": "Christmas",
            },
        ],
        "contacts": [
            {
                "id": _id(name + "/contact"),
                "name": "Ali Khan",
                "phones": [{"id": _id(name + "/contact-phone"), "number": "01632 960333"}],
            }
        ],
        "phones": [{"id": _id(name + "/phone"), "number": "01632 960444"}],
        "cost_options": [{"id": _id(name + "/cost"), "option": "Free", "amount": 0}],
        "languages": [{"id": _id(name + "/urdu"), "name": "Urdu", "code": "ur"}],
        "attributes": [
            {
                "id": _id(name + "/attribute"),
                "link_id": key,
                "link_type": "service",
                "link_entity": "service",
                "taxonomy_term_id": str(term("one-to-one").pk),
            }
        ],
    }
    record.update(changes)
    return record


def page(*records) -> dict:
    return {
        "total_items": len(records),
        "total_pages": 1,
        "page_number": 1,
        "size": len(records),
        "first_page": True,
        "last_page": True,
        "empty": not records,
        "contents": list(records),
    }


@pytest.fixture
def officer():
    return DirectoryOfficerFactory()


def test_the_test_feed_is_in_the_standards_shape(openreferral):
    openreferral("/services/{id}", service_record())


def test_an_officer_imports_a_feed_file_whose_records_keep_their_source(client, officer):
    client.force_login(officer)
    upload = SimpleUploadedFile("feed.json", json.dumps(page(service_record())).encode())

    response = client.post(
        "/digital-help/manage/import/", {"address": FEED, "file": upload, "publish": ""}
    )

    assert response.status_code == 302
    service = Service.objects.get()
    assert (service.name, service.source, service.state) == ("Digital Drop-in", FEED, "draft")
    assert service.organization.source == FEED
    assert str(service.last_confirmed) == "2026-10-01"
    place = ServiceAtLocation.objects.get()
    assert (place.location.latitude, place.location.postal_code) == (53.07, "EF1 2AB")
    hours = Schedule.objects.get(kind="open")
    assert (hours.byday, hours.opens_at, hours.closes_at) == ("TU,TH", time(10), time(12, 30))
    assert Schedule.objects.get(kind="closed").description_en_gb == "Christmas"
    assert Contact.objects.get().phones.get().number == "01632 960333"
    assert service.phones.get(contact=None).number == "01632 960444"
    assert service.cost_options.get().amount == 0
    assert [language.code for language in service.languages.all()] == ["ur"]
    assert [t.code for t in service.terms.all()] == ["one-to-one"]
    assert {record.source for record in Schedule.objects.all()} == {FEED}
    assert AuditEntry.objects.filter(action="inclusion.feed_import").count() == 1


def test_imported_services_are_published_when_the_officer_chooses(officer):
    feeds.feed_import(actor=officer, source=FEED, services=[service_record()], publish=True)

    assert Service.objects.get().state == "published"


def test_importing_the_same_feed_again_keeps_its_records_in_step(officer):
    ours = ServiceFactory(name_en_gb="Our own help")
    elsewhere = service_record("Elsewhere")
    elsewhere["organization"] = {**elsewhere["organization"], "id": _id("Other"), "name": "Other"}
    feeds.feed_import(actor=officer, source=OTHER_FEED, services=[elsewhere])
    feeds.feed_import(
        actor=officer,
        source=FEED,
        services=[service_record(), service_record("Gone soon")],
        publish=True,
    )

    result = feeds.feed_import(
        actor=officer,
        source=FEED,
        services=[service_record(description="Now on Saturdays too.")],
        publish=True,
    )

    assert (result.created, result.updated, result.withdrawn) == (0, 1, 1)
    assert Service.objects.get(name="Digital Drop-in").description == "Now on Saturdays too."
    assert Service.objects.get(name="Gone soon").state == "draft"
    assert Service.objects.get(pk=ours.pk).source == "townhall"
    assert Service.objects.get(name="Elsewhere").source == OTHER_FEED
    assert (
        Schedule.objects.filter(service_at_location__service__name="Digital Drop-in").count() == 2
    )
    assert Location.objects.filter(source=FEED).count() == 2  # the withdrawn one's stays


def test_a_feed_with_bad_records_is_reported_row_by_row_and_nothing_is_imported(client, officer):
    good = service_record("Good")
    bad_place = service_record("Bad place")
    bad_place["service_at_locations"][0]["location"]["latitude"] = 100
    bad_hours = service_record("Bad hours")
    bad_hours["schedules"][0].update(opens_at="9am", byday="MO,XX")
    twin = service_record("Twin", id=good["id"])
    client.force_login(officer)
    upload = SimpleUploadedFile(
        "feed.json", json.dumps([page(good, bad_place), page(bad_hours, twin)]).encode()
    )

    response = client.post("/digital-help/manage/import/", {"address": FEED, "file": upload})

    assert response.status_code == 400
    html = response.content.decode()
    assert "4 problems were found. Nothing was changed." in html
    location = bad_place["service_at_locations"][0]["location"]["id"]
    schedule = bad_hours["schedules"][0]["id"]
    for record, field in ((location, "latitude"), (schedule, "opens_at"), (schedule, "byday")):
        assert f'<td class="govuk-table__cell govuk-!-text-break-word">{record}</td>' in html
        assert f">{field}</td>" in html
    assert "The id is used by more than one record" in html
    assert not Service.objects.exists() and not Organization.objects.exists()


def test_a_feed_cannot_take_over_records_of_another_source(officer):
    ours = ServiceFactory()

    with pytest.raises(feeds.FeedInvalid) as refused:
        feeds.feed_import(actor=officer, source=FEED, services=[service_record(id=str(ours.pk))])

    [problem] = refused.value.problems
    assert (problem.record, problem.field) == (str(ours.pk), "id")
    assert "townhall" in problem.message


def test_an_officer_imports_a_feed_from_its_address_through_the_guarded_client(
    client, officer, monkeypatch
):
    asked = []
    listed = {k: v for k, v in service_record().items() if k != "service_at_locations"}

    def answer(url, *, guard, headers=None, **kwargs):
        asked.append(url)
        body = page(listed) if "?" in url else service_record()
        return outbound.Answer(
            url=url, status=200, content_type="application/json", body=json.dumps(body).encode()
        )

    monkeypatch.setattr(outbound, "request", answer)
    client.force_login(officer)

    response = client.post("/digital-help/manage/import/", {"address": FEED, "publish": "on"})

    assert response.status_code == 302
    assert asked == [f"{FEED}/services?page=1&per_page=100", f"{FEED}/services/{listed['id']}"]
    assert Service.objects.get().state == "published"
    assert ServiceAtLocation.objects.count() == 1


def test_a_feed_that_cannot_be_reached_is_reported(client, officer, monkeypatch):
    def refuse(url, **kwargs):
        raise outbound.FetchError("The server could not be reached: no route")

    monkeypatch.setattr(outbound, "request", refuse)
    client.force_login(officer)

    response = client.post("/digital-help/manage/import/", {"address": FEED})

    assert response.status_code == 400
    assert "The server could not be reached" in response.content.decode()


def test_an_upload_over_the_size_limit_is_refused(officer, monkeypatch):
    monkeypatch.setattr(feeds, "MAX_UPLOAD_BYTES", 10)

    with pytest.raises(feeds.FeedInvalid, match="problems"):
        feeds.feed_read_upload(SimpleUploadedFile("feed.json", b"[" + b" " * 20 + b"]"))


def test_html_in_an_imported_description_is_shown_as_text(client, officer):
    feeds.feed_import(
        actor=officer,
        source=FEED,
        services=[service_record(description="<img src=x onerror=alert(1)>Help")],
        publish=True,
    )
    service = Service.objects.get()

    html = client.get(f"/digital-help/services/{service.slug}/").content.decode()

    assert "<img src=x" not in html and "&lt;img src=x" in html


def test_people_without_the_directory_officer_role_cannot_import(client):
    from .factories import PartnerFactory

    client.force_login(PartnerFactory())

    assert client.get("/digital-help/manage/import/").status_code == 403
