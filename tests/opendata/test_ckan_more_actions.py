"""The CKAN actions clients call beyond the basic read side (issue #16, item 4):
current_package_list_with_resources, package_autocomplete, tag_show, datastore_info,
datastore_search's csv and tsv records, and the activity streams, checked against the
shapes of CKAN 2.10 (ckan/logic/action/get.py, ckanext/datastore, ckanext/activity).
"""

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from townhall.core import audit
from townhall.opendata import services
from townhall.opendata.ckan.activity import opaque_user_id
from townhall.opendata.ckan.views import ACTIONS
from townhall.opendata.models import Dataset

from .factories import DatasetFactory, OrganisationFactory, upload

pytestmark = pytest.mark.django_db


def action(client, name, method="get", **data):
    url = reverse("ckan-action", args=[name])
    if method == "post":
        return client.post(url, json.dumps(data), content_type="application/json")
    return client.get(url, data)


def result(client, name, **data):
    response = action(client, name, **data)
    assert response.status_code == 200, response.content[:300]
    return response.json()["result"]


@pytest.fixture
def finance():
    return OrganisationFactory(slug="finance", title="Finance")


@pytest.fixture
def parks():
    return OrganisationFactory(slug="parks", title="Parks")


def published(publisher, title, organisation, **fields):
    """A dataset created and published by a member of staff through the services, so the
    audit log holds its story as it would on a live site."""
    with audit.acting_as(publisher):
        dataset = services.dataset_create(
            actor=publisher, title=title, publisher=organisation, **fields
        )
        services.dataset_publish(actor=publisher, dataset=dataset)
    return dataset


# --- current_package_list_with_resources ---------------------------------------------------


def test_current_package_list_gives_published_packages_with_resources_newest_first(
    client, publisher, finance
):
    older = DatasetFactory(published=True, slug="older", publisher=finance)
    Dataset.objects.filter(pk=older.pk).update(updated_at=datetime(2024, 1, 1, tzinfo=UTC))
    newer = DatasetFactory(published=True, slug="newer", publisher=finance)
    upload(publisher, newer)
    DatasetFactory(slug="a-draft", publisher=finance)
    packages = result(client, "current_package_list_with_resources")
    assert [package["name"] for package in packages] == ["newer", "older"]
    assert packages[0]["resources"][0]["format"] == "CSV"
    assert packages[0]["num_resources"] == 1


def test_current_package_list_pages_with_limit_and_offset_or_page(client):
    for number in range(5):
        dataset = DatasetFactory(published=True, slug=f"set-{number}")
        Dataset.objects.filter(pk=dataset.pk).update(
            updated_at=datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=number)
        )
    names = [p["name"] for p in result(client, "current_package_list_with_resources", limit=2)]
    assert names == ["set-4", "set-3"]
    offset = result(client, "current_package_list_with_resources", limit=2, offset=2)
    assert [p["name"] for p in offset] == ["set-2", "set-1"]
    page = result(client, "current_package_list_with_resources", limit=2, page=3)
    assert [p["name"] for p in page] == ["set-0"]


def test_current_package_list_refuses_a_negative_offset(client):
    response = action(client, "current_package_list_with_resources", offset=-1)
    assert response.status_code == 409
    assert response.json()["error"]["offset"] == ["Must be a natural number"]


# --- package_autocomplete ------------------------------------------------------------------


def test_package_autocomplete_matches_names_then_titles_as_ckan_shapes_them(client):
    DatasetFactory(published=True, slug="recycling-rates", title="Household waste")
    DatasetFactory(published=True, slug="bins", title="Recycling centres")
    DatasetFactory(slug="recycling-draft", title="Recycling plans")
    assert result(client, "package_autocomplete", q="Recycling") == [
        {
            "name": "recycling-rates",
            "title": "Household waste",
            "match_field": "name",
            "match_displayed": "recycling-rates",
        },
        {
            "name": "bins",
            "title": "Recycling centres",
            "match_field": "title",
            "match_displayed": "Recycling centres (bins)",
        },
    ]


def test_package_autocomplete_takes_a_limit_and_needs_q(client):
    for number in range(3):
        DatasetFactory(published=True, slug=f"parks-{number}")
    assert len(result(client, "package_autocomplete", q="parks", limit=2)) == 2
    assert result(client, "package_autocomplete", q="") == []
    response = action(client, "package_autocomplete")
    assert response.status_code == 409
    assert response.json()["error"] == {"__type": "Validation Error", "q": ["Missing value"]}


# --- tag_show ------------------------------------------------------------------------------


def test_tag_show_gives_the_tag_and_with_include_datasets_its_published_datasets(
    client, publisher, finance
):
    shown = services.dataset_create(
        actor=publisher, title="Spend", publisher=finance, keywords=["spending"]
    )
    services.dataset_create(
        actor=publisher, title="Spend draft", publisher=finance, keywords=["spending"]
    )
    Dataset.objects.filter(pk=shown.pk).update(status=Dataset.Status.PUBLISHED)
    tag = result(client, "tag_show", id="spending")
    assert tag.keys() >= {"id", "name", "display_name", "vocabulary_id"}
    assert tag["name"] == "spending" and "packages" not in tag
    with_datasets = result(client, "tag_show", id="spending", include_datasets="true")
    assert [package["name"] for package in with_datasets["packages"]] == ["spend"]
    assert result(client, "tag_show", id=tag["id"])["name"] == "spending"


def test_tag_show_of_a_tag_only_drafts_carry_or_of_none_is_not_found(client, publisher, finance):
    services.dataset_create(actor=publisher, title="Plans", publisher=finance, keywords=["secret"])
    assert action(client, "tag_show", id="secret").status_code == 404
    assert action(client, "tag_show", id="nothing").status_code == 404
    assert action(client, "tag_show", id="99999999999999999999999").status_code == 404
    assert action(client, "tag_show").status_code == 409


# --- datastore_info and records_format csv / tsv -------------------------------------------


@pytest.fixture
def table(publisher, finance):
    dataset = DatasetFactory(published=True, slug="recycling", publisher=finance)
    return upload(publisher, dataset).resource


def test_datastore_info_gives_ckans_meta_and_fields(client, table):
    info = result(client, "datastore_info", id=str(table.pk))
    assert info["meta"]["count"] == 6
    assert info["meta"]["id"] == str(table.pk)
    assert info["meta"]["table_type"] == "BASE TABLE"
    assert [field["id"] for field in info["fields"]] == [
        "Ward", "Year", "Households", "Recycling rate",
    ]  # fmt: skip
    assert info["fields"][2]["type"] == "int"
    assert info["fields"][3]["type"] == "numeric"
    assert info["fields"][0]["info"].keys() == {"label", "notes", "type_override"}
    assert "meta" not in result(
        client, "datastore_info", resource_id=str(table.pk), include_meta="false"
    )


def test_datastore_info_of_a_draft_or_unknown_resource_is_not_found(client, publisher, finance):
    draft = upload(publisher, DatasetFactory(publisher=finance)).resource
    assert action(client, "datastore_info", id=str(draft.pk)).status_code == 404
    assert action(client, "datastore_info", id="not-a-uuid").status_code == 404
    response = action(client, "datastore_info")
    assert response.status_code == 409
    assert response.json()["error"]["resource_id"] == ["Missing value"]


@pytest.mark.parametrize(("records_format", "delimiter"), [("csv", ","), ("tsv", "\t")])
def test_datastore_search_gives_csv_and_tsv_records_as_ckans_copy_does(
    client, table, records_format, delimiter
):
    found = result(
        client, "datastore_search", resource_id=str(table.pk), limit=2,
        fields="Ward,Recycling rate", records_format=records_format,
    )  # fmt: skip
    assert found["records_format"] == records_format
    assert [field["id"] for field in found["fields"]] == ["Ward", "Recycling rate"]
    assert found["records"] == f"Abbey{delimiter}41.5\nCastle{delimiter}38.2\n"
    assert found["total"] == 6


def test_csv_records_quote_what_holds_the_delimiter_and_leave_nulls_empty(client, publisher):
    dataset = DatasetFactory(published=True, slug="payments")
    content = 'Supplier,Amount\n"Smith, Jones & Co",12.5\nAcme,\n'
    resource = upload(publisher, dataset, content=content, filename="payments.csv").resource
    found = result(client, "datastore_search", resource_id=str(resource.pk), records_format="csv")
    rows = list(csv.reader(io.StringIO(found["records"])))
    assert rows == [["1", "Smith, Jones & Co", "12.5"], ["2", "Acme", ""]]


def test_an_unknown_records_format_is_refused_naming_the_formats(client, table):
    response = action(client, "datastore_search", resource_id=str(table.pk), records_format="xml")
    assert response.status_code == 409
    assert response.json()["error"]["records_format"] == [
        "Value must be one of ['objects', 'lists', 'csv', 'tsv']"
    ]


# --- activity streams ----------------------------------------------------------------------


def test_package_activity_list_tells_publication_and_later_changes_newest_first(
    client, publisher, finance
):
    dataset = published(publisher, "Spending", finance)
    with audit.acting_as(publisher):
        services.dataset_update(actor=publisher, dataset=dataset, title="Spending over £500")
    activities = result(client, "package_activity_list", id="spending")
    assert [a["activity_type"] for a in activities] == ["changed package", "new package"]
    newest = activities[0]
    assert newest.keys() == {"id", "timestamp", "user_id", "object_id", "activity_type", "data"}
    assert newest["object_id"] == str(dataset.pk)
    assert newest["data"]["package"]["name"] == "spending"
    assert newest["data"]["package"]["title"] == "Spending over £500"
    assert "T" in newest["timestamp"] and "+" not in newest["timestamp"]
    assert result(client, "package_activity_list", id=str(dataset.pk)) == activities


def test_activities_carry_an_opaque_stable_user_id_and_no_personal_data(client, person, finance):
    publisher = person("data_publisher", is_staff=True, email="alys.jones@council.example")
    dataset = published(publisher, "Spending", finance, contact_email="spend@council.example")
    with audit.acting_as(publisher):
        services.dataset_update(actor=publisher, dataset=dataset, description="Payments")
    response = action(client, "package_activity_list", id="spending")
    user_ids = {activity["user_id"] for activity in response.json()["result"]}
    assert user_ids == {opaque_user_id(publisher.pk)}
    assert str(publisher.pk) not in user_ids
    body = response.content.decode()
    for personal in ("alys", "Jones", "@council.example", publisher.get_full_name() or "alys"):
        assert personal not in body


def test_changes_made_while_a_dataset_was_a_draft_are_not_activity(client, publisher, finance):
    with audit.acting_as(publisher):
        dataset = services.dataset_create(
            actor=publisher, title="Secret first title", publisher=finance
        )
        services.dataset_update(actor=publisher, dataset=dataset, title="Budget")
        services.dataset_publish(actor=publisher, dataset=dataset)
    activities = result(client, "package_activity_list", id=dataset.slug)
    assert [a["activity_type"] for a in activities] == ["new package"]
    assert "Secret first title" not in json.dumps(activities)


def test_an_upload_after_publication_is_a_change_and_a_dataset_without_log_was_new(
    client, publisher
):
    dataset = DatasetFactory(published=True, slug="demo-data")
    Dataset.objects.filter(pk=dataset.pk).update(published_at=datetime(2024, 1, 1, tzinfo=UTC))
    upload(publisher, dataset)
    activities = result(client, "package_activity_list", id="demo-data")
    assert [a["activity_type"] for a in activities] == ["changed package", "new package"]
    assert activities[1]["timestamp"] == "2024-01-01T00:00:00"


def test_a_resource_added_or_removed_after_publication_is_a_change(client, publisher, finance):
    dataset = published(publisher, "Spending", finance)
    with audit.acting_as(publisher):
        link = services.resource_create_link(
            actor=publisher, dataset=dataset, name="Elsewhere", url="https://example.org/x",
            format="HTML",
        )  # fmt: skip
        services.resource_delete(actor=publisher, resource=link)
    activities = result(client, "package_activity_list", id="spending")
    assert [a["activity_type"] for a in activities] == [
        "changed package", "changed package", "new package",
    ]  # fmt: skip
    everything = result(client, "recently_changed_packages_activity_list")
    assert [a["id"] for a in everything] == [a["id"] for a in activities]


def test_activity_of_a_draft_or_unknown_dataset_is_not_found(client, publisher, finance):
    with audit.acting_as(publisher):
        services.dataset_create(actor=publisher, title="Draft plans", publisher=finance)
    assert action(client, "package_activity_list", id="draft-plans").status_code == 404
    assert action(client, "package_activity_list", id="nothing").status_code == 404
    assert action(client, "package_activity_list").status_code == 409


def test_package_activity_list_filters_by_activity_type(client, publisher, finance):
    dataset = published(publisher, "Spending", finance)
    with audit.acting_as(publisher):
        services.dataset_update(actor=publisher, dataset=dataset, title="Spend")
    only_new = result(client, "package_activity_list", id="spending", activity_types="new package")
    assert [a["activity_type"] for a in only_new] == ["new package"]
    not_new = result(
        client, "package_activity_list", id="spending", exclude_activity_types="new package"
    )
    assert [a["activity_type"] for a in not_new] == ["changed package"]
    both = action(
        client, "package_activity_list", id="spending",
        activity_types="new package", exclude_activity_types="changed package",
    )  # fmt: skip
    assert both.status_code == 409


def test_recently_changed_lists_every_public_dataset_and_deletions_never_drafts(
    client, publisher, finance, parks
):
    spend = published(publisher, "Spending", finance)
    trees = published(publisher, "Trees", parks)
    gone = published(publisher, "Old survey", parks)
    with audit.acting_as(publisher):
        services.dataset_create(actor=publisher, title="Draft plans", publisher=parks)
        services.dataset_delete(actor=publisher, dataset=gone)
    activities = result(client, "recently_changed_packages_activity_list")
    kinds = [(a["data"]["package"]["name"], a["activity_type"]) for a in activities]
    assert kinds[0] == ("old-survey", "deleted package")
    assert ("spending", "new package") in kinds and ("trees", "new package") in kinds
    assert "draft-plans" not in json.dumps(activities)
    assert activities[0]["data"]["package"]["state"] == "deleted"
    assert {spend.slug, trees.slug} <= {name for name, _kind in kinds}


def test_recently_changed_pages_with_limit_and_offset(client, publisher, finance):
    for number in range(3):
        dataset = published(publisher, f"Set {number}", finance)
        with audit.acting_as(publisher):
            services.dataset_update(actor=publisher, dataset=dataset, description="More")
    everything = result(client, "recently_changed_packages_activity_list")
    assert len(everything) == 6
    pages = [
        result(client, "recently_changed_packages_activity_list", limit=4, offset=offset)
        for offset in (0, 4)
    ]
    assert pages[0] + pages[1] == everything
    assert len(result(client, "recently_changed_packages_activity_list", limit=500)) == 6


def test_organization_activity_list_holds_only_its_datasets(client, publisher, finance, parks):
    published(publisher, "Spending", finance)
    gone = published(publisher, "Budget", finance)
    published(publisher, "Trees", parks)
    with audit.acting_as(publisher):
        services.dataset_delete(actor=publisher, dataset=gone)
    activities = result(client, "organization_activity_list", id="finance")
    assert [(a["data"]["package"]["name"], a["activity_type"]) for a in activities] == [
        ("budget", "deleted package"),
        ("spending", "new package"),
    ]
    assert (
        result(client, "organization_activity_list", id=str(parks.pk))[0]["data"]["package"]["name"]
        == "trees"
    )
    assert action(client, "organization_activity_list", id="nobody").status_code == 404


def test_activity_limit_must_be_a_natural_number(client):
    response = action(client, "recently_changed_packages_activity_list", limit="-3")
    assert response.status_code == 409
    assert response.json()["error"]["limit"] == ["Must be a natural number"]


# --- documentation -------------------------------------------------------------------------


def test_every_ckan_action_is_documented_in_the_open_data_guide():
    from pathlib import Path

    guide = Path(__file__).resolve().parents[2] / "docs" / "modules" / "opendata.md"
    text = guide.read_text(encoding="utf-8")
    missing = [name for name in ACTIONS if f"`{name}`" not in text]
    assert not missing, f"docs/modules/opendata.md does not name: {', '.join(missing)}"
