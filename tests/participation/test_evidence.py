"""Citing open datasets as evidence, through the interface core declares (no module import)."""

import dataclasses

import pytest
from django.db import IntegrityError
from django.urls import reverse

from townhall.core.registry import registry
from townhall.opendata import selectors as opendata_selectors
from townhall.participation import services
from townhall.participation.models import DatasetReference

from ..opendata.factories import DatasetFactory
from .factories import ConsultationFactory

pytestmark = pytest.mark.django_db


def _citations(consultation):
    return opendata_selectors.citations_of(
        cited_by_app="participation", cited_by_key=str(consultation.public_id)
    )


@pytest.fixture
def without_open_data():
    """The platform as installed without the open data module's evidence provider."""
    installed = registry.get("opendata")
    registry.register(dataclasses.replace(installed, evidence_provider=None))
    yield
    registry.register(installed)


def test_dataset_reference_links_and_cites_the_catalogues_dataset(lead):
    consultation = ConsultationFactory(author=lead)
    DatasetFactory(published=True, slug="library-visits", title="Library visits")
    reference = services.dataset_reference_add(
        actor=lead, consultation=consultation, dataset_slug="library-visits"
    )
    assert reference.title == "Library visits"
    assert reference.url.startswith("/data/library-visits")
    assert len(_citations(consultation)) == 1


def test_dataset_citation_rolls_back_with_the_callers_transaction(lead, monkeypatch):
    consultation = ConsultationFactory(author=lead)
    DatasetFactory(published=True, slug="library-visits")

    def refuse(**kwargs):
        raise IntegrityError("the reference could not be stored")

    monkeypatch.setattr(DatasetReference.objects, "update_or_create", refuse)
    with pytest.raises(IntegrityError):
        services.dataset_reference_add(
            actor=lead, consultation=consultation, dataset_slug="library-visits"
        )
    assert _citations(consultation) == []


def test_dataset_reference_is_kept_unlinked_when_no_evidence_provider_is_installed(
    lead, without_open_data
):
    consultation = ConsultationFactory(author=lead)
    DatasetFactory(published=True, slug="library-visits", title="Library visits")
    reference = services.dataset_reference_add(
        actor=lead, consultation=consultation, dataset_slug="library-visits"
    )
    assert (reference.title, reference.url) == ("library-visits", "/data/library-visits/")
    assert _citations(consultation) == []


def test_documents_page_says_datasets_stay_unlinked_when_no_evidence_provider_is_installed(
    client, lead, without_open_data
):
    consultation = ConsultationFactory(author=lead, draft=True)
    client.force_login(lead)
    page = client.get(reverse("participation:manage_documents", args=[consultation.slug]))
    assert "This site has no data catalogue" in page.text


def test_documents_page_offers_the_catalogue_when_open_data_is_installed(client, lead):
    consultation = ConsultationFactory(author=lead, draft=True)
    client.force_login(lead)
    page = client.get(reverse("participation:manage_documents", args=[consultation.slug]))
    assert page.status_code == 200
    assert "This site has no data catalogue" not in page.text
