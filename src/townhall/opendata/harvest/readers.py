"""Readers: each walks one kind of catalogue page by page and yields HarvestedDatasets.

A reader raises HarvestStopped when it cannot go on (the source is down, answers with
something that is not a catalogue, or pages for ever); the datasets it yielded before
that are kept. `complete` is True once the reader has seen the whole catalogue, which
is the only time a harvest may withdraw the datasets a source no longer lists.
"""

import json
import urllib.parse
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.utils.translation import gettext as _
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF

from .fetch import FetchError, fetch
from .records import HarvestedDataset, HarvestedResource

DCAT = Namespace("http://www.w3.org/ns/dcat#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
CKAN_ROWS = 100
#: Looking back an hour further than the last run covers clocks that disagree a little.
OVERLAP = timedelta(hours=1)


class HarvestStopped(Exception):
    """The run cannot go on; the message says why, for the report."""


def max_pages() -> int:
    return int(getattr(settings, "HARVEST_MAX_PAGES", 200))


class Reader:
    def __init__(self, source, *, since: datetime | None) -> None:
        self.source = source
        self.since = since
        self.pages = 0
        self.complete = False
        self.notes: list[str] = []

    def _count_page(self) -> None:
        if self.pages >= max_pages():
            raise HarvestStopped(
                _(
                    "Stopped after %(pages)s pages: the source kept offering more. "
                    "Nothing was withdrawn."
                )
                % {"pages": self.pages}
            )
        self.pages += 1

    def datasets(self) -> Iterator[HarvestedDataset | tuple[str, str]]:
        """HarvestedDatasets, or (identifier, problem) for an entry that cannot be read."""
        raise NotImplementedError


# --- CKAN -----------------------------------------------------------------------------


def ckan_time(moment: datetime) -> str:
    """A moment as ckanext-harvest writes it in its queries: UTC, microseconds, Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class CkanReader(Reader):
    """package_search, `rows` at a time, as ckanext-harvest's CKAN harvester asks: sorted
    by `id asc`, and on an incremental run only datasets modified since the last run.
    A CKAN that refuses that query (400 or 409, as some do) is asked again more simply:
    sorted by name, everything, which makes the run a full one."""

    def _queries(self) -> list[tuple[dict, bool]]:
        base = {}
        if self.source.organisation_filter:
            base["fq"] = f"organization:{self.source.organisation_filter}"
        full = [({**base, "sort": "id asc"}, True), ({**base, "sort": "name asc"}, True)]
        if self.since is None:
            return full
        modified = f"metadata_modified:[{ckan_time(self.since - OVERLAP)} TO *]"
        fq = f"+{base['fq']} +{modified}" if base else modified
        return [({**base, "fq": fq, "sort": "id asc"}, False), *full]

    def _site(self) -> str:
        """The site's address, also when the officer pasted its API's address."""
        site = self.source.url.split("?")[0].rstrip("/")
        for tail in ("/action/package_search", "/action", "/3", "/api"):
            site = site.removesuffix(tail)
        return site

    def _endpoint(self) -> str:
        return self._site() + "/api/3/action/package_search"

    def _get(self, query: dict, start: int) -> tuple[int, dict]:
        params = {**query, "rows": CKAN_ROWS, "start": start}
        url = f"{self._endpoint()}?{urllib.parse.urlencode(params)}"
        answer = fetch(url, accept="application/json", error_statuses=(400, 409))
        try:
            body = json.loads(answer.body)
        except ValueError as error:
            raise HarvestStopped(
                _("The source's answer was not JSON (it said it was “%(type)s”).")
                % {"type": answer.content_type or "?"}
            ) from error
        if not isinstance(body, dict):
            raise HarvestStopped(_("The source's answer was not a CKAN API answer."))
        return answer.status, body

    def datasets(self):
        queries = self._queries()
        for position, (query, full) in enumerate(queries):
            try:
                self._count_page()
                status, body = self._get(query, 0)
            except FetchError as error:
                raise HarvestStopped(str(error)) from error
            if status in (400, 409) and position + 1 < len(queries):
                message = _error_text(body)
                self.notes.append(
                    _("The source refused the query (%(error)s), so it was asked more simply.")
                    % {"error": message}
                )
                continue
            if status in (400, 409):
                raise HarvestStopped(
                    _("The source refused the search: %(error)s") % {"error": _error_text(body)}
                )
            yield from self._walk(query, body)
            self.complete = full
            return

    def _walk(self, query: dict, body: dict):
        start, seen = 0, set()
        while True:
            result = body.get("result") if body.get("success") else None
            if not isinstance(result, dict) or not isinstance(result.get("results"), list):
                raise HarvestStopped(_("The source's answer was not a CKAN API answer."))
            rows = result["results"]
            fresh = 0
            for package in rows:
                if not isinstance(package, dict):
                    continue
                identifier = str(package.get("id") or package.get("name") or "")
                if identifier in seen:
                    continue
                seen.add(identifier)
                fresh += 1
                yield self._read(package)
            start += len(rows)
            count = result.get("count")
            if not rows or (isinstance(count, int) and start >= count) or len(rows) < CKAN_ROWS:
                return
            if not fresh:
                raise HarvestStopped(
                    _("The source repeated a page it had already sent. Nothing was withdrawn.")
                )
            try:
                self._count_page()
                status, body = self._get(query, start)
            except FetchError as error:
                raise HarvestStopped(str(error)) from error
            if status != 200:
                raise HarvestStopped(
                    _("The source refused the search: %(error)s") % {"error": _error_text(body)}
                )

    def _read(self, package: dict):
        identifier = str(package.get("id") or package.get("name") or "")
        title = package.get("title") or package.get("name") or ""
        if not identifier or not isinstance(title, str) or not title.strip():
            return (identifier or "?", _("It has no identifier or no title."))
        titles = package.get("title_translated") or {}
        notes = package.get("notes_translated") or {}
        site = self._site()
        resources = []
        for resource in package.get("resources") or []:
            if isinstance(resource, dict) and resource.get("url"):
                resources.append(
                    HarvestedResource(
                        name=str(resource.get("name") or resource.get("url"))[:200],
                        url=str(resource["url"]),
                        format=str(resource.get("format") or ""),
                        description=str(resource.get("description") or ""),
                    )
                )
        return HarvestedDataset(
            identifier=identifier,
            title=title.strip(),
            title_cy=str(titles.get("cy") or "") if isinstance(titles, dict) else "",
            description=str(package.get("notes") or ""),
            description_cy=str(notes.get("cy") or "") if isinstance(notes, dict) else "",
            # CKAN answers /dataset/<id> as well as /dataset/<name>; Townhall only the first.
            source_url=f"{site}/dataset/{identifier}",
            licence_given=str(package.get("license_url") or package.get("license_id") or ""),
            keywords=[
                str(tag.get("name"))
                for tag in package.get("tags") or []
                if isinstance(tag, dict) and tag.get("name")
            ],
            resources=resources,
            modified=str(package.get("metadata_modified") or ""),
        )


def _error_text(body: dict) -> str:
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        parts = [str(error.get("message") or error.get("__type") or "")]
        parts += [
            f"{key}: {value}" for key, value in error.items() if key not in ("message", "__type")
        ]
        return "; ".join(part for part in parts if part)[:300]
    return _("no reason given")


# --- DCAT -----------------------------------------------------------------------------

RDF_FORMATS = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/json": "json-ld",
    "application/rdf+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/n3": "n3",
    "application/n-triples": "nt",
}
ACCEPT_RDF = (
    "text/turtle, application/ld+json;q=0.9, application/rdf+xml;q=0.9, application/xml;q=0.5"
)


class DcatReader(Reader):
    """A DCAT document and the pages its Hydra links lead to. On an incremental run the
    first address gets `modified_since`, which ckanext-dcat's catalogue endpoint (and
    Townhall's) understands; a source that ignores it sends everything, which is only
    slower."""

    def datasets(self):
        url = self.source.url
        if self.since is not None:
            separator = "&" if urllib.parse.urlsplit(url).query else "?"
            since = ckan_time(self.since - OVERLAP)
            url = f"{url}{separator}{urllib.parse.urlencode({'modified_since': since})}"
        visited = set()
        while url:
            if url in visited:
                raise HarvestStopped(
                    _(
                        "The source's next page led back to a page already read. Nothing was withdrawn."
                    )
                )
            visited.add(url)
            self._count_page()
            graph = self._graph(url)
            for subject in sorted(set(graph.subjects(RDF.type, DCAT.Dataset)), key=str):
                yield self._read(graph, subject)
            following = self._next(graph)
            url = urllib.parse.urljoin(url, following) if following else ""
        self.complete = self.since is None

    def _graph(self, url: str) -> Graph:
        try:
            answer = fetch(url, accept=ACCEPT_RDF)
        except FetchError as error:
            raise HarvestStopped(str(error)) from error
        media = answer.content_type.split(";")[0].strip().lower()
        rdf_format = RDF_FORMATS.get(media) or _format_from_name(url)
        if rdf_format is None:
            raise HarvestStopped(
                _("The source's answer was not RDF (it said it was “%(type)s”).")
                % {"type": answer.content_type or "?"}
            )
        graph = Graph()
        try:
            graph.parse(data=answer.body, format=rdf_format, publicID=url)
        except Exception as error:  # rdflib's parsers raise many kinds of error
            raise HarvestStopped(
                _("The source's answer could not be read as %(format)s: %(error)s")
                % {"format": rdf_format, "error": str(error)[:200]}
            ) from error
        return graph

    def _next(self, graph: Graph) -> str:
        for view in graph.subjects(RDF.type, HYDRA.PartialCollectionView):
            for target in (*graph.objects(view, HYDRA.next), *graph.objects(view, HYDRA.nextPage)):
                return str(target)
        for target in graph.objects(None, HYDRA.nextPage):
            return str(target)
        return ""

    def _read(self, graph: Graph, subject):
        identifier = _text(graph, subject, DCTERMS.identifier) or (
            str(subject) if isinstance(subject, URIRef) else ""
        )
        title = _text(graph, subject, DCTERMS.title)
        if not identifier or not title:
            return (identifier or "?", _("It has no identifier or no title."))
        licences = [str(value) for value in graph.objects(subject, DCTERMS.license)]
        resources = []
        for node in graph.objects(subject, DCAT.distribution):
            licences += [str(value) for value in graph.objects(node, DCTERMS.license)]
            link = graph.value(node, DCAT.downloadURL) or graph.value(node, DCAT.accessURL)
            if link is None:
                continue
            resources.append(
                HarvestedResource(
                    name=(_text(graph, node, DCTERMS.title) or str(link))[:200],
                    url=str(link),
                    format=_format_label(graph, node),
                    description=_text(graph, node, DCTERMS.description),
                )
            )
        landing = graph.value(subject, DCAT.landingPage)
        source_url = str(landing) if landing is not None else ""
        if not source_url and isinstance(subject, URIRef) and str(subject).startswith("http"):
            source_url = str(subject)
        return HarvestedDataset(
            identifier=identifier,
            title=title,
            title_cy=_text(graph, subject, DCTERMS.title, "cy", fallback=False),
            description=_text(graph, subject, DCTERMS.description),
            description_cy=_text(graph, subject, DCTERMS.description, "cy", fallback=False),
            source_url=source_url,
            licence_given=_first_known(licences),
            keywords=sorted({str(value) for value in graph.objects(subject, DCAT.keyword)}),
            resources=sorted(resources, key=lambda resource: (resource.name, resource.url)),
            modified=str(graph.value(subject, DCTERMS.modified) or ""),
        )


def _first_known(licences: list[str]) -> str:
    from .records import licence_for

    for given in licences:
        if licence_for(given):
            return given
    return licences[0] if licences else ""


def _text(graph: Graph, subject, predicate, language: str = "en", *, fallback: bool = True) -> str:
    values = [value for value in graph.objects(subject, predicate) if isinstance(value, Literal)]
    for value in values:
        if value.language and value.language.lower().split("-")[0] == language:
            return str(value).strip()
    if fallback:
        for value in values:
            if not value.language:
                return str(value).strip()
        if values:
            return str(values[0]).strip()
    return ""


def _format_label(graph: Graph, node) -> str:
    value = graph.value(node, DCTERMS["format"]) or graph.value(node, DCAT.mediaType)
    if value is None:
        return ""
    text = str(value).rstrip("/")
    return text.rsplit("/", 1)[-1] if isinstance(value, URIRef) else text


def _format_from_name(url: str) -> str | None:
    path = urllib.parse.urlsplit(url).path.lower()
    for ending, rdf_format in (
        (".ttl", "turtle"),
        (".jsonld", "json-ld"),
        (".rdf", "xml"),
        (".xml", "xml"),
        (".nt", "nt"),
    ):
        if path.endswith(ending):
            return rdf_format
    return None


def reader_for(source, *, since: datetime | None) -> Reader:
    return (CkanReader if source.kind == "ckan" else DcatReader)(source, since=since)
