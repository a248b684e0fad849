"""Publishers' pages and the `townhall data load` command."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from townhall.core.models import AuditEntry
from townhall.opendata.models import Dataset, Resource, ResourceVersion

from .factories import SAMPLE_CSV, DatasetFactory, OrganisationFactory, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, publisher):
    client.force_login(publisher)
    return client


@pytest.mark.parametrize(
    "url_name", ["opendata:publish", "opendata:dataset_create", "opendata:tokens"]
)
def test_publishing_pages_are_forbidden_to_a_resident(client, resident, url_name):
    client.force_login(resident)
    assert client.get(reverse(url_name)).status_code == 403


def test_publishing_pages_ask_an_anonymous_visitor_to_sign_in(client):
    response = client.get(reverse("opendata:publish"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_create_dataset_form_makes_a_draft(signed_in):
    organisation = OrganisationFactory()
    response = signed_in.post(
        reverse("opendata:dataset_create"),
        {
            "title": "Public toilets",
            "description": "Where they are.",
            "publisher": organisation.pk,
            "licence": "OGL-UK-3.0",
            "keywords": "toilets, accessibility",
            "update_frequency": "annual",
            "transparency_code": "",
        },
    )
    dataset = Dataset.objects.get(slug="public-toilets")
    assert response.status_code == 302
    assert dataset.status == Dataset.Status.DRAFT
    assert sorted(k.name for k in dataset.keywords.all()) == ["accessibility", "toilets"]


def test_create_dataset_form_shows_govuk_errors(signed_in):
    response = signed_in.post(reverse("opendata:dataset_create"), {"title": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "govuk-error-message" in page


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", "Public\x0btoilets"), ("description", "Where\x1b they are"), ("keywords", "a\x07b")],
)
def test_create_dataset_form_refuses_control_characters_with_a_message(signed_in, field, value):
    form = {
        "title": "Public toilets",
        "publisher": OrganisationFactory().pk,
        "licence": "OGL-UK-3.0",
        "update_frequency": "annual",
    }
    response = signed_in.post(reverse("opendata:dataset_create"), {**form, field: value})
    page = response.content.decode()
    assert response.status_code == 200
    assert "invisible control characters from this text" in page
    assert f'href="#id_{field}"' in page
    assert not Dataset.objects.exists()


def test_upload_page_drops_control_characters_from_the_file_name(signed_in):
    dataset = DatasetFactory()
    response = signed_in.post(
        reverse("opendata:resource_add", args=[dataset.slug]),
        {"kind": "upload", "file": SimpleUploadedFile("bins\x01\x1b.csv", SAMPLE_CSV.encode())},
    )
    version = ResourceVersion.objects.get()
    assert response.status_code == 302
    assert version.filename == "bins.csv"
    assert version.resource.name == "bins"


def test_create_dataset_form_submitted_twice_makes_one_dataset(signed_in):
    organisation = OrganisationFactory()
    form = {"title": "Allotments", "publisher": organisation.pk, "licence": "OGL-UK-3.0",
            "update_frequency": "annual"}  # fmt: skip
    signed_in.post(reverse("opendata:dataset_create"), form)
    signed_in.post(reverse("opendata:dataset_create"), form)
    assert Dataset.objects.filter(title="Allotments").count() == 1


def test_publish_button_publishes_and_audits(signed_in, publisher):
    dataset = DatasetFactory()
    signed_in.post(reverse("opendata:dataset_status", args=[dataset.slug]), {"action": "publish"})
    dataset.refresh_from_db()
    assert dataset.status == Dataset.Status.PUBLISHED
    assert AuditEntry.objects.filter(action="opendata.publish", actor=publisher).exists()


# A council's spending file as it comes: money with pound signs and brackets, UK dates and
# one date no calendar has.
QUIRKY_CSV = (
    "Date,Supplier,Amount\n"
    '01/10/2023,Acme Ltd,"£1,250.00"\n'
    "2023-10-02,Refund Ltd,£-120.00\n"
    "1 Oct 2023,Parks Co,(45.50)\n"
    "31/02/2023,Roads Ltd,(£120.00)\n"
    "15/11/2023,Print Co,-£7.25\n"
    '17/11/2023,Bus Co,"1,250"\n'
)


def test_publishing_data_loaded_with_problems_is_refused_until_confirmed(publisher):
    from django.core.exceptions import ValidationError

    from townhall.opendata import services

    dataset = DatasetFactory()
    upload(publisher, dataset, QUIRKY_CSV, filename="spend.csv")

    with pytest.raises(ValidationError) as refused:
        services.dataset_publish(actor=publisher, dataset=dataset)

    assert refused.value.error_dict["confirm_problems"][0].code == "unconfirmed_problems"
    assert "loaded with 1 problem." in refused.value.messages[0]
    dataset.refresh_from_db()
    assert dataset.status == Dataset.Status.DRAFT
    services.dataset_publish(actor=publisher, dataset=dataset, confirm_problems=True)
    assert dataset.status == Dataset.Status.PUBLISHED
    entry = AuditEntry.objects.get(action="opendata.publish")
    assert entry.after == {"status": "published", "problems_confirmed": 1}


def test_publish_button_asks_to_confirm_the_problems_first(signed_in, publisher):
    dataset = DatasetFactory()
    upload(publisher, dataset, QUIRKY_CSV, filename="spend.csv")
    status_url = reverse("opendata:dataset_status", args=[dataset.slug])

    page = signed_in.get(reverse("opendata:dataset_edit", args=[dataset.slug])).text
    refused = signed_in.post(status_url, {"action": "publish"}, follow=True).text
    dataset.refresh_from_db()
    status_after_refusal = dataset.status
    signed_in.post(status_url, {"action": "publish", "confirm_problems": "yes"})
    dataset.refresh_from_db()

    assert "govuk-warning-text" in page
    assert "1 problem" in page
    assert 'name="confirm_problems"' in page
    assert "The data was loaded with 1 problem." in refused
    assert status_after_refusal == Dataset.Status.DRAFT
    assert dataset.status == Dataset.Status.PUBLISHED


def test_publish_button_publishes_data_without_problems_at_once(signed_in, publisher):
    dataset = DatasetFactory()
    upload(publisher, dataset)

    page = signed_in.get(reverse("opendata:dataset_edit", args=[dataset.slug])).text
    signed_in.post(reverse("opendata:dataset_status", args=[dataset.slug]), {"action": "publish"})
    dataset.refresh_from_db()

    assert 'name="confirm_problems"' not in page
    assert dataset.status == Dataset.Status.PUBLISHED


def test_api_publish_refuses_unconfirmed_problems_with_a_stable_code(client, publisher):
    from townhall.opendata import services

    dataset = DatasetFactory()
    upload(publisher, dataset, QUIRKY_CSV, filename="spend.csv")
    _token, secret = services.api_token_create(actor=publisher, name="script")
    url = f"/api/v1/data/datasets/{dataset.slug}/publish"

    refused = client.post(url, HTTP_AUTHORIZATION=f"Token {secret}")
    published = client.post(f"{url}?confirm_problems=true", HTTP_AUTHORIZATION=f"Token {secret}")

    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "unconfirmed_problems"
    assert published.status_code == 200
    assert published.json()["status"] == "published"


def test_resource_page_shows_typed_columns_and_reports_each_cell_that_did_not_fit(
    signed_in, publisher
):
    dataset = DatasetFactory()
    version = upload(publisher, dataset, QUIRKY_CSV, filename="spend.csv")
    resource_url = reverse("opendata:resource", args=[dataset.slug, version.resource_id])

    page = signed_in.get(resource_url).text
    original = b"".join(
        signed_in.get(
            reverse("opendata:resource_file", args=[dataset.slug, version.resource_id])
        ).streaming_content
    )

    assert "Date: date" in page
    assert "Amount: decimal" in page
    assert "<code>31/02/2023</code>" in page
    assert "-120.00" in page
    assert "-45.50" in page
    assert "Loaded Loaded" not in " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "1 cell did not fit its column" in page
    assert original == QUIRKY_CSV.encode()


def test_resource_page_refreshes_itself_for_the_publisher_while_the_new_version_loads(
    client, signed_in, publisher
):
    dataset = DatasetFactory(status=Dataset.Status.PUBLISHED)
    version = upload(publisher, dataset, ingest="background")
    url = reverse("opendata:resource", args=[dataset.slug, version.resource_id])
    refresh = '<meta http-equiv="refresh" content="5">'

    waiting = signed_in.get(url).text
    client.logout()
    seen_by_a_resident = client.get(url)

    assert refresh in waiting
    assert "This page refreshes every 5 seconds." in waiting
    assert seen_by_a_resident.status_code == 200
    assert refresh not in seen_by_a_resident.text


def test_upload_page_stores_a_file_and_loads_it(signed_in, django_capture_on_commit_callbacks):
    dataset = DatasetFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(
            reverse("opendata:resource_add", args=[dataset.slug]),
            {
                "kind": "upload",
                "name": "Recycling",
                "file": SimpleUploadedFile("r.csv", SAMPLE_CSV.encode()),
            },
        )
    resource = Resource.objects.get(dataset=dataset)
    assert response.status_code == 302
    assert resource.versions.get().ingest_status == ResourceVersion.Ingest.DONE
    assert resource.datastore_active


def test_upload_page_refuses_a_file_whose_type_lies(signed_in):
    dataset = DatasetFactory()
    response = signed_in.post(
        reverse("opendata:resource_add", args=[dataset.slug]),
        {"kind": "upload", "file": SimpleUploadedFile("spend.csv", b"%PDF-1.7 not a table")},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "its content is a PDF document" in page
    assert not Resource.objects.exists()


def test_upload_page_refuses_a_file_over_the_limit_while_it_streams(signed_in, settings):
    settings.TOWNHALL_DATA_MAX_UPLOAD_BYTES = 1000
    dataset = DatasetFactory()
    response = signed_in.post(
        reverse("opendata:resource_add", args=[dataset.slug]),
        {"kind": "upload", "file": SimpleUploadedFile("big.csv", b"a,b\n" + b"1,2\n" * 2000)},
    )
    assert response.status_code == 200
    assert "The file must be smaller than" in response.content.decode()
    assert not ResourceVersion.objects.exists()


def test_link_form_adds_a_link_resource(signed_in):
    dataset = DatasetFactory()
    signed_in.post(
        reverse("opendata:resource_add", args=[dataset.slug]),
        {
            "kind": "link",
            "link-name": "Map",
            "link-url": "https://example.org/map",
            "link-format": "HTML",
        },
    )
    assert Resource.objects.get(dataset=dataset).url == "https://example.org/map"


def test_new_version_page_keeps_the_old_version(
    signed_in, publisher, django_capture_on_commit_callbacks
):
    first = upload(publisher, DatasetFactory())
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(
            reverse(
                "opendata:version_upload", args=[first.resource.dataset.slug, first.resource.pk]
            ),
            {"file": SimpleUploadedFile("r2.csv", b"Ward,Year\nAbbey,2025\n")},
        )
    resource = first.resource
    resource.refresh_from_db()
    assert resource.versions.count() == 2
    assert resource.current_version.filename == "r2.csv"


def test_column_types_page_reloads_with_the_chosen_type(
    signed_in, publisher, django_capture_on_commit_callbacks
):
    from townhall.datastore import selectors as datastore

    version = upload(publisher, DatasetFactory())
    url = reverse(
        "opendata:column_types", args=[version.resource.dataset.slug, version.resource.pk]
    )
    form = signed_in.get(url).context["form"]
    year_field = next(name for name, field in form.fields.items() if field.label == "Year")
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(url, {year_field: "text"})
    types = {
        column["id"]: column["type"] for column in datastore.table_info(version.resource.pk).columns
    }
    assert types["Year"] == "text"


def test_data_load_command_loads_a_file_with_a_progress_bar(publisher, tmp_path, capsys):
    dataset = DatasetFactory(slug="recycling")
    path = tmp_path / "recycling.csv"
    path.write_text(SAMPLE_CSV)
    stdout = io.StringIO()
    call_command("data", "load", "recycling", str(path), stdout=stdout)
    output = stdout.getvalue()
    assert "Rows: 6" in output
    assert "Households: integer" in output
    assert "rows" in capsys.readouterr().err
    assert Resource.objects.get(dataset=dataset).datastore_active


def test_data_load_command_adds_a_version_to_the_resource_of_the_same_name(publisher, tmp_path):
    dataset = DatasetFactory(slug="recycling")
    path = tmp_path / "recycling.csv"
    path.write_text(SAMPLE_CSV)
    call_command("data", "load", "recycling", str(path), stdout=io.StringIO())
    call_command("data", "load", "recycling", str(path), stdout=io.StringIO())
    resource = Resource.objects.get(dataset=dataset)
    assert resource.versions.count() == 2


def test_data_load_command_fails_clearly_for_an_unknown_dataset(tmp_path):
    with pytest.raises(CommandError, match="no dataset called"):
        call_command("data", "load", "nothing", str(tmp_path / "x.csv"))


def test_data_load_command_fails_with_a_message_when_the_file_does_not_load(publisher, tmp_path):
    dataset = DatasetFactory(slug="recycling")
    good = tmp_path / "recycling.csv"
    good.write_text(SAMPLE_CSV)
    call_command("data", "load", "recycling", str(good), stdout=io.StringIO())
    bad = tmp_path / "recycling-bad.csv"
    bad.write_text(",,\n1,2\n")
    with pytest.raises(CommandError, match="did not load"):
        call_command(
            "data", "load", "recycling", str(bad), "--resource", "recycling", stdout=io.StringIO()
        )
    resource = Resource.objects.get(dataset=dataset)
    assert resource.current_version.filename == "recycling.csv"


def test_data_load_command_applies_column_types(tmp_path):
    from townhall.datastore import selectors as datastore

    dataset = DatasetFactory(slug="recycling")
    path = tmp_path / "recycling.csv"
    path.write_text(SAMPLE_CSV)
    call_command(
        "data", "load", "recycling", str(path), "--type", "Year=text", stdout=io.StringIO()
    )
    resource = Resource.objects.get(dataset=dataset)
    types = {column["id"]: column["type"] for column in datastore.table_info(resource.pk).columns}
    assert types["Year"] == "text"


def test_upload_page_still_checks_the_csrf_token(publisher):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(publisher)
    dataset = DatasetFactory()
    response = client.post(
        reverse("opendata:resource_add", args=[dataset.slug]),
        {"kind": "upload", "file": SimpleUploadedFile("r.csv", SAMPLE_CSV.encode())},
    )
    assert response.status_code == 403
    assert not Resource.objects.exists()


def test_a_failed_upload_offers_its_publisher_a_retry_that_loads_it_and_is_audited(
    signed_in, publisher, django_capture_on_commit_callbacks
):
    first = upload(publisher, DatasetFactory(published=True))
    resource = first.resource
    stopped = upload(publisher, resource.dataset, resource=resource, ingest="never")
    ResourceVersion.objects.filter(pk=stopped.pk).update(
        ingest_status=ResourceVersion.Ingest.FAILED, ingest_message="The load stopped."
    )
    page = signed_in.get(reverse("opendata:resource", args=[resource.dataset.slug, resource.pk]))
    retry = reverse("opendata:version_retry", args=[resource.dataset.slug, resource.pk, stopped.pk])
    assert f'action="{retry}"' in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(retry)

    assert response.status_code == 302
    stopped.refresh_from_db()
    resource.refresh_from_db()
    assert (stopped.ingest_status, stopped.ingest_message) == (ResourceVersion.Ingest.DONE, "")
    assert resource.current_version == stopped
    entry = AuditEntry.objects.get(action="opendata.version_ingest_retry")
    assert (entry.object_id, entry.before["ingest_status"]) == (str(stopped.pk), "failed")


@pytest.mark.parametrize("status", ["waiting", "running", "done"])
def test_a_retry_is_refused_unless_the_newest_upload_failed(signed_in, publisher, status):
    version = upload(publisher, DatasetFactory(), ingest="never")
    ResourceVersion.objects.filter(pk=version.pk).update(ingest_status=status)
    resource = version.resource

    signed_in.post(
        reverse("opendata:version_retry", args=[resource.dataset.slug, resource.pk, version.pk])
    )

    version.refresh_from_db()
    assert version.ingest_status == status


def test_a_retry_is_forbidden_to_a_resident(client, resident, publisher):
    version = upload(publisher, DatasetFactory(published=True), ingest="never")
    ResourceVersion.objects.filter(pk=version.pk).update(ingest_status="failed")
    resource = version.resource
    client.force_login(resident)

    response = client.post(
        reverse("opendata:version_retry", args=[resource.dataset.slug, resource.pk, version.pk])
    )

    assert response.status_code == 403
    version.refresh_from_db()
    assert version.ingest_status == "failed"
