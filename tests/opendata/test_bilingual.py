"""Open data in English and Welsh: pages, publishers' forms, the JSON API, CKAN and DCAT."""

import pytest
from django.urls import reverse
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from townhall.opendata.models import Dataset

from .factories import DatasetFactory, LinkResourceFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def libraries():
    """A published dataset written in English and Welsh, with one resource in English only."""
    dataset = DatasetFactory(
        published=True,
        slug="library-visits",
        title="Library visits",
        title_cy="Ymweliadau â llyfrgelloedd",
        description="Visits to each library.",
        description_cy="Ymweliadau â phob llyfrgell ŵyr ŷd.",
    )
    LinkResourceFactory(dataset=dataset, name="Visits by month", name_cy="")
    return dataset


def test_dataset_page_in_welsh_shows_the_welsh_metadata(client, libraries):
    html = client.get("/cy/data/library-visits/").text
    assert '<h1 class="govuk-heading-xl">Ymweliadau â llyfrgelloedd</h1>' in html
    assert "Ymweliadau â phob llyfrgell ŵyr ŷd." in html
    assert html.count('lang="en"') >= 1


def test_dataset_page_in_welsh_marks_english_it_falls_back_to(client, libraries):
    html = client.get("/cy/data/library-visits/").text
    assert '<span lang="en">Visits by month</span>' in html
    publisher = libraries.publisher.title
    assert f'<span class="govuk-caption-l"><span lang="en">{publisher}</span></span>' in html


def test_dataset_page_in_english_marks_nothing_as_english(client, libraries):
    html = client.get("/data/library-visits/").text
    assert '<h1 class="govuk-heading-xl">Library visits</h1>' in html
    assert '<span lang="en">' not in html


def test_dcat_tags_each_literal_with_its_language(client, libraries):
    response = client.get("/dataset/library-visits.ttl")
    graph = Graph().parse(data=response.content.decode(), format="turtle")
    node = URIRef(f"http://testserver/dataset/{libraries.pk}")
    titles = set(graph.objects(node, DCTERMS.title))
    assert titles == {
        Literal("Library visits", lang="en"),
        Literal("Ymweliadau â llyfrgelloedd", lang="cy"),
    }


def test_ckan_package_gives_english_fields_with_translations_alongside(client, libraries):
    result = client.get("/api/3/action/package_show", {"id": "library-visits"}).json()["result"]
    assert result["title"] == "Library visits"
    assert result["title_translated"] == {
        "en": "Library visits",
        "cy": "Ymweliadau â llyfrgelloedd",
    }
    assert result["notes_translated"]["cy"] == "Ymweliadau â phob llyfrgell ŵyr ŷd."
    assert result["resources"][0]["name_translated"] == {"en": "Visits by month", "cy": ""}


def test_json_api_gives_both_languages(client, libraries):
    data = client.get("/api/v1/data/datasets/library-visits").json()
    assert (data["title"], data["title_cy"]) == ("Library visits", "Ymweliadau â llyfrgelloedd")
    assert data["resources"][0]["name_cy"] == ""


def test_dataset_form_shows_each_welsh_field_beside_its_english(client, person):
    client.force_login(person("data_publisher", is_staff=True))
    html = client.get(reverse("opendata:dataset_create")).text
    title, title_cy = html.index('name="title"'), html.index('name="title_cy"')
    assert title < title_cy < html.index('name="description"')
    assert "Title in Welsh" in html
    assert 'lang="cy"' in html


def test_dataset_form_stores_the_welsh_as_welsh_when_the_officer_works_in_welsh(client, person):
    client.force_login(person("data_publisher", is_staff=True))
    organisation = OrganisationFactory()
    response = client.post(
        "/cy/data/publish/new/",
        {
            "title": "Public toilets",
            "title_cy": "Toiledau cyhoeddus",
            "description": "",
            "description_cy": "",
            "publisher": organisation.pk,
            "licence": "OGL-UK-3.0",
            "update_frequency": "annual",
        },
    )
    assert response.status_code == 302
    dataset = Dataset.objects.get(slug="public-toilets")
    assert (dataset.title_en_gb, dataset.title_cy) == ("Public toilets", "Toiledau cyhoeddus")


def test_json_api_stores_welsh_sent_with_a_new_dataset(client, person):
    from townhall.opendata import services

    user = person("data_publisher", is_staff=True)
    _token, secret = services.api_token_create(actor=user, name="test")
    organisation = OrganisationFactory()
    response = client.post(
        "/api/v1/data/datasets",
        {"title": "Parks", "title_cy": "Parciau", "publisher": organisation.slug},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {secret}",
    )
    assert response.status_code == 201, response.content
    assert response.json()["title_cy"] == "Parciau"
    assert Dataset.objects.get(slug="parks").title_cy == "Parciau"


def test_ckan_and_dcat_answers_say_they_carry_both_languages(client, libraries):
    ckan = client.get("/api/3/action/package_show", {"id": "library-visits"})
    dcat = client.get("/dataset/library-visits.ttl")
    assert ckan["Content-Language"] == dcat["Content-Language"] == "en-GB, cy"


@pytest.mark.parametrize(("prefix", "language"), [("/", "en-gb"), ("/cy/", "cy")])
def test_dataset_page_says_its_language(client, libraries, prefix, language):
    assert client.get(f"{prefix}data/library-visits/")["Content-Language"] == language


@pytest.mark.parametrize("prefix", ["/", "/cy/"])
def test_catalogue_finds_a_dataset_by_a_welsh_or_an_english_word_on_either_page(
    client, libraries, prefix
):
    for word in ("llyfrgelloedd", "visits"):
        html = client.get(f"{prefix}data/", {"q": word}).text
        assert 'href="' + prefix + 'data/library-visits/"' in html, (word, prefix)


def test_admin_shows_a_publisher_s_name_in_english_and_welsh_to_read_only(client, person):
    """The publishers' pages (/data/publish/publishers/) change them; the admin only shows."""
    organisation = OrganisationFactory(title="Libraries", title_cy="Llyfrgelloedd")
    client.force_login(person(is_staff=True, is_superuser=True))

    html = client.get(f"/admin/opendata/organisation/{organisation.pk}/change/").text

    assert "Libraries" in html and "Llyfrgelloedd" in html
    assert 'name="title_cy"' not in html


def test_publishing_a_dataset_without_its_welsh_is_refused_when_the_council_requires_it(
    settings, person
):
    from django.core.exceptions import ValidationError

    from townhall.opendata import services

    settings.TOWNHALL_REQUIRE_WELSH = True
    dataset = DatasetFactory(title="Parks", title_cy="Parciau", description="Where they are.")
    with pytest.raises(ValidationError, match="Add the Welsh before publishing: description"):
        services.dataset_publish(actor=person("data_publisher", is_staff=True), dataset=dataset)
    dataset.refresh_from_db()
    assert dataset.status == Dataset.Status.DRAFT


def test_publishing_a_dataset_with_its_welsh_succeeds_when_the_council_requires_it(
    settings, person
):
    from townhall.opendata import services

    settings.TOWNHALL_REQUIRE_WELSH = True
    dataset = DatasetFactory(title="Parks", title_cy="Parciau", description="", description_cy="")
    services.dataset_publish(actor=person("data_publisher", is_staff=True), dataset=dataset)
    assert dataset.status == Dataset.Status.PUBLISHED


def test_officers_list_names_published_datasets_and_files_lacking_welsh(client, person, libraries):
    DatasetFactory(title="A draft without Welsh")
    client.force_login(person("data_publisher", is_staff=True))
    html = client.get("/cy/manage/welsh/").text
    assert "Library visits: Visits by month" in html
    assert "A draft without Welsh" not in html
    assert ">Library visits<" not in html


def test_officers_list_is_refused_to_residents(client, resident):
    client.force_login(resident)
    assert client.get("/manage/welsh/").status_code == 403


def test_site_search_finds_a_dataset_by_a_welsh_word(client, libraries):
    from townhall.core.services.search import search_index_update

    search_index_update("dataset", libraries)
    html = client.get("/cy/search/", {"q": "llyfrgelloedd"}).text
    assert 'href="/cy/data/library-visits/"' in html
