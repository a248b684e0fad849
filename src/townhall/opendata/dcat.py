"""The catalogue as linked data: DCAT-AP (JSON-LD, Turtle, RDF/XML) and schema.org Dataset.

DCAT-AP is what European and UK harvesters read (data.gov.uk's and the EU portal's harvesters
use CKAN's ckanext-dcat). The mapping and the paging follow ckanext-dcat's `euro_dcat_ap`
profile so those harvesters read Townhall as they read CKAN: the catalogue is paged 100
datasets at a time with `?page=N`, newest change first, and each page says where the others
are with Hydra terms. Both Hydra vocabularies are given: `hydra:PartialCollectionView` with
`first`/`last`/`next`/`previous` (the current one, which ckanext-dcat's harvester reads) and the
older `hydra:PagedCollection` terms (which earlier harvesters read).

One graph is built per request and serialised in the format the file extension names, so
the three formats always say the same thing. Only published datasets appear; `q` and `fq`
narrow them in package_search's Solr syntax (ckan/solr.py), as ckanext-dcat's endpoint
passes them to package_search, and a query it cannot answer is a 409.

As ckanext-dcat's endpoint does, the catalogue takes `modified_since` (an ISO 8601 date or
date and time: only datasets changed since then) and `profiles` (a comma-separated list of
the RDF profile names ckanext-dcat knows); the Hydra links carry both on to the other pages.
Dataset pages (/data/<slug>/) answer an `Accept` header asking for RDF with the dataset's
document (see `negotiated_format`).

These addresses are language-neutral: `urlpatterns` is meant to be included at the site's
root, outside the /cy/ prefix.
"""

import json
import math
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseRedirectBase
from django.urls import NoReverseMatch, path, reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, SKOS, XSD

from townhall.core.components.pagination import MAX_PAGE
from townhall.core.languages import BOTH_LANGUAGES, both_languages, translated
from townhall.core.selectors.site import council_name, site_settings
from townhall.core.text import xml_text

from . import selectors
from .ckan import solr
from .ckan.errors import SearchQueryError
from .datapackage import datapackage_view
from .licences import OGL_UK_3
from .licences import licence as licence_for

DCAT = Namespace("http://www.w3.org/ns/dcat#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
CSVW = Namespace("http://www.w3.org/ns/csvw#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
LOCN = Namespace("http://www.w3.org/ns/locn#")
EU_FREQUENCY = Namespace("http://publications.europa.eu/resource/authority/frequency/")
EU_FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
EU_LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")
EU_ACCESS_RIGHT = Namespace("http://publications.europa.eu/resource/authority/access-right/")
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
ONS_GEOGRAPHY = "http://statistics.data.gov.uk/id/statistical-geography/"

PREFIXES = {
    "dcat": DCAT,
    "dct": DCTERMS,
    "foaf": FOAF,
    "vcard": VCARD,
    "skos": SKOS,
    "spdx": SPDX,
    "adms": ADMS,
    "locn": LOCN,
    "hydra": HYDRA,
    "csvw": CSVW,
    "xsd": XSD,
}

DATASETS_PER_PAGE = 100

# The URI DCAT-AP UK and data.gov.uk use for the Open Government Licence v3.0.
OGL_URI = "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"

# Catalogue update frequencies as the EU's frequency authority names them.
FREQUENCIES = {
    "continuous": "CONT",
    "daily": "DAILY",
    "weekly": "WEEKLY",
    "monthly": "MONTHLY",
    "quarterly": "QUARTERLY",
    "annual": "ANNUAL",
    "irregular": "IRREG",
    "one-off": "NEVER",
}

# Resource formats: (EU file-type code, IANA media type).
FORMATS = {
    "CSV": ("CSV", "text/csv"),
    "TSV": ("TSV", "text/tab-separated-values"),
    "XLSX": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "JSON": ("JSON", "application/json"),
    "GEOJSON": ("GEOJSON", "application/geo+json"),
    "PDF": ("PDF", "application/pdf"),
    "HTML": ("HTML", "text/html"),
}

SCHEMA = Namespace("http://schema.org/")

SERIALISATIONS = {
    "jsonld": ("json-ld", "application/ld+json"),
    "ttl": ("turtle", "text/turtle; charset=utf-8"),
    "xml": ("pretty-xml", "application/rdf+xml"),
    "rdf": ("pretty-xml", "application/rdf+xml"),
    "nt": ("nt", "application/n-triples"),
}

#: The media types a dataset page answers with RDF, and the serialisation of each.
NEGOTIABLE = {
    "text/turtle": "ttl",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdf",
    "application/n-triples": "nt",
}

#: ckanext-dcat's RDF profiles (its `ckan.rdf.profiles` entry points). Townhall has one
#: DCAT mapping, DCAT-AP as `euro_dcat_ap` writes it, and answers every DCAT profile with it
#: (DCAT-AP 2 and 3 and DCAT-US 3 read its terms); `schemaorg` gets schema.org's terms.
DCAT_PROFILES = frozenset(
    {
        "euro_dcat_ap",
        "euro_dcat_ap_2",
        "euro_dcat_ap_3",
        "euro_dcat_ap_scheming",
        "euro_health_dcat_ap",
        "dcat_us_3",
    }
)
SCHEMA_ORG_PROFILES = frozenset({"schemaorg"})
#: Known to ckanext-dcat, but describing what Townhall does not hold (Croissant's ML fields).
UNSUPPORTED_PROFILES = frozenset({"croissant"})
DEFAULT_PROFILES = ("euro_dcat_ap",)

#: The catalogue's parameters that its Hydra page links carry on, as ckanext-dcat's do.
CARRIED_PARAMETERS = ("modified_since", "profiles", "q", "fq")

MODIFIED_SINCE_ERROR = "Wrong modified date format. Use ISO-8601 format"


class CatalogueRequestError(ValueError):
    """A catalogue or dataset document asked for with a parameter it cannot take. The
    message is stable (ckanext-dcat's wording where it has one) and is sent as the 400's body."""


def licence_uri(licence_id: str) -> str:
    """The address that identifies a licence in linked data ("" for one without a text)."""
    if licence_id == OGL_UK_3:
        return OGL_URI
    return licence_for(licence_id).url


def media_type(resource_format: str) -> str | None:
    """The IANA media type of a catalogue resource format, or None when there is none."""
    known = FORMATS.get(str(resource_format).upper())
    return known[1] if known else None


def parse_modified_since(value: str | None) -> datetime | None:
    """`modified_since` as an aware datetime: an ISO 8601 date ("2026-12-05", midnight UTC)
    or date and time (fractions of a second, `Z` or an offset allowed; none means UTC).
    None when not given. Raises CatalogueRequestError for anything else."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
        # In UTC, as the database compares it; a moment off the calendar there is refused.
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
    except (ValueError, OverflowError):
        raise CatalogueRequestError(MODIFIED_SINCE_ERROR) from None


def parse_profiles(value: str | None) -> tuple[str, ...]:
    """The RDF profiles asked for ("a,b"), or DEFAULT_PROFILES when none are. Raises
    CatalogueRequestError naming unknown profiles as ckanext-dcat does ("Unknown RDF
    profiles: x, y"), or the known ones Townhall cannot write."""
    names = tuple(dict.fromkeys(name.strip() for name in (value or "").split(",") if name.strip()))
    if not names:
        return DEFAULT_PROFILES
    known = DCAT_PROFILES | SCHEMA_ORG_PROFILES | UNSUPPORTED_PROFILES
    unknown = sorted(name for name in names if name not in known)
    if unknown:
        raise CatalogueRequestError(f"Unknown RDF profiles: {', '.join(unknown)}")
    unsupported = sorted(name for name in names if name in UNSUPPORTED_PROFILES)
    if unsupported:
        offered = ", ".join(sorted(DCAT_PROFILES | SCHEMA_ORG_PROFILES))
        raise CatalogueRequestError(
            f"RDF profiles not supported here: {', '.join(unsupported)}. Use one of: {offered}"
        )
    return names


_MEDIA_RANGE = re.compile(r"^\s*([^;\s]+)\s*(?:;\s*q\s*=\s*([0-9.]+))?")


def negotiated_format(accept: str) -> str | None:
    """The RDF serialisation an Accept header asks for before HTML, or None (HTML).

    As ckanext-dcat reads the header: media ranges by quality, highest first (ties in the
    header's order); `text/html` reached first means the page. Only the exact RDF types in
    NEGOTIABLE count, so a browser's `*/*` still gets HTML.
    """
    ranked = []
    for part in (accept or "").split(",")[:50]:
        found = _MEDIA_RANGE.match(part)
        if not found:
            continue
        try:
            quality = float(found.group(2) or 1)
        except ValueError:
            quality = 0.0
        if quality > 0:
            ranked.append((found.group(1).lower(), quality))
    for media, _quality in sorted(ranked, key=lambda item: -item[1]):
        if media == "text/html":
            return None
        if media in NEGOTIABLE:
            return NEGOTIABLE[media]
    return None


class SiteLinks:
    """Absolute addresses of the site's pages, in English, for one request's host."""

    def __init__(self, request: HttpRequest | None) -> None:
        self.base = request.build_absolute_uri("/").rstrip("/") if request else ""

    def absolute(self, relative: str) -> str:
        return self.base + relative

    def page(self, name: str, *args: Any) -> str:
        with translation.override(settings.LANGUAGE_CODE):
            try:
                return self.absolute(reverse(name, args=args))
            except NoReverseMatch:
                return ""

    def dataset_uri(self, dataset: Any) -> str:
        return self.absolute(f"/dataset/{dataset.id}")

    def distribution_uri(self, dataset: Any, resource: Any) -> str:
        return self.absolute(f"/dataset/{dataset.id}/resource/{resource.id}")

    def landing_page(self, dataset: Any) -> str:
        return self.page("opendata:dataset", dataset.slug)

    def download(self, dataset: Any, resource: Any) -> str:
        """Where the resource's data itself is: the current upload, or the link it is."""
        if getattr(resource, "current_version", None) is not None:
            return self.page("opendata:resource_file", dataset.slug, resource.id)
        return resource.url or ""

    def preview(self, dataset: Any, resource: Any) -> str:
        return self.page("opendata:resource", dataset.slug, resource.id)

    def catalogue(self, **filters: str) -> str:
        page = self.page("opendata:catalogue")
        query = "&".join(f"{key}={value}" for key, value in filters.items())
        return f"{page}?{query}" if query else page


class CatalogueGraph:
    """Builds a DCAT-AP graph of a catalogue page or of one dataset."""

    def __init__(self, request: HttpRequest | None) -> None:
        self.request = request
        self.links = SiteLinks(request)
        self.graph = Graph()
        for prefix, namespace in PREFIXES.items():
            self.graph.bind(prefix, namespace)
        self.graph.bind("schema", SCHEMA)

    def add(self, subject, predicate, value, datatype=None) -> None:
        """Add a triple unless the value is empty; plain values become literals.

        Text loses any character XML cannot hold: inputs refuse them, but a row stored
        before that (or written around the services) must not make the RDF/XML that
        every harvester reads ill-formed.
        """
        if value in (None, ""):
            return
        if isinstance(value, URIRef):
            value = URIRef(xml_text(value))
        elif not isinstance(value, BNode | Literal):
            value = Literal(xml_text(value) if isinstance(value, str) else value, datatype=datatype)
        if isinstance(subject, URIRef):
            subject = URIRef(xml_text(subject))
        self.graph.add((subject, predicate, value))

    def add_text(self, subject, predicate, obj: Any, field: str) -> None:
        """Add a field of `obj` once per language it is written in, each literal tagged
        with its language (`"Libraries"@en`, `"Llyfrgelloedd"@cy`)."""
        for tag, text in both_languages(obj, field).items():
            if text:
                self.add(subject, predicate, Literal(xml_text(text), lang=tag))

    def catalog(self, datasets: Iterable[Any]) -> URIRef:
        """The dcat:Catalog, published by the council, listing these datasets."""
        catalog = URIRef(self.links.absolute("/"))
        self.add(catalog, RDF.type, DCAT.Catalog)
        name = council_name()
        self.add(catalog, DCTERMS.title, name)
        self.add(catalog, DCTERMS.description, f"Open data published by {name}.")
        self.add(catalog, FOAF.homepage, URIRef(self.links.catalogue()))
        self.add(catalog, DCTERMS.language, EU_LANGUAGE.ENG)
        self.add(catalog, DCTERMS.language, EU_LANGUAGE.CYM)
        self.add(catalog, DCTERMS.license, URIRef(OGL_URI))
        self.add(catalog, DCTERMS.publisher, self.council())
        modified = None
        for dataset in datasets:
            self.add(catalog, DCAT.dataset, self.dataset(dataset))
            changed = _changed(dataset)
            modified = max(filter(None, (modified, changed)), default=None)
        self.add(catalog, DCTERMS.modified, _datetime(modified), XSD.dateTime)
        return catalog

    def council(self) -> URIRef:
        agent = URIRef(self.links.absolute("/#council"))
        row = site_settings()
        self.add(agent, RDF.type, FOAF.Organization)
        self.add(agent, RDF.type, FOAF.Agent)
        self.add(agent, FOAF.name, council_name(row))
        self.add(agent, FOAF.homepage, URIRef(self.links.absolute("/")))
        if row.contact_email:
            self.add(agent, FOAF.mbox, URIRef(f"mailto:{row.contact_email}"))
        return agent

    def dataset(self, dataset: Any) -> URIRef:
        node = URIRef(self.links.dataset_uri(dataset))
        self.add(node, RDF.type, DCAT.Dataset)
        self.add(node, DCTERMS.identifier, str(dataset.id))
        self.add_text(node, DCTERMS.title, dataset, "title")
        self.add_text(node, DCTERMS.description, dataset, "description")
        self.add(node, DCAT.landingPage, URIRef(self.links.landing_page(dataset)))
        self.add(node, DCTERMS.issued, _datetime(dataset.published_at), XSD.dateTime)
        self.add(node, DCTERMS.modified, _datetime(_changed(dataset)), XSD.dateTime)
        self.add(node, DCTERMS.accessRights, EU_ACCESS_RIGHT.PUBLIC)
        frequency = FREQUENCIES.get(dataset.update_frequency)
        if frequency:
            self.add(node, DCTERMS.accrualPeriodicity, EU_FREQUENCY[frequency])
        for keyword in dataset.keywords.all():
            self.add(node, DCAT.keyword, keyword.name)
        for theme in dataset.themes.all():
            concept = URIRef(self.links.catalogue(theme=theme.slug))
            self.add(node, DCAT.theme, concept)
            self.add(concept, RDF.type, SKOS.Concept)
            self.add_text(concept, SKOS.prefLabel, theme, "title")
        self.add(node, DCTERMS.publisher, self.publisher(dataset.publisher))
        self.add(node, DCAT.contactPoint, self.contact(dataset))
        self.add(node, DCTERMS.temporal, self.period(dataset.temporal_start, dataset.temporal_end))
        self.add(node, DCTERMS.spatial, self.place(dataset))
        for resource in dataset.resources.all():
            self.add(node, DCAT.distribution, self.distribution(dataset, resource))
        return node

    def publisher(self, organisation: Any) -> URIRef:
        agent = URIRef(self.links.catalogue(publisher=organisation.slug))
        self.add(agent, RDF.type, FOAF.Agent)
        self.add(agent, RDF.type, FOAF.Organization)
        self.add_text(agent, FOAF.name, organisation, "title")
        if organisation.email:
            self.add(agent, FOAF.mbox, URIRef(f"mailto:{organisation.email}"))
        if organisation.url:
            self.add(agent, FOAF.homepage, URIRef(organisation.url))
        return agent

    def contact(self, dataset: Any) -> BNode | None:
        email = dataset.contact_email or dataset.publisher.email
        if not (dataset.contact_name or email):
            return None
        card = BNode()
        self.add(card, RDF.type, VCARD.Organization)
        self.add(card, VCARD.fn, dataset.contact_name or dataset.publisher.title)
        if email:
            self.add(card, VCARD.hasEmail, URIRef(f"mailto:{email}"))
        return card

    def period(self, start: date | None, end: date | None) -> BNode | None:
        if not (start or end):
            return None
        period = BNode()
        self.add(period, RDF.type, DCTERMS.PeriodOfTime)
        self.add(period, DCAT.startDate, start, XSD.date)
        self.add(period, DCAT.endDate, end, XSD.date)
        return period

    def place(self, dataset: Any) -> URIRef | BNode | None:
        code = getattr(dataset, "spatial_area_code", "")
        if not (code or dataset.spatial_coverage):
            return None
        place = URIRef(ONS_GEOGRAPHY + code) if code else BNode()
        self.add(place, RDF.type, DCTERMS.Location)
        self.add(place, SKOS.prefLabel, dataset.spatial_coverage)
        return place

    def distribution(self, dataset: Any, resource: Any) -> URIRef:
        node = URIRef(self.links.distribution_uri(dataset, resource))
        version = getattr(resource, "current_version", None)
        self.add(node, RDF.type, DCAT.Distribution)
        self.add_text(node, DCTERMS.title, resource, "name")
        self.add_text(node, DCTERMS.description, resource, "description")
        download = self.links.download(dataset, resource)
        access = self.links.preview(dataset, resource) if version else download
        self.add(node, DCAT.accessURL, URIRef(access) if access else None)
        self.add(node, DCAT.downloadURL, URIRef(download) if download else None)
        known = FORMATS.get(str(resource.format).upper())
        if known:
            self.add(node, DCTERMS["format"], EU_FILE_TYPE[known[0]])
            self.add(node, DCAT.mediaType, URIRef(IANA_MEDIA_TYPES + known[1]))
        licence = licence_uri(dataset.licence)
        if licence:
            document = URIRef(licence)
            self.add(node, DCTERMS.license, document)
            self.add(document, RDF.type, DCTERMS.LicenseDocument)
        self.add(node, DCTERMS.issued, _datetime(resource.created_at), XSD.dateTime)
        if version is not None:
            self.add(node, DCTERMS.modified, _datetime(version.created_at), XSD.dateTime)
            self.add(node, DCAT.byteSize, version.size, XSD.nonNegativeInteger)
            self.add(node, SPDX.checksum, self.checksum(version.sha256))
        self.add(node, CSVW.tableSchema, self.table_schema(resource))
        return node

    def table_schema(self, resource: Any) -> BNode | None:
        """The resource's data dictionary as a CSVW table schema: a csvw:Column per
        described column with its name, title and description in each language written
        (as the W3C's CSV on the Web vocabulary, which DCAT-AP's csvw profile reads)."""
        entries = list(resource.column_descriptions.all())
        if not entries:
            return None
        schema = BNode()
        self.add(schema, RDF.type, CSVW.Schema)
        for entry in entries:
            column = BNode()
            self.add(schema, CSVW.column, column)
            self.add(column, RDF.type, CSVW.Column)
            self.add(column, CSVW.name, entry.column)
            self.add_text(column, CSVW.title, entry, "title")
            self.add_text(column, DCTERMS.description, entry, "description")
        return schema

    def checksum(self, sha256: str) -> BNode | None:
        if not sha256:
            return None
        checksum = BNode()
        self.add(checksum, RDF.type, SPDX.Checksum)
        self.add(checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256)
        self.add(checksum, SPDX.checksumValue, sha256, XSD.hexBinary)
        return checksum

    def paging(self, catalog: URIRef, *, page_url, page: int, count: int, shown: int) -> None:
        """Hydra paging triples, computed as ckanext-dcat's `_pagination_info` does."""
        if count == 0:
            return
        last = math.ceil(count / DATASETS_PER_PAGE) or 1
        view = URIRef(page_url(page))
        links = {"first": page_url(1), "last": page_url(last)}
        if page > 1:
            within = (page - 1) * DATASETS_PER_PAGE + shown <= count
            links["previous"] = page_url(page - 1 if within else last)
        if page * DATASETS_PER_PAGE < count:
            links["next"] = page_url(page + 1)
        self.add(catalog, HYDRA.view, view)
        self.add(view, RDF.type, HYDRA.PartialCollectionView)
        self.add(view, RDF.type, HYDRA.PagedCollection)
        self.add(view, HYDRA.totalItems, count, XSD.integer)
        self.add(view, HYDRA.itemsPerPage, DATASETS_PER_PAGE, XSD.integer)
        for name, url in links.items():
            self.add(view, HYDRA[name], URIRef(url))
            self.add(view, HYDRA[f"{name}Page"], url)

    def describe(self, datasets: list[Any], profiles: Iterable[str]) -> URIRef:
        """The catalogue of these datasets in each profile's terms (DCAT-AP, schema.org or
        both, one graph), as ckanext-dcat lets each profile add its triples in turn."""
        catalog = URIRef(self.links.absolute("/"))
        wanted = set(profiles)
        if wanted & DCAT_PROFILES:
            self.catalog(datasets)
        if wanted & SCHEMA_ORG_PROFILES:
            self.schema_org_catalog(catalog, datasets)
        return catalog

    def describe_dataset(self, dataset: Any, profiles: Iterable[str]) -> None:
        wanted = set(profiles)
        if wanted & DCAT_PROFILES:
            self.dataset(dataset)
        if wanted & SCHEMA_ORG_PROFILES:
            self.schema_org(schema_org_dataset(dataset, request=self.request))

    def schema_org_catalog(self, catalog: URIRef, datasets: list[Any]) -> None:
        """schema.org's DataCatalog and a Dataset for each, as ckanext-dcat's `schemaorg`."""
        self.add(catalog, RDF.type, SCHEMA.DataCatalog)
        self.add(catalog, SCHEMA.name, council_name())
        self.add(catalog, SCHEMA.url, URIRef(self.links.catalogue()))
        for dataset in datasets:
            node = self.schema_org(schema_org_dataset(dataset, request=self.request))
            self.add(catalog, SCHEMA.dataset, node)

    def schema_org(self, document: dict[str, Any]) -> URIRef | BNode:
        """The triples of a schema.org JSON-LD object (plain keys, `@type`, `@id`), read
        directly rather than by a JSON-LD parser, which would fetch schema.org's context."""
        node = URIRef(document["@id"]) if document.get("@id") else BNode()
        for key, value in document.items():
            if key == "@type":
                self.add(node, RDF.type, SCHEMA[value])
            elif not key.startswith("@"):
                for item in value if isinstance(value, list) else [value]:
                    self.add(node, SCHEMA[key], self._schema_org_value(key, item))
        return node

    def _schema_org_value(self, key: str, value: Any):
        if isinstance(value, dict):
            return self.schema_org(value)
        if key in ("url", "license", "contentUrl") and value:
            return URIRef(value)
        return value

    def serialise(self, extension: str) -> tuple[str, str]:
        """(document, content type) for a file extension: jsonld, ttl, xml or rdf."""
        rdflib_format, content_type = SERIALISATIONS[extension]
        if rdflib_format == "json-ld":
            context = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
            context["schema"] = str(SCHEMA)
            return self.graph.serialize(format="json-ld", context=context), content_type
        return self.graph.serialize(format=rdflib_format), content_type


def catalogue_datasets(*, modified_since: datetime | None = None):
    """The published datasets the catalogue lists, newest change first: with
    `modified_since`, only those whose description or data changed at or after it (the
    dataset's dct:modified, as ckanext-dcat filters on metadata_modified)."""
    published = selectors.published_datasets()
    if modified_since is not None:
        published = published.filter(
            Q(updated_at__gte=modified_since) | Q(last_updated__gte=modified_since)
        )
    return published.order_by("-updated_at", "id")


def catalogue_document(
    request: HttpRequest,
    extension: str,
    page: int,
    *,
    modified_since: datetime | None = None,
    profiles: Iterable[str] = DEFAULT_PROFILES,
) -> tuple[str, str]:
    """One page of the catalogue in the profiles' terms, in the format the extension names,
    narrowed by the request's `q` and `fq` (raises SearchQueryError for a query
    package_search could not answer either)."""
    listed = catalogue_datasets(modified_since=modified_since)
    listed = solr.search(listed, q=request.GET.get("q", ""), fq=request.GET.getlist("fq"))[0]
    count = listed.count()
    start = (page - 1) * DATASETS_PER_PAGE
    datasets = list(listed[start : start + DATASETS_PER_PAGE])
    builder = CatalogueGraph(request)
    catalog = builder.describe(datasets, profiles)
    carried = [
        (name, request.GET[name]) for name in CARRIED_PARAMETERS if request.GET.get(name, "")
    ]

    def page_url(number: int) -> str:
        query = urlencode([*carried, ("page", str(number))])
        return builder.links.absolute(f"{request.path}?{query}")

    builder.paging(catalog, page_url=page_url, page=page, count=count, shown=len(datasets))
    return builder.serialise(extension)


def dataset_document(
    request: HttpRequest, dataset: Any, extension: str, profiles: Iterable[str] = DEFAULT_PROFILES
) -> tuple[str, str]:
    """One published dataset in the profiles' terms, in the format the extension names."""
    builder = CatalogueGraph(request)
    builder.describe_dataset(dataset, profiles)
    return builder.serialise(extension)


# --- schema.org --------------------------------------------------------------------------


def schema_org_dataset(dataset: Any, *, request: HttpRequest | None) -> dict[str, Any]:
    """The dataset as a schema.org Dataset (what search engines' dataset search reads)."""
    links = SiteLinks(request)
    landing = links.landing_page(dataset)
    # In the page's language, unless the title is only written in English.
    welsh = translation.get_language() == "cy" and not translated(dataset, "title").lang
    document: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": landing,
        "url": landing,
        "identifier": str(dataset.id),
        "name": dataset.title,
        "description": dataset.description or dataset.title,
        "inLanguage": "cy" if welsh else "en-GB",
        "isAccessibleForFree": True,
        "keywords": [keyword.name for keyword in dataset.keywords.all()],
        "publisher": {
            "@type": "GovernmentOrganization",
            "name": dataset.publisher.title,
            "parentOrganization": {"@type": "GovernmentOrganization", "name": council_name()},
        },
        "includedInDataCatalog": {
            "@type": "DataCatalog",
            "name": council_name(),
            "url": links.catalogue(),
        },
        "distribution": [
            _schema_org_download(links, dataset, resource) for resource in dataset.resources.all()
        ],
    }
    optional = {
        "license": licence_uri(dataset.licence),
        "datePublished": _iso(dataset.published_at),
        "dateModified": _iso(_changed(dataset)),
        "temporalCoverage": _interval(dataset.temporal_start, dataset.temporal_end),
        "spatialCoverage": (
            {"@type": "Place", "name": dataset.spatial_coverage}
            if dataset.spatial_coverage
            else None
        ),
    }
    if dataset.contact_email:
        document["creator"] = {
            "@type": "Organization",
            "name": dataset.publisher.title,
            "email": dataset.contact_email,
        }
    document.update({key: value for key, value in optional.items() if value})
    return document


def schema_org_json(dataset: Any, *, request: HttpRequest | None) -> SafeString:
    """The schema.org JSON-LD, safe to place inside a <script> element.

    <, > and & are written as JSON escapes (as Django's json_script does), so a title
    containing "</script>" cannot end the element.
    """
    document = json.dumps(schema_org_dataset(dataset, request=request), ensure_ascii=False)
    escaped = document.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    # The three characters that could end the element are escaped above.
    return mark_safe(escaped)


def _schema_org_download(links: SiteLinks, dataset: Any, resource: Any) -> dict[str, Any]:
    download: dict[str, Any] = {
        "@type": "DataDownload",
        "name": resource.name,
        "contentUrl": links.download(dataset, resource),
    }
    mime = media_type(resource.format)
    if mime:
        download["encodingFormat"] = mime
    version = getattr(resource, "current_version", None)
    if version is not None:
        download["contentSize"] = f"{version.size} B"
    return download


# --- Views -------------------------------------------------------------------------------


class HttpResponseSeeOther(HttpResponseRedirectBase):
    status_code = 303


def _bad_request(message: str) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


@require_GET
def catalogue_view(request: HttpRequest, extension: str) -> HttpResponse:
    try:
        page = int(request.GET.get("page", "1") or 1)
    except ValueError:
        page = 0
    if page < 1:
        return _bad_request("Page param must be a positive integer starting in 1")
    if page > MAX_PAGE:
        return _bad_request(f"Page param must be at most {MAX_PAGE}")
    try:
        modified_since = parse_modified_since(request.GET.get("modified_since"))
        profiles = parse_profiles(request.GET.get("profiles"))
    except CatalogueRequestError as error:
        return _bad_request(str(error))
    try:
        document, content_type = catalogue_document(
            request, extension, page, modified_since=modified_since, profiles=profiles
        )
    except SearchQueryError as error:  # ckanext-dcat answers a bad query with 409
        return HttpResponse(error.body()["message"], status=409, content_type="text/plain")
    return HttpResponse(
        document, content_type=content_type, headers={"Content-Language": BOTH_LANGUAGES}
    )


def dataset_response(request: HttpRequest, name: str, extension: str) -> HttpResponse:
    """A published dataset's document in the profiles `?profiles=` names (404 for a draft
    or no such dataset, 400 for an unknown profile)."""
    try:
        profiles = parse_profiles(request.GET.get("profiles"))
    except CatalogueRequestError as error:
        return _bad_request(str(error))
    dataset = selectors.published_datasets().filter(slug=name).first()
    if dataset is None:
        raise Http404
    document, content_type = dataset_document(request, dataset, extension, profiles)
    return HttpResponse(
        document, content_type=content_type, headers={"Content-Language": BOTH_LANGUAGES}
    )


@require_GET
def dataset_view(request: HttpRequest, name: str, extension: str) -> HttpResponse:
    return dataset_response(request, name, extension)


def negotiated_dataset_response(request: HttpRequest, slug: str) -> HttpResponse | None:
    """For a dataset page: its RDF when the Accept header asks for RDF before HTML, marked
    `Vary: Accept`; None when the page should be HTML."""
    extension = negotiated_format(request.headers.get("Accept", ""))
    if extension is None:
        return None
    try:
        response = dataset_response(request, slug, extension)
    except Http404:
        response = HttpResponse("Not found", status=404, content_type="text/plain; charset=utf-8")
    patch_vary_headers(response, ["Accept"])
    return response


@require_GET
def dataset_uri_view(request: HttpRequest, dataset_id) -> HttpResponse:
    """A dataset's linked-data URI leads to its page (303 See Other, as linked data does)."""
    dataset = selectors.published_datasets().filter(pk=dataset_id).first()
    if dataset is None:
        raise Http404
    return HttpResponseSeeOther(SiteLinks(request).landing_page(dataset))


def _changed(dataset: Any) -> datetime | None:
    """When the dataset last changed: its data or its description, whichever is later."""
    moments = [getattr(dataset, "last_updated", None), getattr(dataset, "updated_at", None)]
    return max((moment for moment in moments if moment), default=None)


def _datetime(moment: datetime | None) -> datetime | None:
    return moment.replace(microsecond=0) if moment else None


def _iso(moment: datetime | None) -> str | None:
    return _datetime(moment).isoformat() if moment else None


def _interval(start: date | None, end: date | None) -> str | None:
    if not (start or end):
        return None
    return f"{start.isoformat() if start else '..'}/{end.isoformat() if end else '..'}"


urlpatterns = [
    path("catalog.jsonld", catalogue_view, {"extension": "jsonld"}, name="dcat-catalog-jsonld"),
    path("catalog.ttl", catalogue_view, {"extension": "ttl"}, name="dcat-catalog-ttl"),
    path("catalog.xml", catalogue_view, {"extension": "xml"}, name="dcat-catalog-xml"),
    path("catalog.rdf", catalogue_view, {"extension": "rdf"}, name="dcat-catalog-rdf"),
    path("dataset/<uuid:dataset_id>", dataset_uri_view, name="dcat-dataset-uri"),
    path("dataset/<slug:name>.ttl", dataset_view, {"extension": "ttl"}, name="dcat-dataset-ttl"),
    path(
        "dataset/<slug:name>.jsonld",
        dataset_view,
        {"extension": "jsonld"},
        name="dcat-dataset-jsonld",
    ),
    path("dataset/<slug:name>.rdf", dataset_view, {"extension": "rdf"}, name="dcat-dataset-rdf"),
    path("data/<slug:name>/datapackage.json", datapackage_view, name="datapackage"),
]
