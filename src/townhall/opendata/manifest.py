"""What open data adds to the platform: the catalogue, publishing actions, search, demo."""

from django.utils.translation import gettext_lazy as _

from townhall.core import roles
from townhall.core.registry import (
    Action,
    DemoStep,
    Evidence,
    EvidenceProvider,
    Manifest,
    NavigationEntry,
    SearchResource,
)

PUBLISHERS = (roles.DATA_PUBLISHER,)


def _documents():
    from .selectors import search_documents

    return search_documents()


def _api_token_user(request):
    from .services import api_token_holder

    return api_token_holder(request.headers.get("Authorization", ""))


def _find_evidence(key: str, *, user) -> Evidence | None:
    from .selectors import dataset_by_id_or_name, saved_view_url

    dataset = dataset_by_id_or_name(key, user=user)
    if dataset is None:
        return None
    return Evidence(
        key=str(dataset.pk), title=dataset.title, url=saved_view_url(dataset_id=dataset.pk)
    )


def _cite_evidence(key: str, **cited_by: str) -> None:
    from .services import evidence_cite

    evidence_cite(dataset_id=key, **cited_by)


def _demo(context) -> None:
    from .demo import build

    build(context)


MANIFEST = Manifest(
    app_label="opendata",
    name=_("Open data"),
    description=_("The council's data catalogue, previews, downloads and CKAN-compatible API."),
    navigation=(
        NavigationEntry(
            label=_("Data"),
            url_name="opendata:catalogue",
            order=30,
            description=_(
                "Find, preview, chart, map and download the council's open data, from "
                "spending over £500 to library visits."
            ),
        ),
    ),
    actions=(
        Action(
            name="opendata.view_catalogue",
            description=_("Browse, preview and download published datasets"),
            roles=(roles.PUBLIC,),
        ),
        Action(
            name="opendata.edit_dataset",
            description=_("Create and edit datasets and their resources, and upload files"),
            roles=PUBLISHERS,
        ),
        Action(
            name="opendata.publish_dataset",
            description=_("Publish, unpublish and archive datasets"),
            roles=PUBLISHERS,
        ),
        Action(
            name="opendata.manage_api_tokens",
            description=_("Create and revoke API tokens for publishing from scripts"),
            roles=PUBLISHERS,
        ),
    ),
    search_resources=(SearchResource(kind="dataset", label=_("Datasets"), documents=_documents),),
    # Before the modules that cite datasets as evidence (consultations at 40, decisions).
    demo=(DemoStep(label="Open data catalogue", run=_demo, order=30),),
    urls="townhall.opendata.urls",
    url_prefix="data/",
    api_router="townhall.opendata.api.router",
    api_prefix="data/",
    api_token_user=_api_token_user,
    evidence_provider=EvidenceProvider(find=_find_evidence, cite=_cite_evidence),
)
