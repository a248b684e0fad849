"""Rate-limited requests get a 429 page that says when to try again, and a Retry-After."""

import re

import pytest
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from tests.core.factories import PASSWORD
from townhall.core.ratelimit import (
    FormRateLimited,
    failure_record,
    failures_check,
    form_rate_limit,
)
from townhall.urls import handler429  # noqa: F401  (allauth looks it up in ROOT_URLCONF)
from townhall.urls import urlpatterns as site_urlpatterns

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@csrf_exempt
@form_rate_limit(rate="2/m")
def feedback_form(request):
    return HttpResponse("thanks" if request.method == "POST" else "form")


urlpatterns = [path("feedback/", feedback_form), *site_urlpatterns]


def retry_after(response) -> int:
    return int(response["Retry-After"])


def says_when(response) -> bool:
    when = r"(\d{1,2}(:\d\d)?(am|pm)|midday|midnight)"
    return bool(re.search(rf"You can try again in \d+ minutes?, at {when}\.", response.text))


def test_public_form_allows_posts_up_to_its_rate(client):
    assert [client.post("/feedback/").status_code for _ in range(2)] == [200, 200]


def test_public_form_over_its_rate_gets_a_429_saying_when(client):
    for _ in range(2):
        client.post("/feedback/")

    response = client.post("/feedback/")

    assert response.status_code == 429
    assert 1 <= retry_after(response) <= 60
    assert says_when(response)
    assert "Too many attempts" in response.text


def test_public_form_counts_only_posts(client):
    for _ in range(5):
        client.get("/feedback/")

    assert client.post("/feedback/").status_code == 200


def test_public_form_uses_the_site_wide_rate_by_default(rf, settings):
    settings.TOWNHALL_FORM_RATE = "1/h"
    limited = form_rate_limit(lambda request: HttpResponse("ok"))
    request = rf.post("/anything/")

    assert limited(request).status_code == 200
    with pytest.raises(FormRateLimited) as refusal:
        limited(request)
    assert 1 <= refusal.value.retry_after <= 3600


def test_allauth_sign_in_over_its_rate_gets_our_429_saying_when(client, settings, resident):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "2/m/ip"}
    for _ in range(2):
        client.post("/accounts/login/", {"login": resident.email, "password": "wrong"})

    response = client.post("/accounts/login/", {"login": resident.email, "password": PASSWORD})

    assert response.status_code == 429
    assert 55 <= retry_after(response) <= 60
    assert says_when(response)
    assert "You can try again in 1 minute" in response.text


def test_allauth_sign_up_over_its_rate_gets_our_429_saying_when(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "1/h/ip"}
    client.post("/accounts/signup/", {"email": "a@example.org"})

    response = client.post("/accounts/signup/", {"email": "b@example.org"})

    assert response.status_code == 429
    assert 3500 <= retry_after(response) <= 3600
    assert "You can try again in 60 minutes" in response.text


def test_too_many_wrong_passwords_for_one_address_says_when_to_try_again(
    client, settings, resident
):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "2/5m/key"}
    for _ in range(2):
        client.post("/accounts/login/", {"login": resident.email, "password": "wrong"})

    response = client.post("/accounts/login/", {"login": resident.email, "password": "wrong"})

    assert response.status_code == 200
    assert "You have tried to sign in too many times. Try again in 5 minutes." in response.text


def test_429_without_a_known_wait_asks_for_a_few_minutes_and_sends_no_retry_after(rf):
    from django.contrib.auth.models import AnonymousUser

    from townhall.core.views.errors import rate_limited

    request = rf.get("/somewhere/")
    request.user = AnonymousUser()
    response = rate_limited(request)

    assert response.status_code == 429
    assert "Retry-After" not in response
    assert "Wait a few minutes and try again." in response.content.decode()


def test_failures_check_refuses_at_the_ceiling_of_failures_for_that_key_only():
    ceiling = {"group": "tests.guesses", "rate": "2/h"}
    for _failure in range(2):
        failures_check(**ceiling, key="budget-1")
        failure_record(**ceiling, key="budget-1")

    with pytest.raises(FormRateLimited) as refused:
        failures_check(**ceiling, key="budget-1", reason="Paused for everyone.")

    assert 0 < refused.value.retry_after <= 3600
    assert refused.value.reason == "Paused for everyone."
    failures_check(**ceiling, key="budget-2")


def test_429_page_gives_a_shared_limits_reason_instead_of_blaming_the_person(rf):
    from django.contrib.auth.models import AnonymousUser

    from townhall.core.views.errors import rate_limited

    request = rf.post("/somewhere/")
    request.user = AnonymousUser()
    response = rate_limited(request, FormRateLimited(90, reason="Checks are paused."))

    page = response.content.decode()
    assert response.status_code == 429
    assert "Checks are paused." in page
    assert "You have tried this too many times" not in page
    assert "You can try again in 2 minutes" in page


def test_postcode_finder_is_rate_limited_and_says_when_to_try_again(client):
    from townhall.core.views.geography import LOOKUP_RATE

    allowed = int(LOOKUP_RATE.split("/")[0])
    for _attempt in range(allowed):
        assert client.get("/postcode/", {"postcode": "NB1 1AA"}).status_code != 429
    refused = client.get("/postcode/", {"postcode": "NB1 1AA"})
    assert refused.status_code == 429
    assert "You can try again in" in refused.text
    assert int(refused.headers["Retry-After"]) > 0


def test_api_over_its_rate_answers_429_with_a_stable_code_and_when(client, settings):
    settings.TOWNHALL_API_RATE = "3/m"
    answers = [client.get("/api/v1/search?q=parking") for _ in range(4)]
    assert [answer.status_code for answer in answers[:3]] == [200, 200, 200]
    refused = answers[3]
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert int(refused.headers["Retry-After"]) > 0


@pytest.fixture
def api_token(person):
    from townhall.opendata.services import api_token_create

    _token, secret = api_token_create(actor=person("data_publisher"), name="harvester")
    return secret


def test_api_token_holders_are_not_throttled_on_public_reads(client, settings, api_token):
    settings.TOWNHALL_API_RATE = "3/m"
    token = {"HTTP_AUTHORIZATION": f"Token {api_token}"}

    answers = [client.get("/api/v1/search?q=parking", **token) for _ in range(6)]

    assert [answer.status_code for answer in answers] == [200] * 6
    assert client.get("/api/v1/search?q=parking").status_code == 200  # visitors count apart


def test_the_throttles_token_look_up_does_not_sign_the_caller_in(client, api_token):
    answer = client.get("/api/v1/tasks/import/progress", HTTP_AUTHORIZATION=f"Token {api_token}")

    assert answer.status_code == 401


@pytest.mark.parametrize("credentials", ["Token thd_not-a-real-token", "Bearer something"])
def test_api_callers_without_a_valid_token_are_throttled_as_visitors(
    client, settings, api_token, credentials
):
    settings.TOWNHALL_API_RATE = "3/m"
    answers = [
        client.get("/api/v1/search?q=parking", HTTP_AUTHORIZATION=credentials) for _ in range(4)
    ]

    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
