"""The catalogue as DCAT-AP (JSON-LD, Turtle, RDF/XML) and schema.org, parsed back as RDF.

Every document is read back with rdflib, so a test fails if the output is not RDF.
Paging follows ckanext-dcat: `?page=N`, 100 datasets a page, Hydra links.
"""

import json
from datetime import UTC, date, datetime

import pytest
from defusedxml import ElementTree
from django.db import connection
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, SKOS

from townhall.opendata import dcat
from townhall.opendata.models import Dataset, Keyword, Organisation, Resource, ResourceVersion

from .factories import DatasetFactory, ThemeFactory, upload

pytestmark = pytest.mark.django_db

DCAT = Namespace("http://www.w3.org/ns/dcat#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
BASE = "http://testserver"
RDFLIB_FORMATS = {"jsonld": "json-ld", "ttl": "turtle", "xml": "xml", "rdf": "xml"}
OGL = URIRef("http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/")


def fetch(client, url, extension):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    graph = Graph()
    graph.parse(data=response.content, format=RDFLIB_FORMATS[extension])
    return response, graph


def dataset_node(dataset):
    return URIRef(f"{BASE}/dataset/{dataset.id}")


@pytest.fixture
def full_dataset(publisher):
    """A published dataset with every DCAT property filled, and an uploaded CSV."""
    dataset = DatasetFactory(
        published=True,
        title="Household recycling",
        slug="household-recycling",
        update_frequency="quarterly",
        temporal_start=date(2023, 4, 1),
        temporal_end=date(2025, 3, 31),
        spatial_coverage="Northbridge",
        spatial_area_code="E07000999",
        contact_name="Waste team",
        contact_email="waste@northbridge.example",
        last_updated=datetime(2025, 5, 1, 9, 30, tzinfo=UTC),
        themes=[ThemeFactory(slug="environment", title="Environment")],
    )
    dataset.keywords.add(Keyword.objects.create(name="recycling"))
    upload(publisher, dataset, filename="recycling.csv")
    return dataset


@pytest.mark.parametrize("extension", ["jsonld", "ttl", "xml"])
def test_catalogue_parses_as_rdf_with_a_catalog_published_by_the_council(client, extension):
    DatasetFactory(published=True)
    _response, graph = fetch(client, f"/catalog.{extension}", extension)
    catalog = URIRef(f"{BASE}/")
    assert (catalog, RDF.type, DCAT.Catalog) in graph
    assert graph.value(catalog, DCTERMS.title)
    council = graph.value(catalog, DCTERMS.publisher)
    assert graph.value(council, FOAF.name)
    assert len(list(graph.objects(catalog, DCAT.dataset))) == 1


@pytest.mark.parametrize("extension", ["jsonld", "ttl", "xml"])
def test_catalogue_never_lists_drafts(client, extension):
    shown = DatasetFactory(published=True, title="Public toilets")
    draft = DatasetFactory(title="Secret draft plans")
    response, graph = fetch(client, f"/catalog.{extension}", extension)
    identifiers = {str(value) for value in graph.objects(None, DCTERMS.identifier)}
    assert str(shown.id) in identifiers
    assert str(draft.id) not in identifiers
    assert b"Secret draft plans" not in response.content


def test_catalogue_documents_are_served_with_rdf_media_types(client):
    assert client.get("/catalog.ttl")["Content-Type"].startswith("text/turtle")
    assert client.get("/catalog.jsonld")["Content-Type"] == "application/ld+json"
    assert client.get("/catalog.xml")["Content-Type"] == "application/rdf+xml"


def test_dataset_carries_the_dcat_ap_properties(client, full_dataset):
    _response, graph = fetch(client, "/dataset/household-recycling.ttl", "ttl")
    node = dataset_node(full_dataset)
    assert (node, RDF.type, DCAT.Dataset) in graph
    assert graph.value(node, DCTERMS.identifier) == Literal(str(full_dataset.id))
    assert graph.value(node, DCTERMS.title) == Literal("Household recycling", lang="en")
    assert graph.value(node, DCTERMS.description)
    assert graph.value(node, DCAT.keyword) == Literal("recycling")
    assert graph.value(node, DCAT.landingPage) == URIRef(f"{BASE}/data/household-recycling/")
    assert graph.value(node, DCTERMS.accrualPeriodicity) == URIRef(
        "http://publications.europa.eu/resource/authority/frequency/QUARTERLY"
    )
    assert graph.value(node, DCTERMS.issued).datatype == XSD.dateTime
    assert graph.value(node, DCTERMS.modified).datatype == XSD.dateTime
    theme = graph.value(node, DCAT.theme)
    assert graph.value(theme, SKOS.prefLabel) == Literal("Environment", lang="en")


def test_dataset_publisher_and_contact_point(client, full_dataset):
    _response, graph = fetch(client, "/dataset/household-recycling.jsonld", "jsonld")
    node = dataset_node(full_dataset)
    publisher = graph.value(node, DCTERMS.publisher)
    assert (publisher, RDF.type, FOAF.Agent) in graph
    assert graph.value(publisher, FOAF.name) == Literal(full_dataset.publisher.title, lang="en")
    contact = graph.value(node, DCAT.contactPoint)
    assert graph.value(contact, VCARD.fn) == Literal("Waste team")
    assert graph.value(contact, VCARD.hasEmail) == URIRef("mailto:waste@northbridge.example")


def test_dataset_temporal_and_spatial_coverage(client, full_dataset):
    _response, graph = fetch(client, "/dataset/household-recycling.rdf", "rdf")
    node = dataset_node(full_dataset)
    period = graph.value(node, DCTERMS.temporal)
    assert (period, RDF.type, DCTERMS.PeriodOfTime) in graph
    assert graph.value(period, DCAT.startDate) == Literal(date(2023, 4, 1), datatype=XSD.date)
    assert graph.value(period, DCAT.endDate) == Literal(date(2025, 3, 31), datatype=XSD.date)
    place = graph.value(node, DCTERMS.spatial)
    assert place == URIRef("http://statistics.data.gov.uk/id/statistical-geography/E07000999")
    assert graph.value(place, SKOS.prefLabel) == Literal("Northbridge")


def test_distribution_of_an_upload(client, full_dataset):
    _response, graph = fetch(client, "/dataset/household-recycling.ttl", "ttl")
    distribution = graph.value(dataset_node(full_dataset), DCAT.distribution)
    resource = full_dataset.resources.get()
    assert (distribution, RDF.type, DCAT.Distribution) in graph
    assert graph.value(distribution, DCAT.downloadURL) == URIRef(
        f"{BASE}/data/household-recycling/{resource.id}/file/"
    )
    assert graph.value(distribution, DCAT.accessURL) == URIRef(
        f"{BASE}/data/household-recycling/{resource.id}/"
    )
    assert graph.value(distribution, DCTERMS["format"]) == URIRef(
        "http://publications.europa.eu/resource/authority/file-type/CSV"
    )
    assert graph.value(distribution, DCAT.mediaType) == URIRef(
        "https://www.iana.org/assignments/media-types/text/csv"
    )
    assert graph.value(distribution, DCTERMS.license) == OGL
    size = graph.value(distribution, DCAT.byteSize)
    assert int(size) == resource.current_version.size
    assert size.datatype == XSD.nonNegativeInteger


def test_dataset_document_of_a_draft_is_not_found(client):
    DatasetFactory(slug="draft-budget")
    for extension in ("ttl", "jsonld", "rdf"):
        assert client.get(f"/dataset/draft-budget.{extension}").status_code == 404


def test_dataset_uri_leads_to_its_page(client):
    dataset = DatasetFactory(published=True, slug="bins")
    response = client.get(f"/dataset/{dataset.id}")
    assert response.status_code == 303
    assert response["Location"] == f"{BASE}/data/bins/"


def test_first_page_says_100_per_page_and_the_total(client):
    DatasetFactory.create_batch(3, published=True)
    _response, graph = fetch(client, "/catalog.ttl", "ttl")
    view = URIRef(f"{BASE}/catalog.ttl?page=1")
    assert (view, RDF.type, HYDRA.PartialCollectionView) in graph
    assert int(graph.value(view, HYDRA.itemsPerPage)) == 100
    assert int(graph.value(view, HYDRA.totalItems)) == 3
    assert graph.value(view, HYDRA.next) is None


@pytest.fixture
def five_datasets_two_a_page(monkeypatch):
    monkeypatch.setattr(dcat, "DATASETS_PER_PAGE", 2)
    return DatasetFactory.create_batch(5, published=True)


def page_links(graph, page, extension="ttl"):
    view = URIRef(f"{BASE}/catalog.{extension}?page={page}")
    return {
        name: str(graph.value(view, HYDRA[name]) or "")
        for name in ("first", "last", "next", "previous")
    }


def test_paging_links_on_the_first_middle_and_last_pages(client, five_datasets_two_a_page):
    _response, first = fetch(client, "/catalog.ttl", "ttl")
    assert page_links(first, 1) == {
        "first": f"{BASE}/catalog.ttl?page=1",
        "last": f"{BASE}/catalog.ttl?page=3",
        "next": f"{BASE}/catalog.ttl?page=2",
        "previous": "",
    }
    _response, middle = fetch(client, "/catalog.ttl?page=2", "ttl")
    assert page_links(middle, 2)["previous"] == f"{BASE}/catalog.ttl?page=1"
    assert page_links(middle, 2)["next"] == f"{BASE}/catalog.ttl?page=3"
    _response, last = fetch(client, "/catalog.ttl?page=3", "ttl")
    assert page_links(last, 3)["next"] == ""
    assert len(list(last.subjects(RDF.type, DCAT.Dataset))) == 1


def test_pages_together_list_every_dataset_once(client, five_datasets_two_a_page):
    seen = []
    for page in (1, 2, 3):
        _response, graph = fetch(client, f"/catalog.jsonld?page={page}", "jsonld")
        seen += [str(value) for value in graph.objects(None, DCTERMS.identifier)]
    assert sorted(seen) == sorted(str(dataset.id) for dataset in five_datasets_two_a_page)


def test_the_older_hydra_paging_terms_are_given_too(client, five_datasets_two_a_page):
    _response, graph = fetch(client, "/catalog.xml", "xml")
    view = URIRef(f"{BASE}/catalog.xml?page=1")
    assert (view, RDF.type, HYDRA.PagedCollection) in graph
    assert str(graph.value(view, HYDRA.nextPage)) == f"{BASE}/catalog.xml?page=2"


def test_a_page_past_the_end_points_back_to_the_last(client, five_datasets_two_a_page):
    _response, graph = fetch(client, "/catalog.ttl?page=9", "ttl")
    assert page_links(graph, 9)["previous"] == f"{BASE}/catalog.ttl?page=3"
    assert not list(graph.subjects(RDF.type, DCAT.Dataset))


@pytest.mark.parametrize("page", ["0", "-1", "two", "10001", "99999999999999999999999"])
def test_a_page_that_is_not_a_positive_number_up_to_10000_is_refused(client, page):
    for extension in ("ttl", "jsonld", "xml"):
        assert client.get(f"/catalog.{extension}?page={page}").status_code == 400


def test_dataset_page_carries_schema_org_json_ld(client, full_dataset):
    response = client.get("/data/household-recycling/")
    html = response.content.decode()
    start = html.index('<script type="application/ld+json"')
    body = html[html.index(">", start) + 1 : html.index("</script>", start)]
    document = json.loads(body)
    assert document["@type"] == "Dataset"
    assert document["name"] == "Household recycling"
    assert document["license"] == str(OGL)
    assert document["temporalCoverage"] == "2023-04-01/2025-03-31"
    assert document["distribution"][0]["encodingFormat"] == "text/csv"


def test_schema_org_json_cannot_break_out_of_its_script_element(rf):
    dataset = DatasetFactory(published=True, title="Bins</script><script>alert(1)</script>")
    rendered = str(dcat.schema_org_json(dataset, request=rf.get("/")))
    assert "</script>" not in rendered and "<" not in rendered
    assert json.loads(rendered)["name"] == "Bins</script><script>alert(1)</script>"


@pytest.fixture
def hostile_dataset(publisher):
    """A published dataset whose stored text holds control characters, written around the
    services (as rows stored before inputs refused them would be). PostgreSQL cannot store
    NUL at all, so NUL is in the text only on SQLite."""
    hostile = ("\x00" if connection.vendor == "sqlite" else "") + "\x01\x08\x0b\x0c\x1b\x1f"
    dataset = DatasetFactory(published=True, slug="bins", spatial_area_code="E0700")
    version = upload(publisher, dataset, filename="bins.csv")
    Dataset.objects.filter(pk=dataset.pk).update(
        title=f"Bin{hostile} rounds",
        description=f"Where{hostile}\nand when",
        spatial_coverage=f"North{hostile}bridge",
        spatial_area_code=f"E0700{hostile}",
        contact_name=f"Waste{hostile} team",
    )
    Resource.objects.filter(pk=version.resource_id).update(
        name=f"Rounds{hostile}", description=f"Each{hostile} round"
    )
    ResourceVersion.objects.filter(pk=version.pk).update(filename=f"bins{hostile}.csv")
    Organisation.objects.filter(pk=dataset.publisher_id).update(title=f"Waste{hostile} services")
    dataset.keywords.add(Keyword.objects.create(name=f"bin{hostile}s"))
    dataset.themes.add(ThemeFactory(title=f"Environ{hostile}ment"))
    return dataset


@pytest.mark.parametrize(
    "url", ["/catalog.xml", "/catalog.rdf", "/dataset/bins.rdf", "/catalog.ttl"]
)
def test_rdf_documents_stay_well_formed_when_stored_text_holds_control_characters(
    client, hostile_dataset, url
):
    response = client.get(url)
    assert response.status_code == 200
    if url.endswith((".xml", ".rdf")):
        ElementTree.fromstring(response.content)
    extension = url.rsplit(".", 1)[1]
    _response, graph = fetch(client, url, extension)
    node = dataset_node(hostile_dataset)
    assert str(graph.value(node, DCTERMS.title)) == "Bin rounds"
    assert str(graph.value(node, DCTERMS.description)) == "Where\nand when"
    assert {str(keyword) for keyword in graph.objects(node, DCAT.keyword)} == {"bins"}


# --- modified_since, profiles and content negotiation (issue #16) -------------------------

SCHEMA = Namespace("http://schema.org/")


@pytest.fixture
def old_and_recent():
    """Two published datasets: one last changed in 2020, one changed now."""
    old = DatasetFactory(published=True, title="Old allotments")
    Dataset.objects.filter(pk=old.pk).update(
        updated_at=datetime(2020, 1, 1, tzinfo=UTC), last_updated=None
    )
    recent = DatasetFactory(published=True, title="Recent recycling")
    return old, recent


def identifiers_in(graph):
    return {str(value) for value in graph.objects(None, DCTERMS.identifier)}


@pytest.mark.parametrize(
    "since",
    ["2025-06-01", "2025-06-01T00:00:00", "2025-06-01T00:00:00Z", "2025-06-01T00:00:00.123456Z"],
)
def test_catalogue_with_modified_since_lists_only_datasets_changed_since(
    client, old_and_recent, since
):
    _old, recent = old_and_recent
    _response, graph = fetch(client, f"/catalog.ttl?modified_since={since}", "ttl")
    assert identifiers_in(graph) == {str(recent.id)}


def test_modified_since_counts_a_new_upload_of_the_data(client, old_and_recent):
    old, _recent = old_and_recent
    Dataset.objects.filter(pk=old.pk).update(last_updated=datetime(2026, 1, 2, tzinfo=UTC))
    _response, graph = fetch(client, "/catalog.jsonld?modified_since=2026-01-01", "jsonld")
    assert str(old.id) in identifiers_in(graph)


def test_modified_since_with_an_offset_is_read_in_that_zone(client, old_and_recent):
    old, _recent = old_and_recent
    _response, graph = fetch(
        client, "/catalog.ttl?modified_since=2020-01-01T01:00:00%2B02:00", "ttl"
    )
    assert str(old.id) in identifiers_in(graph)


@pytest.mark.parametrize(
    "since",
    ["yesterday", "2025-13-01", "2025-06-01T25:00", "1/6/2025", "0001-01-01T00:00:00+01:00"],
)
def test_a_modified_since_that_is_not_an_iso_date_is_refused_with_a_stable_message(client, since):
    response = client.get("/catalog.ttl", {"modified_since": since})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == "Wrong modified date format. Use ISO-8601 format"


def test_hydra_links_carry_modified_since_and_profiles_to_every_page(
    client, five_datasets_two_a_page
):
    query = "modified_since=2020-01-01&profiles=euro_dcat_ap&page=2"
    _response, graph = fetch(client, f"/catalog.ttl?{query}&utm_source=x", "ttl")
    view = URIRef(f"{BASE}/catalog.ttl?modified_since=2020-01-01&profiles=euro_dcat_ap&page=2")
    kept = f"{BASE}/catalog.ttl?modified_since=2020-01-01&profiles=euro_dcat_ap"
    assert str(graph.value(view, HYDRA.first)) == f"{kept}&page=1"
    assert str(graph.value(view, HYDRA.next)) == f"{kept}&page=3"
    assert str(graph.value(view, HYDRA.previous)) == f"{kept}&page=1"
    assert str(graph.value(view, HYDRA.last)) == f"{kept}&page=3"


def test_paging_counts_only_the_datasets_modified_since(client, five_datasets_two_a_page):
    Dataset.objects.filter(pk__in=[d.pk for d in five_datasets_two_a_page[:4]]).update(
        updated_at=datetime(2020, 1, 1, tzinfo=UTC)
    )
    _response, graph = fetch(client, "/catalog.ttl?modified_since=2024-01-01", "ttl")
    view = URIRef(f"{BASE}/catalog.ttl?modified_since=2024-01-01&page=1")
    assert int(graph.value(view, HYDRA.totalItems)) == 1
    assert graph.value(view, HYDRA.next) is None


@pytest.mark.parametrize(
    "profiles",
    ["euro_dcat_ap", "euro_dcat_ap_2", "euro_dcat_ap_3", "dcat_us_3", " euro_dcat_ap_2 , "],
)
def test_dcat_profiles_are_answered_with_the_dcat_ap_mapping(client, profiles):
    shown = DatasetFactory(published=True)
    _response, graph = fetch(client, f"/catalog.ttl?profiles={profiles}", "ttl")
    assert (dataset_node(shown), RDF.type, DCAT.Dataset) in graph


def test_schemaorg_profile_describes_the_catalogue_in_schema_org_terms(client, full_dataset):
    _response, graph = fetch(client, "/catalog.jsonld?profiles=schemaorg", "jsonld")
    catalog = URIRef(f"{BASE}/")
    assert (catalog, RDF.type, SCHEMA.DataCatalog) in graph
    node = URIRef(f"{BASE}/data/household-recycling/")
    assert (catalog, SCHEMA.dataset, node) in graph
    assert (node, RDF.type, SCHEMA.Dataset) in graph
    assert graph.value(node, SCHEMA.name) == Literal("Household recycling")
    download = graph.value(node, SCHEMA.distribution)
    assert (download, RDF.type, SCHEMA.DataDownload) in graph
    assert not list(graph.subjects(RDF.type, DCAT.Dataset))


def test_two_profiles_together_give_both_vocabularies(client, full_dataset):
    _response, graph = fetch(client, "/catalog.xml?profiles=euro_dcat_ap,schemaorg", "xml")
    assert list(graph.subjects(RDF.type, DCAT.Dataset))
    assert list(graph.subjects(RDF.type, SCHEMA.Dataset))


def test_dataset_document_takes_profiles_too(client, full_dataset):
    _response, graph = fetch(client, "/dataset/household-recycling.ttl?profiles=schemaorg", "ttl")
    assert list(graph.subjects(RDF.type, SCHEMA.Dataset))


@pytest.mark.parametrize(
    ("profiles", "message"),
    [
        ("made_up", "Unknown RDF profiles: made_up"),
        ("euro_dcat_ap,zz,aa", "Unknown RDF profiles: aa, zz"),
        ("croissant", "RDF profiles not supported here: croissant. Use one of: "),
    ],
)
def test_an_unknown_or_unsupported_profile_is_refused_naming_it(client, profiles, message):
    DatasetFactory(published=True, slug="toilets")
    for url in ("/catalog.ttl", "/dataset/toilets.jsonld"):
        response = client.get(url, {"profiles": profiles})
        assert response.status_code == 400
        assert response.content.decode().startswith(message)


@pytest.mark.parametrize(
    ("accept", "rdflib_format", "content_type"),
    [
        ("text/turtle", "turtle", "text/turtle"),
        ("application/ld+json", "json-ld", "application/ld+json"),
        ("application/rdf+xml", "xml", "application/rdf+xml"),
        ("application/n-triples", "nt", "application/n-triples"),
        ("text/html;q=0.5, text/turtle", "turtle", "text/turtle"),
    ],
)
def test_dataset_page_answers_content_negotiation_with_its_rdf(
    client, full_dataset, accept, rdflib_format, content_type
):
    response = client.get("/data/household-recycling/", headers={"accept": accept})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert "Accept" in response["Vary"]
    graph = Graph().parse(data=response.content, format=rdflib_format)
    assert (dataset_node(full_dataset), RDF.type, DCAT.Dataset) in graph


def test_welsh_dataset_page_answers_content_negotiation_too(client, full_dataset):
    response = client.get("/cy/data/household-recycling/", headers={"accept": "text/turtle"})
    assert response["Content-Type"].startswith("text/turtle")


@pytest.mark.parametrize(
    "accept",
    [
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "*/*",
        "",
        "text/turtle;q=0.5, text/html",
        "text/turtle;q=0",
    ],
)
def test_browsers_still_get_the_html_page_marked_vary_accept(client, full_dataset, accept):
    response = client.get("/data/household-recycling/", headers={"accept": accept})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Accept" in response["Vary"]


def test_content_negotiation_never_gives_a_drafts_rdf_even_to_its_editor(client, publisher):
    DatasetFactory(slug="draft-plans", title="Draft plans")
    client.force_login(publisher)
    response = client.get("/data/draft-plans/", headers={"accept": "text/turtle"})
    assert response.status_code == 404
    assert b"Draft plans" not in response.content
    assert client.get("/data/draft-plans/").status_code == 200
