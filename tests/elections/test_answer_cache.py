"""Where-to-vote answers kept whole for anonymous visitors (core.response_cache, ADR 0045):
served again without Django's page machinery, apart by language and encoding, never for
a signed-in visitor, and replaced within a second of an officer's change."""

import gzip
import time

import pytest
from django.urls import reverse

from tests.elections.factories import BallotFactory, ElectionFactory
from tests.elections.test_lookup_cache import XPRESS
from townhall.core.response_cache import store
from townhall.core.services.site import site_settings_update
from townhall.elections import services

URL = reverse("elections:where_to_vote")
API = "/api/v1/elections/postcode/NB11AA/"


def _kept(response) -> bool:
    """Whether the answer came from the kept copy (a cache says how old it is: Age)."""
    return "Age" in response


def test_an_anonymous_answer_is_kept_and_served_again_without_the_database(
    client, stations, django_assert_num_queries
):
    first = client.get(URL, {"postcode": "NB1 1AA"})
    assert first.status_code == 200 and not _kept(first)

    with django_assert_num_queries(0):
        again = client.get(URL, {"postcode": "NB1 1AA"})

    assert _kept(again)
    assert again.content == first.content
    assert "St Peter&#x27;s Hall" in again.text


def test_the_api_answer_is_kept_too(client, stations, django_assert_num_queries):
    first = client.get(API)

    with django_assert_num_queries(0):
        again = client.get(API)

    assert _kept(again) and again.json() == first.json()
    assert again["Content-Type"] == "application/json; charset=utf-8"


def test_kept_answers_say_shared_caches_may_keep_them_a_minute(client, stations):
    client.get(URL, {"postcode": "NB1 1AA"})
    for response in (client.get(URL, {"postcode": "NB1 1AA"}), client.get(API), client.get(API)):
        assert response["Cache-Control"] == "public, max-age=60"
        assert "Accept-Encoding" in response["Vary"]
    # The page differs for a signed-in visitor (its header), so a shared cache keys it by
    # cookie too; the API's answer does not.
    assert "Cookie" in client.get(URL, {"postcode": "NB1 1AA"})["Vary"]
    assert "Cookie" not in client.get(API)["Vary"]


def test_a_kept_answer_carries_the_same_security_headers_and_no_nonce(client, stations):
    first = client.get(URL, {"postcode": "NB1 1AA"})
    again = client.get(URL, {"postcode": "NB1 1AA"})

    assert _kept(again)
    policy = again["Content-Security-Policy"]
    assert policy == first["Content-Security-Policy"] and "nonce" not in policy
    for header in ("X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"):
        assert again[header] == first[header]
    assert "csrfmiddlewaretoken" not in again.text


@pytest.mark.django_db(transaction=True)
def test_an_import_reaches_kept_answers_within_the_check_interval(
    client, stations, elections_officer, settings
):
    settings.RESPONSE_CACHE_CHECK_SECONDS = 0.5
    assert "St Peter&#x27;s Hall" in client.get(URL, {"postcode": "NB1 1AA"}).text

    services.polling_data_import(
        actor=elections_officer, layout="xpress-weblookup", addresses=XPRESS
    )

    # Within the interval this process has not asked again: the kept answer stands...
    soon = client.get(URL, {"postcode": "NB1 1AA"})
    assert _kept(soon) and "St Peter&#x27;s Hall" in soon.text
    time.sleep(0.6)
    # ...and once it has passed, the first request sees the change.
    later = client.get(URL, {"postcode": "NB1 1AA"})
    assert not _kept(later) and "Moorend Library" in later.text


def test_an_access_edit_reaches_the_kept_page_and_api_answer(
    client, stations, riverside, elections_officer, django_capture_on_commit_callbacks
):
    hall, _ = stations
    BallotFactory(election=ElectionFactory(), ward_code=riverside.code, ward_name="Riverside")
    client.get(URL, {"postcode": "NB1 1AA"})
    client.get(API)

    with django_capture_on_commit_callbacks(execute=True):
        services.polling_station_describe(
            actor=elections_officer, station=hall, accessibility="Ramp at the side door"
        )

    assert "Ramp at the side door" in client.get(URL, {"postcode": "NB1 1AA"}).text
    station = client.get(API).json()["dates"][0]["polling_station"]["station"]
    assert station["properties"]["accessibility"] == "Ramp at the side door"


def test_new_contact_details_in_the_site_settings_reach_the_kept_answer(
    client, stations, administrator, django_capture_on_commit_callbacks
):
    client.get(URL, {"postcode": "NB1 1AA"})
    with django_capture_on_commit_callbacks(execute=True):
        site_settings_update(actor=administrator, changes={"contact_phone": "01632 960 999"})

    page = client.get(URL, {"postcode": "NB1 1AA"})

    assert not _kept(page) and "01632 960 999" in page.text


def test_a_signed_in_person_neither_gets_nor_fills_the_kept_answers(client, stations, resident):
    client.get(URL, {"postcode": "NB1 1AA"})
    client.force_login(resident)

    mine = client.get(URL, {"postcode": "NB1 1AA"})

    assert not _kept(mine) and "Your account" in mine.text
    assert "public" not in mine.get("Cache-Control", "")
    client.get(URL, {"postcode": "NB1 2AB"})
    client.logout()
    assert not _kept(client.get(URL, {"postcode": "NB1 2AB"}))


@pytest.mark.parametrize("cookie", ["sessionid", "csrftoken", "messages"])
def test_a_visitor_sending_a_cookie_is_answered_afresh(client, stations, cookie):
    client.get(URL, {"postcode": "NB1 1AA"})
    client.cookies[cookie] = "something"

    assert not _kept(client.get(URL, {"postcode": "NB1 1AA"}))


def test_a_post_is_never_kept_nor_answered_from_the_kept_copy(client, stations):
    client.get(URL, {"postcode": "NB1 1AA"})
    kept = len(store)

    client.post(f"{URL}?postcode=NB1+1AA")
    client.post(f"{URL}?postcode=NB1+2AB")

    assert len(store) == kept
    assert not _kept(client.post(f"{URL}?postcode=NB1+1AA"))


def test_welsh_and_english_answers_are_kept_apart(client, stations):
    for _ in range(2):
        english = client.get(URL, {"postcode": "NB1 1AA"})
        welsh = client.get("/cy" + URL, {"postcode": "NB1 1AA"})

    assert _kept(english) and _kept(welsh)
    assert '<html lang="en-gb"' in english.text and "Your polling station" in english.text
    assert '<html lang="cy"' in welsh.text and english["Content-Language"] == "en-gb"
    assert welsh["Content-Language"] == "cy"


def test_gzip_and_identity_answers_are_kept_apart(client, stations):
    for _ in range(2):
        plain = client.get(URL, {"postcode": "NB1 1AA"})
        packed = client.get(URL, {"postcode": "NB1 1AA"}, headers={"accept-encoding": "gzip"})

    assert _kept(plain) and _kept(packed)
    assert "Content-Encoding" not in plain and packed["Content-Encoding"] == "gzip"
    assert b"Your polling station" in gzip.decompress(packed.content)


@pytest.mark.parametrize(
    ("path", "status"),
    [
        (f"{URL}?postcode=NB9+9ZZ", 400),
        (f"{URL}?postcode=NOT+A+POSTCODE", 400),
        (reverse("elections:where_to_vote_at", args=["404404"]), 404),
        ("/api/v1/elections/postcode/NB99ZZ/", 404),
    ],
)
def test_answers_that_are_not_a_200_are_not_kept(client, riverside, path, status):
    assert client.get(path).status_code == status
    again = client.get(path)
    assert again.status_code == status and not _kept(again)
    assert len(store) == 0


def test_a_flood_of_new_postcodes_is_still_limited_while_kept_answers_are_served(
    client, stations, settings
):
    settings.ELECTIONS_LOOKUP_RATE = "3/m"
    for postcode in ("NB1 1AA", "NB1 2AB", "NB1 3AD"):
        assert client.get(URL, {"postcode": postcode}).status_code == 200

    assert client.get(URL, {"postcode": "NB1 4AA"}).status_code == 429
    # A postcode already answered costs nothing, so the limit does not stop it.
    again = client.get(URL, {"postcode": "NB1 1AA"})
    assert again.status_code == 200 and _kept(again)


def test_each_process_keeps_a_bounded_number_of_answers_least_recently_used_first(
    client, stations, settings
):
    settings.RESPONSE_CACHE_MAX_ENTRIES = 2
    for postcode in ("NB1 1AA", "NB1 2AB", "NB1 1AA", "NB1 3AD"):
        client.get(URL, {"postcode": postcode})

    assert len(store) == 2
    assert _kept(client.get(URL, {"postcode": "NB1 1AA"}))
    assert not _kept(client.get(URL, {"postcode": "NB1 2AB"}))
