"""The JSON API under /api/v1/consultations and the Atom feed of open consultations."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from townhall.participation import api, services

from .factories import ConsultationFactory, DocumentFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def test_consultation_list_pages_with_a_next_link(client, monkeypatch):
    monkeypatch.setattr(api, "PAGE_SIZE", 2)
    made = [ConsultationFactory() for _number in range(3)]
    ConsultationFactory(draft=True)
    first = client.get("/api/v1/consultations").json()
    assert [item["id"] for item in first["items"]] == [str(c.public_id) for c in made[:2]]
    second = client.get(first["next"]).json()
    assert [item["id"] for item in second["items"]] == [str(made[2].public_id)]
    assert second["next"] is None


def test_consultation_list_filters_by_state(client):
    ConsultationFactory(title="Open one")
    ConsultationFactory(closed=True, title="Closed one")
    items = client.get("/api/v1/consultations?state=closed").json()["items"]
    assert [item["title"] for item in items] == ["Closed one"]


def test_consultation_list_refuses_an_unknown_state_with_a_stable_code(client):
    answer = client.get("/api/v1/consultations?state=draft")
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "invalid_state"


def test_consultation_detail_has_documents_and_the_outcome_due_date(client):
    consultation = ConsultationFactory()
    DocumentFactory(consultation=consultation, kind="easy_read", title="Easy Read")
    body = client.get(f"/api/v1/consultations/{consultation.public_id}").json()
    assert body["title"] == consultation.title
    assert body["documents"] == [
        {
            "title": "Easy Read",
            "title_cy": "",
            "kind": "easy_read",
            "url": "https://www.example.org/document.pdf",
        }
    ]
    assert body["outcome"] is None
    assert body["url"].endswith(f"/consultations/{consultation.slug}/")


def test_draft_consultation_is_not_found_through_the_api(client):
    draft = ConsultationFactory(draft=True)
    answer = client.get(f"/api/v1/consultations/{draft.public_id}")
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "consultation_not_found"


def test_outcomes_are_listed_with_their_consultation(client, lead):
    consultation = ConsultationFactory(closed=True, author=lead)
    services.outcome_publish(
        actor=lead,
        consultation=consultation,
        you_said="Said",
        we_did="Did",
        what_changed="Changed",
        decision_title="Decision",
    )
    items = client.get("/api/v1/consultations/outcomes").json()["items"]
    assert [(item["consultation_id"], item["we_did"]) for item in items] == [
        (str(consultation.public_id), "Did")
    ]


def test_atom_feed_is_well_formed_and_lists_only_open_consultations(client):
    ConsultationFactory(title="Library services")
    ConsultationFactory(closed=True, title="Closed one")
    ConsultationFactory(draft=True, title="Draft one")
    answer = client.get(reverse("participation:feed"))
    assert answer["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(answer.content)  # noqa: S314 - our own feed, not untrusted input
    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}title").text.startswith("Open consultations")
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.find(f"{ATOM}title").text for entry in entries] == ["Library services"]
    entry = entries[0]
    for required in ("id", "updated", "link"):
        assert entry.find(f"{ATOM}{required}") is not None
    assert entry.find(f"{ATOM}id").text.startswith("urn:uuid:")
