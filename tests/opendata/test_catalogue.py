"""The catalogue's services: creating, editing, publishing and uploading."""

import pytest
from django.core.exceptions import ValidationError

from townhall.core.models import AuditEntry
from townhall.core.permissions import PermissionDenied
from townhall.opendata import selectors, services
from townhall.opendata.models import Dataset, ResourceVersion

from .factories import DatasetFactory, OrganisationFactory, ThemeFactory, upload

pytestmark = pytest.mark.django_db


def test_dataset_create_makes_a_draft_with_an_ogl_licence_by_default(publisher):
    dataset = services.dataset_create(
        actor=publisher, title="Car parks", publisher=OrganisationFactory()
    )
    assert dataset.status == Dataset.Status.DRAFT
    assert dataset.licence == "OGL-UK-3.0"
    assert dataset.slug == "car-parks"


def test_dataset_create_returns_the_same_draft_when_submitted_twice(publisher):
    organisation = OrganisationFactory()
    first = services.dataset_create(actor=publisher, title="Car parks", publisher=organisation)
    second = services.dataset_create(actor=publisher, title="Car parks", publisher=organisation)
    assert first.pk == second.pk
    assert Dataset.objects.count() == 1


def test_dataset_create_gives_a_new_slug_when_another_dataset_has_the_title(publisher, person):
    organisation = OrganisationFactory()
    services.dataset_create(actor=publisher, title="Car parks", publisher=organisation)
    other = person("data_publisher", is_staff=True)
    second = services.dataset_create(actor=other, title="Car parks", publisher=organisation)
    assert second.slug == "car-parks-2"


def test_dataset_create_refuses_a_slug_that_names_a_page(publisher):
    with pytest.raises(ValidationError) as raised:
        services.dataset_create(
            actor=publisher, title="Anything", slug="publish", publisher=OrganisationFactory()
        )
    assert "slug" in raised.value.message_dict


def test_dataset_create_is_refused_to_a_resident(resident):
    with pytest.raises(PermissionDenied):
        services.dataset_create(actor=resident, title="X", publisher=OrganisationFactory())


def test_dataset_create_keeps_keywords_once_each(publisher):
    dataset = services.dataset_create(
        actor=publisher,
        title="Spend",
        publisher=OrganisationFactory(),
        keywords=["budget", "Budget", "  spending  "],
        themes=[ThemeFactory()],
    )
    assert sorted(k.name for k in dataset.keywords.all()) == ["budget", "spending"]
    assert dataset.themes.count() == 1


def test_dataset_update_refuses_a_period_that_ends_before_it_starts(publisher):
    import datetime

    dataset = DatasetFactory()
    with pytest.raises(ValidationError) as raised:
        services.dataset_update(
            actor=publisher,
            dataset=dataset,
            temporal_start=datetime.date(2025, 1, 1),
            temporal_end=datetime.date(2024, 1, 1),
        )
    assert "temporal_end" in raised.value.message_dict


def test_dataset_publish_is_recorded_in_the_audit_log(publisher):
    dataset = DatasetFactory()
    services.dataset_publish(actor=publisher, dataset=dataset)
    entry = AuditEntry.objects.get(action="opendata.publish")
    assert entry.actor == publisher
    assert entry.before == {"status": "draft"}
    assert entry.after == {"status": "published"}
    assert dataset.published_at is not None


def test_dataset_unpublish_is_recorded_and_hides_the_dataset(publisher, resident):
    dataset = DatasetFactory(published=True)
    services.dataset_unpublish(actor=publisher, dataset=dataset)
    assert AuditEntry.objects.filter(action="opendata.unpublish").exists()
    assert selectors.dataset_for_reader(dataset.slug, resident) is None
    assert selectors.dataset_for_reader(dataset.slug, publisher) is not None


def test_dataset_publish_is_refused_to_a_resident(resident):
    with pytest.raises(PermissionDenied):
        services.dataset_publish(actor=resident, dataset=DatasetFactory())


def test_resource_upload_keeps_each_version_with_its_size_and_hash(publisher):
    dataset = DatasetFactory()
    first = upload(publisher, dataset)
    second = upload(publisher, dataset, resource=first.resource, content="Ward,Year\nAbbey,2025\n")
    assert first.resource.versions.count() == 2
    assert first.file.name != second.file.name
    assert first.size == len(factories_csv())
    assert len(first.sha256) == 64
    first.file.open("rb")
    assert first.file.read().decode() == factories_csv()


def factories_csv() -> str:
    from .factories import SAMPLE_CSV

    return SAMPLE_CSV


def test_resource_upload_loads_a_csv_into_the_datastore(publisher):
    version = upload(publisher, DatasetFactory())
    version.refresh_from_db()
    assert version.ingest_status == ResourceVersion.Ingest.DONE
    assert version.row_count == 6
    resource = version.resource
    resource.refresh_from_db()
    assert resource.datastore_active
    assert resource.current_version == version


def test_resource_upload_refuses_a_pdf_named_csv(publisher):
    with pytest.raises(services.UploadRefused) as raised:
        upload(publisher, DatasetFactory(), content=b"%PDF-1.4\n...", filename="spend.csv")
    assert "PDF" in raised.value.message_dict["file"][0]
    assert ResourceVersion.objects.count() == 0


def test_resource_upload_refuses_a_file_over_the_size_limit(publisher, settings):
    settings.TOWNHALL_DATA_MAX_UPLOAD_BYTES = 100
    with pytest.raises(services.UploadRefused) as raised:
        upload(publisher, DatasetFactory(), content="a,b\n" + "1,2\n" * 100)
    assert "smaller than" in raised.value.message_dict["file"][0]
    assert ResourceVersion.objects.count() == 0


def test_resource_upload_refuses_an_empty_file(publisher):
    with pytest.raises(services.UploadRefused):
        upload(publisher, DatasetFactory(), content=b"")


def test_failed_new_version_leaves_the_published_version_served(publisher):
    from townhall.datastore import selectors as datastore

    dataset = DatasetFactory(published=True)
    good = upload(publisher, dataset)
    bad = upload(publisher, dataset, resource=good.resource, content=",,\n1,2\n")
    bad.refresh_from_db()
    good.resource.refresh_from_db()
    assert bad.ingest_status == ResourceVersion.Ingest.FAILED
    assert bad.ingest_message
    assert good.resource.current_version == good
    assert datastore.table_info(good.resource.pk).row_count == 6


def test_new_version_must_keep_the_resource_format(publisher):
    version = upload(publisher, DatasetFactory())
    with pytest.raises(services.UploadRefused):
        upload(
            publisher,
            version.resource.dataset,
            resource=version.resource,
            content='{"a": 1}',
            filename="data.json",
        )


def test_publishing_adds_the_dataset_to_site_search_and_unpublishing_removes_it(publisher):
    from townhall.core.selectors.search import search

    dataset = DatasetFactory(title="Allotment waiting lists")
    services.dataset_publish(actor=publisher, dataset=dataset)
    assert [hit.title for hit in search("allotment", language="en-gb").hits] == [dataset.title]
    services.dataset_unpublish(actor=publisher, dataset=dataset)
    assert search("allotment", language="en-gb").hits == []


def test_dataset_search_documents_exist_only_for_published_datasets():
    published = DatasetFactory(published=True)
    assert [doc.key for doc in selectors.dataset_search_documents(published)] == [str(published.pk)]
    assert selectors.dataset_search_documents(DatasetFactory()) == []


@pytest.mark.parametrize(("status", "who", "readable"), [
    ("published", "anonymous", True),
    ("draft", "anonymous", False),
    ("draft", "resident", False),
    ("draft", "publisher", True),
])  # fmt: skip
def test_datastore_table_is_readable_when_published_or_by_its_editors(
    publisher, resident, status, who, readable
):
    from django.contrib.auth.models import AnonymousUser

    from townhall.datastore import selectors as datastore

    version = upload(publisher, DatasetFactory(status=status))
    user = {"anonymous": AnonymousUser(), "resident": resident, "publisher": publisher}[who]
    assert datastore.is_visible(version.resource.pk, user) is readable


def test_resource_page_shows_a_running_load_to_its_publisher(client, publisher):
    from django.urls import reverse

    version = upload(publisher, DatasetFactory(published=True), ingest="never")
    client.force_login(publisher)
    url = reverse("opendata:resource", args=[version.resource.dataset.slug, version.resource.pk])
    assert "th-progress-display" in client.get(url).content.decode()


def _xlsx_bytes() -> bytes:
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Car park", "Spaces"])
    sheet.append(["Market Street", 320])
    sheet.append(["Station Road", 540])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_resource_upload_loads_a_real_xlsx_workbook(publisher):
    version = upload(publisher, DatasetFactory(), content=_xlsx_bytes(), filename="parks.xlsx")
    version.refresh_from_db()
    assert version.resource.format == "XLSX"
    assert version.row_count == 2


def test_resource_upload_refuses_a_workbook_named_json(publisher):
    with pytest.raises(services.UploadRefused) as raised:
        upload(publisher, DatasetFactory(), content=_xlsx_bytes(), filename="parks.json")
    assert "Excel (XLSX) workbook" in raised.value.message_dict["file"][0]


def test_resource_upload_loads_tab_separated_text(publisher):
    version = upload(
        publisher, DatasetFactory(), content="Ward\tYear\nAbbey\t2024\n", filename="w.tsv"
    )
    version.refresh_from_db()
    assert version.resource.format == "TSV"
    assert version.row_count == 1


def test_resource_upload_keeps_a_pdf_without_loading_it(publisher):
    version = upload(
        publisher, DatasetFactory(), content=b"%PDF-1.4\n%%EOF\n", filename="budget.pdf"
    )
    assert version.ingest_status == ResourceVersion.Ingest.NOT_TABULAR
    version.resource.refresh_from_db()
    assert version.resource.current_version == version
    assert not version.resource.datastore_active
