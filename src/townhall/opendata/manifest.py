"""What open data adds to the platform: the catalogue, publishing actions, search, demo."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from townhall.core import roles
from townhall.core.registry import (
    Action,
    DemoStep,
    Erasure,
    Evidence,
    EvidenceProvider,
    Manifest,
    Measure,
    NavigationEntry,
    PersonalRecords,
    SearchResource,
    StaffTool,
    TranslatedContent,
    WardPanel,
    WorkItem,
    WorkWaiting,
)

PUBLISHERS = (roles.DATA_PUBLISHER,)
#: Who sets up the catalogue's publishers and themes (administrators may do every action).
CATALOGUE_MANAGERS = (roles.DATA_PUBLISHER, roles.CHIEF_DIGITAL_OFFICER)


def _not_harvested(actor, dataset) -> bool:
    """A harvested dataset is edited at its source; each harvest would undo a change here."""
    return dataset is None or getattr(dataset, "harvest_source_id", None) is None


def _published_datasets():
    from .selectors import published_datasets

    return published_datasets()


def _published_resources():
    from .selectors import published_resources

    return published_resources()


def _dataset_edit_url(dataset) -> str:
    return reverse("opendata:dataset_edit", args=[dataset.slug])


def _search_documents(dataset):
    from .selectors import dataset_search_documents

    return dataset_search_documents(dataset)


def _datastore_readers(table_id, person) -> bool:
    from .visibility import table_readable

    return table_readable(table_id, person)


def _datastore_load_stopped(table_id, message: str) -> None:
    from .services import ingest_stopped

    ingest_stopped(resource_id=table_id, message=message)


def _api_token_user(request):
    from .services import api_token_holder

    return api_token_holder(request.headers.get("Authorization", ""))


def _transparency_waiting(person) -> list[WorkItem]:
    """One item for each dataset the Transparency Code requires that is late or missing."""
    from django.urls import reverse
    from django.utils.translation import gettext

    from .selectors import transparency_compliance
    from .transparency.compliance import NOT_PUBLISHED, OVERDUE

    phrases = {
        OVERDUE: gettext("%(title)s overdue"),
        NOT_PUBLISHED: gettext("%(title)s not published"),
    }
    url = reverse("opendata:transparency")
    return [
        WorkItem(count=1, label=phrases[row.status] % {"title": row.kind.title}, url=url)
        for row in transparency_compliance()
        if row.status in phrases
    ]


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


def _ward_panel(ward) -> dict | None:
    from .selectors import ward_data

    return ward_data(ward.code)


def _demo(context) -> None:
    from .demo import build

    build(context)


def _selector(name: str):
    """An open data selector called when used, so the manifest imports no models."""

    def call(*args):
        from . import selectors

        return getattr(selectors, name)(*args)

    return call


MANIFEST = Manifest(
    app_label="opendata",
    name=_("Open data"),
    description=_("The council's data catalogue, previews, downloads and CKAN-compatible API."),
    ward_panel=WardPanel(template="opendata/ward_panel.html", context=_ward_panel, order=50),
    personal_records=(
        PersonalRecords(
            model="opendata.Dataset",
            owner_field="created_by",
            key="datasets_created",
            label=_("Datasets you created"),
            export=("id", "slug", "title", "created_at"),
            erasure=Erasure.ANONYMISE,
            reason=_("The datasets stay published for the council; your name is removed."),
        ),
        PersonalRecords(
            model="opendata.ResourceVersion",
            owner_field="uploaded_by",
            key="files_uploaded",
            label=_("Files you uploaded"),
            export=("id", "resource__dataset__slug", "filename", "created_at"),
            erasure=Erasure.ANONYMISE,
            reason=_("The files stay in the catalogue; the record that you uploaded them goes."),
        ),
        PersonalRecords(
            model="opendata.HarvestSource",
            owner_field="created_by",
            key="harvest_sources_added",
            label=_("Harvest sources you added"),
            export=("id", "title", "url", "created_at"),
            erasure=Erasure.ANONYMISE,
            reason=_("The council keeps harvesting the catalogue; your name is removed."),
        ),
        PersonalRecords(
            model="opendata.HarvestRun",
            owner_field="requested_by",
            key="harvest_runs_requested",
            label=_("Harvests you started"),
            export=("id", "source__title", "created_at"),
            erasure=Erasure.ANONYMISE,
            reason=_("The runs' reports stay for the council; your name is removed."),
        ),
        PersonalRecords(
            model="opendata.ApiToken",
            owner_field="user",
            key="api_tokens",
            label=_("API tokens"),
            export=("name", "prefix", "created_at", "last_used_at", "revoked_at"),
            erasure=Erasure.DELETE,
        ),
    ),
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
            check=_not_harvested,
        ),
        Action(
            name="opendata.publish_dataset",
            description=_("Publish, unpublish and archive datasets"),
            roles=PUBLISHERS,
            check=_not_harvested,
        ),
        Action(
            name="opendata.manage_harvest_sources",
            description=_("Add catalogues to harvest datasets from, and run their harvests"),
            roles=PUBLISHERS,
        ),
        Action(
            name="opendata.manage_catalogue",
            description=_(
                "Add, rename and delete the catalogue's publishers and themes, which every "
                "dataset, the CKAN API and the DCAT catalogue name"
            ),
            roles=CATALOGUE_MANAGERS,
        ),
        Action(
            name="opendata.manage_api_tokens",
            description=_("Create and revoke API tokens for publishing from scripts"),
            roles=PUBLISHERS,
        ),
    ),
    staff_tools=(
        StaffTool(
            label=_("Datasets"),
            url_name="opendata:publish",
            action="opendata.edit_dataset",
            description=_(
                "Add and edit datasets, upload new versions of their files, publish them."
            ),
            order=10,
        ),
        StaffTool(
            label=_("New dataset"),
            url_name="opendata:dataset_create",
            action="opendata.edit_dataset",
            description=_("Describe a dataset, then add its data."),
            order=20,
        ),
        StaffTool(
            label=_("Transparency Code"),
            url_name="opendata:transparency",
            action="opendata.publish_dataset",
            description=_("Which datasets the Code requires, when each is due and which are late."),
            order=30,
        ),
        StaffTool(
            label=_("API tokens"),
            url_name="opendata:tokens",
            action="opendata.manage_api_tokens",
            description=_("Create and revoke tokens for publishing from scripts."),
            order=40,
        ),
        StaffTool(
            label=_("Publishers"),
            url_name="opendata:publishers",
            action="opendata.manage_catalogue",
            description=_("The departments that publish datasets, in English and Welsh."),
            order=50,
        ),
        StaffTool(
            label=_("Themes"),
            url_name="opendata:themes",
            action="opendata.manage_catalogue",
            description=_("The subjects datasets are grouped by, in English and Welsh."),
            order=60,
        ),
        StaffTool(
            label=_("Harvest sources"),
            url_name="opendata:harvest_sources",
            action="opendata.manage_harvest_sources",
            description=_(
                "Gather datasets from other councils' and the county's catalogues, and read "
                "each run's report."
            ),
            order=70,
        ),
    ),
    work_waiting=(WorkWaiting(action="opendata.publish_dataset", items=_transparency_waiting),),
    translated_content=(
        TranslatedContent(
            label=_("Datasets"),
            action="opendata.edit_dataset",
            fields=("title", "description"),
            published=_published_datasets,
            title=str,
            url=_dataset_edit_url,
        ),
        TranslatedContent(
            label=_("Data files and links"),
            action="opendata.edit_dataset",
            fields=("name", "description"),
            published=_published_resources,
            title=lambda resource: f"{resource.dataset.title}: {resource.name}",
            url=lambda resource: _dataset_edit_url(resource.dataset),
        ),
    ),
    search_resources=(
        SearchResource(
            kind="dataset",
            label=_("Datasets"),
            model="opendata.Dataset",
            items=_published_datasets,
            documents=_search_documents,
        ),
    ),
    # Before the modules that cite datasets as evidence (consultations at 40, decisions).
    # Facts other modules read by key (leadership's scorecard and councillor's guide).
    measures=(
        Measure(
            key="transparency_datasets_on_time",
            label=_("Transparency Code datasets published and not overdue"),
            compute=_selector("transparency_on_time"),
            url_name="opendata:transparency",
        ),
    ),
    demo=(DemoStep(label="Open data catalogue", run=_demo, order=30),),
    urls="townhall.opendata.urls",
    root_urls="townhall.opendata.root_urls",
    datastore_readers=_datastore_readers,
    datastore_load_stopped=_datastore_load_stopped,
    url_prefix="data/",
    api_router="townhall.opendata.api.router",
    api_prefix="data/",
    api_token_user=_api_token_user,
    evidence_provider=EvidenceProvider(find=_find_evidence, cite=_cite_evidence),
)
