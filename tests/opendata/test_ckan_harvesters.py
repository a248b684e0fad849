"""What aggregators' harvesters ask of Townhall, request by request (issue #16, item 2).

`CkanHarvester` below repeats, line for line, the requests of ckanext-harvest's CKAN
harvester (ckanext/harvest/harvesters/ckanharvester.py): `gather_stage` builds `fq` from
`organizations_filter_include`/`_exclude` and `groups_filter_include`/`_exclude`, adds
`metadata_modified:[<last error-free gather minus an hour>Z TO *]` on an incremental run,
and `_search_for_datasets` pages `package_search` with `rows=100`, `start`, `sort=id asc`
until a page comes back empty, dropping ids seen on earlier pages; the import stage then
asks `organization_show?id=<owner_org>` and `group_show?id=<group id>`. It reads an error
body as an empty page and reports nothing, which is why every answer is checked here.

`DcatRdfHarvester` repeats ckanext-dcat's RDF harvester (ckanext/dcat/harvesters/rdf.py and
base.py): HEAD, then GET when HEAD is refused, parse with the answer's media type, collect
the dcat:Dataset nodes, follow hydra:next (else hydra:nextPage) of a PartialCollectionView
(else PagedCollection), and stop when a page repeats the last one.

Requests go through Django's test client with the harvesters' absolute URLs.
"""

import datetime
import hashlib
import json
from urllib.parse import urlencode

import pytest
from rdflib import Graph, Namespace
from rdflib.namespace import DCTERMS, RDF

from townhall.opendata import dcat
from townhall.opendata.ckan import solr

from .ckan_catalogue import DATASETS, NOW, shared_catalogue  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

BASE = "http://testserver"
DCAT = Namespace("http://www.w3.org/ns/dcat#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")


@pytest.fixture
def catalogue(shared_catalogue, monkeypatch):  # noqa: F811
    monkeypatch.setattr(solr, "_now", lambda: NOW)
    return shared_catalogue


class CkanHarvester:
    """ckanext-harvest's CKANHarvester, its HTTP side, against the test client."""

    def __init__(self, client, config=None, rows="100"):
        self.client, self.config, self.rows = client, config or {}, rows
        self.urls: list[str] = []

    def _get_content(self, url):
        self.urls.append(url)
        response = self.client.get(url)
        # The harvester never looks at the status; a test must, or an error would pass
        # as an empty page.
        assert response.status_code == 200, (url, response.content[:300])
        assert json.loads(response.content)["success"] is True
        return response.content.decode()

    def gather_stage(self, last_gather_started=None):
        fq_terms = []
        org_filter_include = self.config.get("organizations_filter_include", [])
        org_filter_exclude = self.config.get("organizations_filter_exclude", [])
        if org_filter_include:
            fq_terms.append(" OR ".join(f"organization:{name}" for name in org_filter_include))
        elif org_filter_exclude:
            fq_terms.extend(f"-organization:{name}" for name in org_filter_exclude)
        groups_filter_include = self.config.get("groups_filter_include", [])
        groups_filter_exclude = self.config.get("groups_filter_exclude", [])
        if groups_filter_include:
            fq_terms.append(" OR ".join(f"groups:{name}" for name in groups_filter_include))
        elif groups_filter_exclude:
            fq_terms.extend(f"-groups:{name}" for name in groups_filter_exclude)
        if last_gather_started is not None:
            since = (last_gather_started - datetime.timedelta(hours=1)).isoformat()
            fq_since_last_time = f"metadata_modified:[{since}Z TO *]"
            return self._search_for_datasets(BASE, [*fq_terms, fq_since_last_time])
        return self._search_for_datasets(BASE, fq_terms)

    def _search_for_datasets(self, remote_ckan_base_url, fq_terms=None):
        base_search_url = remote_ckan_base_url + "/api/3/action/package_search"
        params = {"rows": self.rows, "start": "0"}
        params["sort"] = "id asc"
        if fq_terms:
            params["fq"] = " ".join(fq_terms)
        pkg_dicts, pkg_ids, previous_content = [], set(), None
        while True:
            url = base_search_url + "?" + urlencode(params)
            content = self._get_content(url)
            assert not (previous_content and content == previous_content), "paging repeats"
            previous_content = content
            pkg_dicts_page = json.loads(content).get("result", {}).get("results", [])
            ids_in_page = {p["id"] for p in pkg_dicts_page}
            duplicate_ids = ids_in_page & pkg_ids
            if duplicate_ids:
                pkg_dicts_page = [p for p in pkg_dicts_page if p["id"] not in duplicate_ids]
            pkg_ids |= ids_in_page
            pkg_dicts.extend(pkg_dicts_page)
            if len(pkg_dicts_page) == 0:
                break
            params["start"] = str(int(params["start"]) + int(params["rows"]))
        return pkg_dicts

    def remote(self, action, identifier):
        """_get_organization / _get_group: `<base>/api/3/action/<action>?id=<id>`."""
        url = BASE + "/api/3/action/" + action + "?id=" + identifier
        return json.loads(self._get_content(url))["result"]


def search_url(start, fq=None, rows="100"):
    params = {"rows": rows, "start": start, "sort": "id asc"}
    if fq:
        params["fq"] = fq
    return f"{BASE}/api/3/action/package_search?{urlencode(params)}"


def assert_each_once(pkg_dicts, expected_names):
    ids = [package["id"] for package in pkg_dicts]
    assert len(ids) == len(set(ids))
    assert sorted(package["name"] for package in pkg_dicts) == sorted(expected_names)


# --- ckanext-harvest's CKAN harvester ----------------------------------------------------


def test_ckan_harvester_full_gather_finds_every_public_dataset_once(client, catalogue):
    harvester = CkanHarvester(client)
    assert_each_once(harvester.gather_stage(), DATASETS)
    assert harvester.urls == [search_url("0"), search_url("100")]
    assert harvester.urls[0] == (f"{BASE}/api/3/action/package_search?rows=100&start=0&sort=id+asc")


def test_ckan_harvester_pages_by_id_without_gaps_or_repeats(client, catalogue):
    harvester = CkanHarvester(client, rows="5")
    pkg_dicts = harvester.gather_stage()
    assert_each_once(pkg_dicts, DATASETS)
    ids = [package["id"] for package in pkg_dicts]
    assert ids == sorted(ids)
    assert harvester.urls == [search_url(str(start), rows="5") for start in (0, 5, 10, 15, 20)]


def test_ckan_harvester_incremental_gather_gets_only_datasets_changed_since(client, catalogue):
    last_run = datetime.datetime(2026, 12, 5, 7, 4, 5, 123456)  # gather_started: naive UTC
    harvester = CkanHarvester(client)
    pkg_dicts = harvester.gather_stage(last_gather_started=last_run)
    # Changed since 06:04:05.123456, the hour before the last run: 5 hours ago or less.
    assert_each_once(pkg_dicts, [name for name, row in DATASETS.items() if row[6] <= 5])
    assert harvester.urls[0] == search_url(
        "0", fq="metadata_modified:[2026-12-05T06:04:05.123456Z TO *]"
    )


def test_ckan_harvester_incremental_gather_with_nothing_changed_finds_nothing(client, catalogue):
    harvester = CkanHarvester(client)
    last_run = NOW.replace(tzinfo=None) + datetime.timedelta(minutes=30)
    assert harvester.gather_stage(last_gather_started=last_run) == []
    assert len(harvester.urls) == 1


def names_where(test):
    return [name for name, row in DATASETS.items() if test(*row[:2])]


@pytest.mark.parametrize(
    ("config", "fq", "expected"),
    [
        (
            {"organizations_filter_include": ["finance", "parks"]},
            "organization:finance OR organization:parks",
            names_where(lambda org, themes: org in ("finance", "parks")),
        ),
        (
            {"organizations_filter_exclude": ["finance", "democracy"]},
            "-organization:finance -organization:democracy",
            names_where(lambda org, themes: org not in ("finance", "democracy")),
        ),
        (
            {"groups_filter_include": ["money", "community"]},
            "groups:money OR groups:community",
            names_where(lambda org, themes: {"money", "community"} & set(themes)),
        ),
        (
            {"groups_filter_exclude": ["environment"]},
            "-groups:environment",
            names_where(lambda org, themes: "environment" not in themes),
        ),
        (
            {
                "organizations_filter_include": ["finance", "parks"],
                "groups_filter_include": ["environment", "community"],
            },
            "organization:finance OR organization:parks groups:environment OR groups:community",
            names_where(
                lambda org, themes: (
                    org in ("finance", "parks") and {"environment", "community"} & set(themes)
                )
            ),
        ),
        (
            {"organizations_filter_exclude": ["waste"], "groups_filter_exclude": ["community"]},
            "-organization:waste -groups:community",
            names_where(lambda org, themes: org != "waste" and "community" not in themes),
        ),
    ],
)
def test_ckan_harvester_include_and_exclude_filters(client, catalogue, config, fq, expected):
    harvester = CkanHarvester(client, config=config)
    assert_each_once(harvester.gather_stage(), expected)
    assert harvester.urls[0] == search_url("0", fq=fq)


def test_ckan_harvester_filters_and_incremental_run_combine(client, catalogue):
    harvester = CkanHarvester(client, config={"organizations_filter_include": ["parks", "waste"]})
    pkg_dicts = harvester.gather_stage(last_gather_started=datetime.datetime(2026, 12, 5, 3))
    expected = [n for n, row in DATASETS.items() if row[0] in ("parks", "waste") and row[6] <= 10]
    assert_each_once(pkg_dicts, expected)
    assert harvester.urls[0] == search_url(
        "0",
        fq="organization:parks OR organization:waste metadata_modified:[2026-12-05T02:00:00Z TO *]",
    )


def test_ckan_harvester_import_stage_reads_each_dataset_its_organisation_and_groups(
    client, catalogue
):
    harvester = CkanHarvester(client)
    for pkg_dict in harvester.gather_stage():
        shown = harvester.remote("package_show", pkg_dict["id"])
        assert shown["id"] == pkg_dict["id"] and shown["name"] == pkg_dict["name"]
        # remote_orgs "create": _get_organization(source url, package_dict["owner_org"]).
        org = harvester.remote("organization_show", pkg_dict["owner_org"])
        assert org["id"] == pkg_dict["owner_org"] == pkg_dict["organization"]["id"]
        assert org["name"] == DATASETS[pkg_dict["name"]][0] and org["title"]
        # remote_groups "create": _get_group(source url, group) asks by the group's id.
        for group in pkg_dict["groups"]:
            shown_group = harvester.remote("group_show", group["id"])
            assert (shown_group["id"], shown_group["name"]) == (group["id"], group["name"])
        assert sorted(g["name"] for g in pkg_dict["groups"]) == sorted(DATASETS[shown["name"]][1])


# --- ckanext-dcat's RDF harvester --------------------------------------------------------


class DcatRdfHarvester:
    """ckanext-dcat's DCATRDFHarvester gather stage, its HTTP and parsing side."""

    def __init__(self, client):
        self.client = client
        self.urls: list[str] = []

    def _get_content_and_type(self, url):
        self.urls.append(url)
        response = self.client.head(url)
        if response.status_code in (405, 400):
            response = self.client.get(url)
        assert response.status_code == 200, (url, response.content[:300])
        return response.content.decode("utf-8"), response["Content-Type"].split(";", 1)[0]

    def gather_stage(self, source_url):
        next_page_url, last_content_hash, identifiers = source_url, None, []
        while next_page_url:
            content, rdf_format = self._get_content_and_type(next_page_url)
            content_hash = hashlib.md5(content.encode("utf8"), usedforsecurity=False)
            if last_content_hash:
                if content_hash.digest() == last_content_hash.digest():
                    break
            else:
                last_content_hash = content_hash
            graph = Graph()
            graph.parse(data=content, format=rdf_format)
            for dataset in graph.subjects(RDF.type, DCAT.Dataset):
                identifiers.append(str(graph.value(dataset, DCTERMS.identifier)))
            next_page_url = self.next_page(graph)
        return identifiers

    @staticmethod
    def next_page(graph):
        for collection_type in (HYDRA.PartialCollectionView, HYDRA.PagedCollection):
            for node in graph.subjects(RDF.type, collection_type):
                for o in graph.objects(node, HYDRA.next):
                    return str(o)
                for o in graph.objects(node, HYDRA.nextPage):
                    return str(o)
        return None


@pytest.fixture
def small_pages(monkeypatch):
    """Five datasets a page, so seventeen take four pages."""
    monkeypatch.setattr(dcat, "DATASETS_PER_PAGE", 5)


@pytest.mark.parametrize("extension", ["ttl", "jsonld", "rdf"])
def test_dcat_harvester_pages_the_catalogue_through_hydra_and_finds_every_dataset_once(
    client, catalogue, small_pages, extension
):
    harvester = DcatRdfHarvester(client)
    identifiers = harvester.gather_stage(f"{BASE}/catalog.{extension}")
    expected = {str(dataset.pk) for dataset in catalogue.datasets.values()}
    assert len(identifiers) == len(expected) and set(identifiers) == expected
    assert harvester.urls == [f"{BASE}/catalog.{extension}"] + [
        f"{BASE}/catalog.{extension}?page={page}" for page in (2, 3, 4)
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"fq": "organization:parks OR organization:waste"}, lambda org, themes: org in ("parks", "waste")),
        ({"q": "groups:environment"}, lambda org, themes: "environment" in themes),
        ({"q": "*:*", "fq": "-organization:finance"}, lambda org, themes: org != "finance"),
    ],
)  # fmt: skip
def test_dcat_harvester_with_q_and_fq_pages_only_the_matching_datasets(
    client, catalogue, small_pages, query, expected
):
    harvester = DcatRdfHarvester(client)
    identifiers = harvester.gather_stage(f"{BASE}/catalog.ttl?{urlencode(query)}")
    wanted = {str(catalogue.datasets[name].pk) for name in names_where(expected)}
    assert len(identifiers) == len(wanted) and set(identifiers) == wanted
    assert len(harvester.urls) == -(-len(wanted) // 5)
    assert all(urlencode(query) in url for url in harvester.urls)


def test_dcat_catalogue_with_a_query_it_cannot_answer_is_a_409(client, catalogue):
    response = client.get("/catalog.ttl", {"fq": "colour:blue"})
    assert response.status_code == 409
    assert response.content.decode() == "Search Query is invalid: 'undefined field colour'"
    assert client.get("/catalog.ttl", {"q": "(trees"}).status_code == 409
