"""Harvesting other catalogues: one Townhall from another over its CKAN API, a DCAT file,
incremental runs, sources that misbehave, licences, and the officer's pages.

Remote catalogues are served on this machine: pytest-django's live_server (a second
Townhall, whose datasets belong to another publisher than the one harvested copies are
filed under) or a small http.server thread. Private addresses are allowed for these tests
only; one test checks they are refused otherwise.
"""

import json
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse

from townhall.core.models import AuditEntry
from townhall.core.outbound import address_refused
from townhall.core.permissions import PermissionDenied
from townhall.opendata import services as opendata_services
from townhall.opendata.harvest import readers, services
from townhall.opendata.harvest.records import licence_for
from townhall.opendata.models import Dataset, HarvestRun, HarvestSource

from .factories import DatasetFactory, LinkResourceFactory, OrganisationFactory

OGL = "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


# --- the remote catalogues -------------------------------------------------------------


@pytest.fixture
def remote(settings):
    """A catalogue on 127.0.0.1: `routes[path]` is (status, content type, body) or a
    function of the request returning one; `asked` lists the paths and queries asked."""
    settings.HARVEST_ALLOW_PRIVATE_ADDRESSES = True
    settings.HARVEST_TIMEOUT_SECONDS = 5
    routes, asked = {}, []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            route = routes.get(urlsplit(self.path).path)
            status, content_type, body = (
                (404, "text/plain", "not here")
                if route is None
                else route(self)
                if callable(route)
                else route
            )
            data = body.encode() if isinstance(body, str) else body
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                pass  # the harvester gave up waiting (the slow source's test)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield SimpleNamespace(
        url=f"http://127.0.0.1:{server.server_address[1]}", routes=routes, asked=asked
    )
    server.shutdown()
    server.server_close()


@pytest.fixture
def filed_under(db):
    return OrganisationFactory(title="Harvested from the county", slug="from-the-county")


@pytest.fixture
def harvest(django_capture_on_commit_callbacks, publisher):
    """Ask for a run as an officer would and return it once the (immediate) task ran."""

    def run(source, *, full=False, actor=None):
        with django_capture_on_commit_callbacks(execute=True):
            asked = services.harvest_run_request(actor=actor or publisher, source=source, full=full)
        return HarvestRun.objects.get(pk=asked.pk)

    return run


def make_source(publisher, filed_under, url, kind="dcat", **fields):
    return services.harvest_source_create(
        actor=publisher,
        title="County open data",
        kind=kind,
        url=url,
        publisher=filed_under,
        schedule=fields.pop("schedule", "daily"),
        **fields,
    )


TURTLE = """
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix hydra: <http://www.w3.org/ns/hydra/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://county.example/catalog> a dcat:Catalog ;
  dcat:dataset <https://county.example/dataset/roads>, <https://county.example/dataset/parking>,
    <https://county.example/dataset/secret> ;
  hydra:view <{base}/catalog.ttl> .
<{base}/catalog.ttl> a hydra:PartialCollectionView ; hydra:next <{base}/catalog-2.ttl> .
<https://county.example/dataset/roads> a dcat:Dataset ;
  dct:identifier "roads" ;
  dct:title "Road works"@en, "Gwaith ffordd"@cy ;
  dct:description "Planned road works on county roads."@en ;
  dcat:keyword "roads", "transport" ;
  dcat:landingPage <https://county.example/dataset/roads> ;
  dct:modified "2026-11-01T10:00:00"^^xsd:dateTime ;
  dcat:distribution <https://county.example/dataset/roads/csv> .
<https://county.example/dataset/roads/csv> a dcat:Distribution ;
  dct:title "Road works (CSV)" ;
  dcat:downloadURL <https://county.example/files/roads.csv> ;
  dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ;
  dct:license <{ogl}> .
<https://county.example/dataset/parking> a dcat:Dataset ;
  dct:identifier "parking" ; dct:title "Car parks" .
<https://county.example/dataset/secret> a dcat:Dataset ;
  dct:identifier "secret" ; dct:title "Gritting routes" ;
  dct:license <https://county.example/our-own-licence> .
"""
TURTLE_PAGE_2 = """
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://county.example/dataset/bins> a dcat:Dataset ;
  dct:identifier "bins" ; dct:title "Bin collection days" ;
  dct:license <https://creativecommons.org/licenses/by/4.0/> ;
  dcat:distribution [ a dcat:Distribution ; dct:title "Bins JSON" ;
    dcat:accessURL <https://county.example/files/bins.json> ; dct:format "JSON" ] .
"""


@pytest.fixture
def county(remote):
    """A DCAT catalogue in Turtle, two pages joined by hydra:next."""
    remote.routes["/catalog.ttl"] = (
        200,
        "text/turtle",
        TURTLE.replace("{base}", remote.url).replace("{ogl}", OGL),
    )
    remote.routes["/catalog-2.ttl"] = (200, "text/turtle", TURTLE_PAGE_2)
    return remote


# --- a DCAT file ----------------------------------------------------------------------


def test_dcat_harvest_adds_licensed_datasets_as_links_and_refuses_the_rest(
    county, publisher, filed_under, harvest
):
    source = make_source(publisher, filed_under, f"{county.url}/catalog.ttl")
    run = harvest(source)

    assert run.status == HarvestRun.Status.DONE and run.full and run.pages == 2
    assert sorted(entry["identifier"] for entry in run.added) == ["bins", "roads"]
    refused = {entry["identifier"]: entry["reason"] for entry in run.refused}
    assert refused["parking"] == "It gives no licence."
    assert "our-own-licence" in refused["secret"] and "not one Townhall knows" in refused["secret"]
    roads = Dataset.objects.get(harvest_source=source, harvest_identifier="roads")
    assert roads.status == Dataset.Status.PUBLISHED and roads.publisher == filed_under
    assert (roads.title_en_gb, roads.title_cy) == ("Road works", "Gwaith ffordd")
    assert roads.licence == "OGL-UK-3.0"
    assert roads.harvest_url == "https://county.example/dataset/roads"
    assert sorted(roads.keywords.values_list("name", flat=True)) == ["roads", "transport"]
    resource = roads.resources.get()
    assert (resource.url, resource.format, resource.current_version) == (
        "https://county.example/files/roads.csv",
        "CSV",
        None,
    )
    bins = Dataset.objects.get(harvest_identifier="bins")
    assert bins.licence == "CC-BY-4.0" and bins.resources.get().format == "JSON"
    assert not Dataset.objects.filter(harvest_identifier__in=["parking", "secret"]).exists()


def test_dcat_incremental_run_asks_for_changes_since_the_last_run_less_an_hour(
    county, publisher, filed_under, harvest
):
    source = make_source(publisher, filed_under, f"{county.url}/catalog.ttl")
    harvest(source)
    HarvestSource.objects.filter(pk=source.pk).update(
        last_success_at=datetime(2026, 12, 5, 4, 4, 5, tzinfo=UTC)
    )
    source.refresh_from_db()
    county.asked.clear()

    run = harvest(source)

    assert county.asked[0] == "/catalog.ttl?modified_since=2026-12-05T03%3A04%3A05.000000Z"
    assert run.status == HarvestRun.Status.DONE and not run.full
    assert run.unchanged == 2 and not run.added and not run.changed and not run.removed


def test_full_run_withdraws_datasets_gone_from_the_source(county, publisher, filed_under, harvest):
    source = make_source(publisher, filed_under, f"{county.url}/catalog.ttl")
    harvest(source)
    county.routes["/catalog-2.ttl"] = (200, "text/turtle", "")

    run = harvest(source, full=True)

    assert [entry["identifier"] for entry in run.removed] == ["bins"]
    assert Dataset.objects.get(harvest_identifier="bins").status == Dataset.Status.DRAFT
    assert Dataset.objects.get(harvest_identifier="roads").status == Dataset.Status.PUBLISHED


# --- sources that misbehave ------------------------------------------------------------


def test_source_that_goes_down_stops_the_run_and_what_was_harvested_stays(
    county, publisher, filed_under, harvest
):
    source = make_source(publisher, filed_under, f"{county.url}/catalog.ttl")
    harvest(source)
    county.routes["/catalog-2.ttl"] = (503, "text/html", "<h1>Down for maintenance</h1>")

    run = harvest(source, full=True)

    assert run.status == HarvestRun.Status.STOPPED
    assert run.errors == ["The server answered with HTTP status 503."]
    assert not run.removed
    assert (
        Dataset.objects.filter(harvest_source=source, status=Dataset.Status.PUBLISHED).count() == 2
    )


def test_source_that_cannot_be_reached_is_reported(publisher, filed_under, harvest, settings):
    settings.HARVEST_ALLOW_PRIVATE_ADDRESSES = True
    source = make_source(publisher, filed_under, "http://127.0.0.1:9/catalog.ttl")
    run = harvest(source)
    assert run.status == HarvestRun.Status.STOPPED
    assert run.errors[0].startswith("The server could not be reached")


def test_slow_source_is_given_up_on_after_the_timeout(
    remote, publisher, filed_under, harvest, settings
):
    settings.HARVEST_TIMEOUT_SECONDS = 0.3

    def slow(request):
        time.sleep(1.5)
        return 200, "text/turtle", ""

    remote.routes["/catalog.ttl"] = slow
    source = make_source(publisher, filed_under, f"{remote.url}/catalog.ttl")
    started = time.monotonic()
    run = harvest(source)
    assert time.monotonic() - started < 1.4
    assert run.status == HarvestRun.Status.STOPPED
    assert run.errors == ["The server did not answer within 0.3 seconds."]


def test_ckan_source_that_answers_with_a_web_page_is_reported_as_not_json(
    remote, publisher, filed_under, harvest
):
    remote.routes["/api/3/action/package_search"] = (200, "text/html", "<html>Welcome</html>")
    source = make_source(publisher, filed_under, remote.url, kind="ckan")
    run = harvest(source)
    assert run.status == HarvestRun.Status.STOPPED
    assert run.errors == ["The source's answer was not JSON (it said it was “text/html”)."]


def test_dcat_source_that_answers_with_a_web_page_is_reported_as_not_rdf(
    remote, publisher, filed_under, harvest
):
    remote.routes["/catalogue"] = (200, "text/html", "<html>Welcome</html>")
    source = make_source(publisher, filed_under, f"{remote.url}/catalogue")
    run = harvest(source)
    assert run.errors == ["The source's answer was not RDF (it said it was “text/html”)."]


def test_answer_larger_than_the_limit_is_not_read(
    county, publisher, filed_under, harvest, settings
):
    settings.HARVEST_MAX_RESPONSE_BYTES = 200
    source = make_source(publisher, filed_under, f"{county.url}/catalog.ttl")
    run = harvest(source)
    assert run.errors == ["The answer was larger than 200 bytes, so it was not read."]


def _endless_ckan(request):
    start = int(parse_qs(urlsplit(request.path).query)["start"][0])
    rows = [
        {
            "id": f"p{number}",
            "name": f"p{number}",
            "title": f"Dataset {number}",
            "license_id": "CC-BY-4.0",
            "resources": [],
        }
        for number in range(start, start + readers.CKAN_ROWS)
    ]
    body = {"success": True, "result": {"count": 10**9, "results": rows}}
    return 200, "application/json", json.dumps(body)


def test_source_that_pages_for_ever_is_stopped_and_nothing_is_withdrawn(
    remote, publisher, filed_under, harvest, settings, monkeypatch
):
    settings.HARVEST_MAX_PAGES = 3
    monkeypatch.setattr(readers, "CKAN_ROWS", 2)
    remote.routes["/api/3/action/package_search"] = _endless_ckan
    source = make_source(publisher, filed_under, remote.url, kind="ckan")

    run = harvest(source, full=True)

    assert run.status == HarvestRun.Status.STOPPED
    assert run.errors == [
        "Stopped after 3 pages: the source kept offering more. Nothing was withdrawn."
    ]
    assert len(run.added) == 6 and not run.removed
    assert Dataset.objects.filter(harvest_source=source).count() == 6


def test_ckan_incremental_query_is_the_one_ckanext_harvest_sends(
    remote, publisher, filed_under, harvest
):
    answer = {"success": True, "result": {"count": 0, "results": []}}
    remote.routes["/api/3/action/package_search"] = (200, "application/json", json.dumps(answer))
    source = make_source(publisher, filed_under, remote.url, kind="ckan")
    HarvestSource.objects.filter(pk=source.pk).update(
        last_success_at=datetime(2026, 12, 5, 4, 4, 5, 123456, tzinfo=UTC)
    )
    source.refresh_from_db()

    run = harvest(source)

    query = parse_qs(urlsplit(remote.asked[0]).query)
    assert query == {
        "fq": ["metadata_modified:[2026-12-05T03:04:05.123456Z TO *]"],
        "sort": ["id asc"],
        "rows": ["100"],
        "start": ["0"],
    }
    assert run.status == HarvestRun.Status.DONE and not run.full


def test_private_addresses_are_refused_unless_allowed(
    county, publisher, filed_under, harvest, settings
):
    source = make_source(publisher, filed_under, f"{county.url}/catalog.ttl")
    settings.HARVEST_ALLOW_PRIVATE_ADDRESSES = False
    run = harvest(source)
    assert run.errors == ["127.0.0.1 is a private or local address, which may not be reached."]
    assert county.asked == []


@pytest.mark.parametrize(
    ("address", "refused"),
    [
        ("127.0.0.1", True),
        ("10.1.2.3", True),
        ("192.168.0.10", True),
        ("169.254.169.254", True),
        ("::1", True),
        ("fe80::1", True),
        ("::ffff:127.0.0.1", True),
        ("224.0.0.1", True),
        ("81.2.69.142", False),
        ("2a00:1450:4009:81f::200e", False),
    ],
)
def test_address_guard(address, refused):
    assert address_refused(address) is refused


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("uk-ogl", "OGL-UK-3.0"),
        ("OGL-UK-3.0", "OGL-UK-3.0"),
        (
            "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
            "OGL-UK-3.0",
        ),
        ("cc-by", "CC-BY-4.0"),
        ("http://creativecommons.org/licenses/by/4.0/legalcode", "CC-BY-4.0"),
        ("odc-odbl", "ODbL-1.0"),
        ("cc-zero", "CC0-1.0"),
        ("other-closed", None),
        ("notspecified", None),
        ("", None),
    ],
)
def test_licences_are_mapped_to_townhall_s_and_never_guessed(given, expected):
    assert licence_for(given) == expected


# --- one Townhall harvesting another over HTTP -----------------------------------------


@pytest.fixture
def neighbour(db):
    """The other council's catalogue: datasets of its own publisher, served by live_server."""
    council = OrganisationFactory(title="Neighbouring council", slug="neighbouring-council")
    spending = DatasetFactory(
        published=True,
        publisher=council,
        title="Spending over £500",
        slug="spending",
        title_cy="Gwariant dros £500",
        licence="OGL-UK-3.0",
    )
    LinkResourceFactory(
        dataset=spending, name="Spending 2026", format="CSV", url="https://files.example/spend.csv"
    )
    libraries = DatasetFactory(
        published=True,
        publisher=council,
        title="Library visits",
        slug="library-visits",
        licence="CC-BY-4.0",
    )
    LinkResourceFactory(dataset=libraries, name="Visits", url="https://files.example/visits.html")
    DatasetFactory(
        published=True,
        publisher=council,
        title="Staff photos",
        slug="staff-photos",
        licence="other-closed",
    )
    DatasetFactory(publisher=council, title="Unfinished draft", slug="unfinished")
    return council


def test_officer_harvests_a_second_townhall_over_its_ckan_api(
    live_server, remote, neighbour, publisher, filed_under, harvest, client
):
    source = make_source(
        publisher, filed_under, live_server.url, kind="ckan", organisation_filter=neighbour.slug
    )
    originals = set(Dataset.objects.values_list("pk", "title_en_gb", "publisher_id"))

    run = harvest(source)

    assert run.status == HarvestRun.Status.DONE and run.full
    assert sorted(entry["title"] for entry in run.added) == ["Library visits", "Spending over £500"]
    assert [entry["title"] for entry in run.refused] == ["Staff photos"]
    assert "other-closed" in run.refused[0]["reason"]
    copies = Dataset.objects.filter(harvest_source=source)
    assert set(copies.values_list("publisher_id", flat=True)) == {filed_under.pk}
    spending = copies.get(title_en_gb="Spending over £500")
    original = Dataset.objects.get(slug="spending")
    assert spending.pk != original.pk and spending.harvest_identifier == str(original.pk)
    assert spending.title_cy == "Gwariant dros £500" and spending.licence == "OGL-UK-3.0"
    assert spending.harvest_url == f"{live_server.url}/dataset/{original.pk}"
    assert list(spending.resources.values_list("url", "format")) == [
        ("https://files.example/spend.csv", "CSV")
    ]
    # The originals are untouched and no draft crossed over.
    assert originals <= set(Dataset.objects.values_list("pk", "title_en_gb", "publisher_id"))
    assert not copies.filter(title_en_gb="Unfinished draft").exists()

    client.force_login(publisher)
    page = client.get(reverse("opendata:dataset", args=[spending.slug])).content.decode()
    assert "Harvested from" in page and "County open data" in page
    report = client.get(reverse("opendata:harvest_run", args=[source.pk, run.pk]))
    assert "Spending over £500" in report.content.decode()


def test_second_run_reports_only_what_changed_and_a_full_run_withdraws_the_gone(
    live_server, remote, neighbour, publisher, filed_under, harvest
):
    source = make_source(
        publisher, filed_under, live_server.url, kind="ckan", organisation_filter=neighbour.slug
    )
    harvest(source)
    spending = Dataset.objects.get(slug="spending")
    opendata_services.dataset_update(
        actor=publisher, dataset=spending, title="Spending over £500 (revised)"
    )

    second = harvest(source)

    assert [entry["title"] for entry in second.changed] == ["Spending over £500 (revised)"]
    assert not second.added and not second.removed and second.unchanged == 1
    opendata_services.dataset_unpublish(
        actor=publisher, dataset=Dataset.objects.get(slug="library-visits")
    )

    third = harvest(source, full=True)

    assert [entry["title"] for entry in third.removed] == ["Library visits"]
    copy = Dataset.objects.get(harvest_source=source, title_en_gb="Library visits")
    assert copy.status == Dataset.Status.DRAFT


# --- harvested datasets are edited at their source --------------------------------------


def test_harvested_dataset_cannot_be_edited_here_even_by_an_administrator(
    county, publisher, administrator, filed_under, harvest, client
):
    source = make_source(publisher, filed_under, f"{county.url}/catalog.ttl")
    harvest(source)
    roads = Dataset.objects.get(harvest_identifier="roads")
    for actor in (publisher, administrator):
        with pytest.raises(PermissionDenied):
            opendata_services.dataset_update(actor=actor, dataset=roads, title="Mine now")
        with pytest.raises(PermissionDenied):
            opendata_services.dataset_unpublish(actor=actor, dataset=roads)
    client.force_login(publisher)
    page = client.get(reverse("opendata:dataset_edit", args=[roads.slug]))
    assert page.status_code == 403
    assert "This dataset is harvested from County open data" in page.content.decode()
    listing = client.get(reverse("opendata:publish")).content.decode()
    assert "Harvested" in listing


# --- the schedule ---------------------------------------------------------------------


def test_harvest_due_runs_scheduled_sources_once_and_not_manual_ones(
    county, publisher, filed_under, django_capture_on_commit_callbacks
):
    daily = make_source(publisher, filed_under, f"{county.url}/catalog.ttl")
    make_source(publisher, filed_under, f"{county.url}/other.ttl", schedule="manual")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("harvest_due", stdout=(out := __import__("io").StringIO()))
    assert "1 harvest(s) due." in out.getvalue()
    run = daily.runs.get()
    assert run.status == HarvestRun.Status.DONE and run.requested_by is None
    assert services.harvest_due() == []


def test_asking_twice_while_a_run_waits_gives_the_same_run(county, publisher, filed_under):
    source = make_source(publisher, filed_under, f"{county.url}/catalog.ttl")
    first = services.harvest_run_request(actor=publisher, source=source)
    assert services.harvest_run_request(actor=publisher, source=source) == first


# --- the officer's pages ---------------------------------------------------------------


@pytest.fixture
def a_source(publisher, filed_under):
    return make_source(publisher, filed_under, "https://data.county.example/catalog.ttl")


def _pages(source):
    return [
        reverse("opendata:harvest_sources"),
        reverse("opendata:harvest_source_create"),
        reverse("opendata:harvest_source", args=[source.pk]),
        reverse("opendata:harvest_source_edit", args=[source.pk]),
    ]


@pytest.mark.parametrize(
    ("roles", "status"),
    [
        ((), 302),
        (("resident",), 403),
        (("officer",), 403),
        (("data_publisher",), 200),
        (("administrator",), 200),
    ],
)
def test_harvest_pages_permission_matrix(client, person, a_source, roles, status):
    if roles:
        client.force_login(person(*roles, is_staff=roles != ("resident",)))
    for url in _pages(a_source):
        response = client.get(url)
        assert response.status_code == status, url
        if status == 302:
            assert "/accounts/login/" in response["Location"]
    run_response = client.post(reverse("opendata:harvest_run_request", args=[a_source.pk]))
    assert run_response.status_code == (302 if status != 403 else 403)
    assert a_source.runs.exists() is (status == 200)


def test_workspace_lists_harvest_sources_for_publishers(client, publisher):
    client.force_login(publisher)
    page = client.get(reverse("core:workspace")).content.decode()
    assert reverse("opendata:harvest_sources") in page


def test_officer_adds_a_source_and_it_is_audited(client, publisher, filed_under):
    client.force_login(publisher)
    response = client.post(
        reverse("opendata:harvest_source_create"),
        {
            "title": "County open data",
            "kind": "ckan",
            "url": "https://data.county.example",
            "organisation_filter": "highways",
            "publisher": filed_under.pk,
            "schedule": "weekly",
        },
    )
    source = HarvestSource.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{source.pk}/")
    assert (source.kind, source.schedule, source.organisation_filter) == (
        "ckan",
        "weekly",
        "highways",
    )
    assert AuditEntry.objects.filter(actor=publisher, object_type="opendata.harvestsource").exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": ""}, "Enter a name for the source"),
        ({"title": "x" * 201}, "at most 200"),
        ({"title": "County\x07data"}, "control"),
        ({"url": ""}, "Enter the catalogue&#x27;s address"),
        ({"url": "not an address"}, "Enter a web address"),
        ({"url": "ftp://data.county.example/catalog"}, "Only http and https addresses"),
        ({"url": "https://data.county.example/catalog.ttl"}, "already has this address"),
        ({"kind": "sparql"}, "valid choice"),
        ({"schedule": "hourly"}, "valid choice"),
    ],
)
def test_bad_source_details_are_refused_and_nothing_is_stored(
    client, publisher, filed_under, a_source, change, message
):
    client.force_login(publisher)
    data = {
        "title": "Another",
        "kind": "dcat",
        "url": "https://other.example/catalog.ttl",
        "publisher": filed_under.pk,
        "schedule": "daily",
        **change,
    }
    response = client.post(reverse("opendata:harvest_source_create"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body and message.lower() in body.lower()
    assert HarvestSource.objects.count() == 1


def test_running_a_source_deleted_meanwhile_says_so(client, publisher, a_source):
    client.force_login(publisher)
    url = reverse("opendata:harvest_run_request", args=[a_source.pk])
    a_source.delete()
    response = client.post(url, follow=True)
    assert "That harvest source no longer exists." in response.content.decode()


def test_harvest_pages_in_welsh(client, publisher, a_source):
    client.force_login(publisher)
    from django.utils import translation

    with translation.override("cy"):
        urls = [*_pages(a_source)]
    for url in urls:
        assert url.startswith("/cy/")
        response = client.get(url)
        assert response.status_code == 200
        assert 'lang="cy"' in response.content.decode()
    listing = client.get(urls[0]).content.decode()
    assert "Ffynonellau cynaeafu" in listing


def test_run_asked_for_by_someone_who_then_lost_the_role_stops_with_a_reason(
    county, publisher, filed_under
):
    source = make_source(publisher, filed_under, f"{county.url}/catalog.ttl")
    run = services.harvest_run_request(actor=publisher, source=source)
    publisher.groups.clear()

    run = services.harvest_run_execute(run_id=str(run.pk))

    assert run.status == HarvestRun.Status.STOPPED
    assert run.errors == ["The person who asked for this harvest may no longer run harvests."]
    assert county.asked == []


def test_ckan_that_refuses_the_incremental_query_is_asked_again_in_full(
    remote, publisher, filed_under, harvest
):
    def picky(request):
        query = parse_qs(urlsplit(request.path).query)
        if query["sort"] == ["id asc"]:
            error = {"__type": "Search Query Error", "message": "can not sort on id asc"}
            return 409, "application/json", json.dumps({"success": False, "error": error})
        package = {"id": "a1", "name": "roads", "title": "Roads", "license_id": "uk-ogl"}
        body = {"success": True, "result": {"count": 1, "results": [package]}}
        return 200, "application/json", json.dumps(body)

    remote.routes["/api/3/action/package_search"] = picky
    source = make_source(publisher, filed_under, f"{remote.url}/api/3", kind="ckan")
    HarvestSource.objects.filter(pk=source.pk).update(
        last_success_at=datetime(2026, 1, 1, tzinfo=UTC)
    )
    source.refresh_from_db()

    run = harvest(source)

    sorts = [parse_qs(urlsplit(path).query)["sort"][0] for path in remote.asked]
    assert sorts == ["id asc", "id asc", "name asc"]
    assert "fq" in parse_qs(urlsplit(remote.asked[0]).query)
    assert run.status == HarvestRun.Status.DONE and run.full
    refused = "The source refused the query (can not sort on id asc), so it was asked more simply."
    assert run.notes == [refused, refused]
    assert Dataset.objects.get(harvest_source=source).harvest_url == f"{remote.url}/dataset/a1"


def test_redirect_to_a_file_is_refused(remote, publisher, filed_under, harvest):
    def moved(request):
        request.send_response(302)
        request.send_header("Location", "file:///etc/passwd")
        request.send_header("Content-Length", "0")
        request.end_headers()

    remote.routes["/catalog.ttl"] = moved
    source = make_source(publisher, filed_under, f"{remote.url}/catalog.ttl")
    run = harvest(source)
    assert run.errors == ["The server redirected somewhere that may not be followed."]


def test_a_reports_stored_reasons_are_marked_english_on_a_welsh_page(client, publisher, a_source):
    run = services.harvest_run_request(actor=publisher, source=a_source)
    HarvestRun.objects.filter(pk=run.pk).update(
        refused=[{"identifier": "x", "title": "Bins", "reason": "It gives no licence."}],
        notes=["The source refused the incremental query."],
    )
    client.force_login(publisher)
    url = reverse("opendata:harvest_run", args=[a_source.pk, run.pk])

    welsh = client.get(f"/cy{url}").content.decode()
    english = client.get(url).content.decode()

    assert '<dd class="govuk-summary-list__value" lang="en-GB">It gives no licence.</dd>' in welsh
    assert 'lang="en-GB">The source refused the incremental query.</p>' in welsh
    assert 'lang="en-GB"' not in english
