"""Kept public answers (core.response_cache): a view that declares itself public is kept
only when its answer holds nothing for one visitor, whatever it declared."""

import pytest
from django.contrib import messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import path
from django.utils.csp import CSP
from django.views.decorators.cache import never_cache

from townhall.core.response_cache import public_answer, store

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

GENERATION = {"now": "first"}


def _generation() -> str:
    return GENERATION["now"]


public = public_answer(generation=_generation)


@public
def plain(request):
    return HttpResponse("the same for everyone")


@public
def with_form_token(request):
    return HttpResponse(f"<input name=csrfmiddlewaretoken value={get_token(request)}>")


@public
def with_message(request):
    messages.info(request, "Saved.")
    return HttpResponse("a message waits")


@public
def with_nonce(request):
    return HttpResponse(f"<script nonce={request._csp_nonce}></script>")


@public
@never_cache
def marked_private(request):
    return HttpResponse("not for sharing")


urlpatterns = [
    path("plain/", plain),
    path("token/", with_form_token),
    path("message/", with_message),
    path("nonce/", with_nonce),
    path("private/", marked_private),
]


@pytest.fixture(autouse=True)
def _first_generation():
    GENERATION["now"] = "first"


def test_a_declared_answer_is_kept_until_its_generation_changes(client):
    assert "Age" not in client.get("/plain/")
    assert "Age" in client.get("/plain/")

    GENERATION["now"] = "second"

    assert "Age" not in client.get("/plain/")
    assert "Age" in client.get("/plain/")


@pytest.mark.parametrize("address", ["/token/", "/message/", "/private/"])
def test_an_answer_for_one_visitor_is_never_kept(client, address):
    client.get(address)
    client.cookies.clear()

    assert "Age" not in client.get(address)
    assert len(store) == 0


def test_an_answer_whose_policy_names_a_nonce_is_never_kept(client, settings):
    settings.SECURE_CSP = {**settings.SECURE_CSP, "script-src": [CSP.SELF, CSP.NONCE]}

    client.get("/nonce/")

    assert "Age" not in client.get("/nonce/")
    assert len(store) == 0


def test_a_request_with_credentials_is_answered_afresh(client):
    client.get("/plain/")

    assert "Age" not in client.get("/plain/", headers={"authorization": "Bearer x"})


def test_each_host_is_kept_apart(client, settings):
    settings.ALLOWED_HOSTS = ["one.example", "two.example"]
    client.get("/plain/", headers={"host": "one.example"})

    assert "Age" not in client.get("/plain/", headers={"host": "two.example"})
    assert "Age" in client.get("/plain/", headers={"host": "one.example"})
