"""The CKAN Action API v3 (read side), checked against CKAN's documented behaviour and shapes.

CKAN's envelope is {"help", "success", "result"}; failures carry "error" with "__type"
and the status codes of ckan/views/api.py. A real CKAN client (ckanapi) reads the
catalogue and the DataStore through a live server at the end.
"""

import json

import pytest
from django.urls import reverse

from townhall.datastore import services as datastore
from townhall.opendata.models import Dataset

from .factories import OrganisationFactory, ThemeFactory, upload

pytestmark = pytest.mark.django_db


def action(client, action_name, method="get", **data):
    url = reverse("ckan-action", args=[action_name])
    if method == "post":
        return client.post(url, json.dumps(data), content_type="application/json")
    return client.get(url, data)


@pytest.fixture
def catalogue(publisher):
    """Three published datasets and a draft, with publishers, themes, tags and a table.

    Datasets are published by setting their status (not through dataset_publish), so no
    audit entry is written: the append-only audit log cannot be flushed after a live test.
    """
    finance = OrganisationFactory(slug="finance", title="Finance")
    parks = OrganisationFactory(slug="parks", title="Parks")
    money = ThemeFactory(slug="money", title="Money")
    from townhall.opendata import services

    spend = services.dataset_create(
        actor=publisher, title="Spending over £500", publisher=finance, themes=[money],
        keywords=["spending", "transparency"], description="Payments to suppliers",
    )  # fmt: skip
    budget = services.dataset_create(
        actor=publisher, title="Budget", publisher=finance, keywords=["budget"]
    )
    trees = services.dataset_create(actor=publisher, title="Tree survey", publisher=parks)
    draft = services.dataset_create(actor=publisher, title="Draft plans", publisher=parks)
    version = upload(publisher, spend)
    Dataset.objects.filter(pk__in=[spend.pk, budget.pk, trees.pk]).update(
        status=Dataset.Status.PUBLISHED
    )
    # What dataset_publish does besides the audit entry: read-only SQL may read the table.
    datastore.sql_access_refresh(table_ids=[version.resource.pk])
    return {
        "spend": spend,
        "budget": budget,
        "trees": trees,
        "draft": draft,
        "resource": version.resource,
    }


def test_envelope_has_help_success_and_result(client, catalogue):
    body = action(client, "package_list").json()
    assert body["success"] is True
    assert body["help"].endswith("/api/3/action/help_show?name=package_list")
    assert "result" in body


def test_package_list_names_published_datasets_in_order(client, catalogue):
    assert action(client, "package_list").json()["result"] == [
        "budget",
        "spending-over-500",
        "tree-survey",
    ]


def test_package_list_takes_limit_and_offset(client, catalogue):
    assert action(client, "package_list", limit=1, offset=1).json()["result"] == [
        "spending-over-500"
    ]


def test_package_show_by_name_and_by_id_give_ckans_package_shape(client, catalogue):
    by_name = action(client, "package_show", id="spending-over-500").json()["result"]
    by_id = action(client, "package_show", id=str(catalogue["spend"].pk)).json()["result"]
    assert by_name == by_id
    for key in (
        "id", "name", "title", "notes", "license_id", "license_title", "license_url", "organization",
        "groups", "tags", "resources", "metadata_created", "metadata_modified", "state", "private",
        "num_resources", "num_tags", "extras", "owner_org",
    ):  # fmt: skip
        assert key in by_name, key
    assert by_name["license_id"] == "OGL-UK-3.0"
    assert by_name["organization"]["name"] == "finance"
    assert by_name["groups"][0]["name"] == "money"
    assert {tag["name"] for tag in by_name["tags"]} == {"spending", "transparency"}
    assert by_name["tags"][0].keys() >= {"name", "display_name"}
    assert by_name["state"] == "active" and by_name["private"] is False
    assert by_name["num_resources"] == 1 and by_name["num_tags"] == 2


def test_package_show_times_are_iso_without_a_zone_like_ckan(client, catalogue):
    result = action(client, "package_show", id="budget").json()["result"]
    modified = result["metadata_modified"]
    assert "T" in modified and "+" not in modified and not modified.endswith("Z")


def test_package_show_resources_have_ckans_resource_shape(client, catalogue):
    resource = action(client, "package_show", id="spending-over-500").json()["result"]["resources"][
        0
    ]
    assert resource["id"] == str(catalogue["resource"].pk)
    assert resource["package_id"] == str(catalogue["spend"].pk)
    assert resource["format"] == "CSV"
    assert resource["datastore_active"] is True
    assert resource["url"].startswith("http://testserver/data/spending-over-500/")


def test_package_show_of_an_unknown_dataset_is_a_404_not_found_error(client, catalogue):
    response = action(client, "package_show", id="nothing-here")
    assert response.status_code == 404
    assert response.json()["success"] is False
    assert response.json()["error"] == {"__type": "Not Found Error", "message": "Not found"}


def test_package_show_of_a_draft_is_not_found_for_the_public(client, catalogue):
    assert action(client, "package_show", id="draft-plans").status_code == 404


def test_package_show_without_id_is_a_409_validation_error(client, catalogue):
    response = action(client, "package_show")
    assert response.status_code == 409
    assert response.json()["error"] == {"__type": "Validation Error", "id": ["Missing value"]}


def test_package_show_accepts_a_json_post(client, catalogue):
    response = action(client, "package_show", method="post", id="budget")
    assert response.status_code == 200
    assert response.json()["result"]["name"] == "budget"


def test_unknown_action_is_a_400_bad_request(client):
    response = client.get(reverse("ckan-action", args=["package_destroy_everything"]))
    assert response.status_code == 400
    assert response.json() == "Bad request - Action name not known: package_destroy_everything"


def test_package_search_counts_and_returns_ten_rows_by_default(client, catalogue):
    result = action(client, "package_search").json()["result"]
    assert result["count"] == 3
    assert len(result["results"]) == 3
    assert result["sort"] == "score desc, metadata_modified desc"
    assert result["facets"] == {} and result["search_facets"] == {}


def test_package_search_q_matches_text(client, catalogue):
    result = action(client, "package_search", q="suppliers").json()["result"]
    assert [package["name"] for package in result["results"]] == ["spending-over-500"]


def test_package_search_fq_filters_by_field(client, catalogue):
    result = action(client, "package_search", fq="organization:finance").json()["result"]
    assert result["count"] == 2
    result = action(client, "package_search", fq='organization:finance tags:"budget"').json()[
        "result"
    ]
    assert [package["name"] for package in result["results"]] == ["budget"]
    result = action(client, "package_search", fq="-organization:finance").json()["result"]
    assert [package["name"] for package in result["results"]] == ["tree-survey"]


def test_package_search_fq_by_resource_format(client, catalogue):
    result = action(client, "package_search", fq="res_format:CSV").json()["result"]
    assert [package["name"] for package in result["results"]] == ["spending-over-500"]


def test_package_search_rows_start_and_sort(client, catalogue):
    result = action(client, "package_search", rows=1, start=1, sort="title_string asc").json()[
        "result"
    ]
    assert result["count"] == 3
    assert [package["name"] for package in result["results"]] == ["spending-over-500"]
    result = action(client, "package_search", sort="name desc").json()["result"]
    assert result["results"][0]["name"] == "tree-survey"


def test_package_search_caps_rows_at_1000(client, catalogue):
    assert action(client, "package_search", rows=5000).status_code == 200


def test_package_search_rejects_a_negative_rows(client, catalogue):
    response = action(client, "package_search", rows=-1)
    assert response.status_code == 409
    assert response.json()["error"]["__type"] == "Validation Error"
    assert "rows" in response.json()["error"]


BEYOND_64_BITS = "99999999999999999999999"


@pytest.mark.parametrize(
    ("action_name", "parameter"),
    [
        ("package_list", "limit"),
        ("package_list", "offset"),
        ("group_list", "offset"),
        ("organization_list", "limit"),
        ("package_search", "start"),
        ("datastore_search", "offset"),
    ],
)
def test_an_integer_past_64_bits_is_a_validation_error(client, catalogue, action_name, parameter):
    response = action(
        client,
        action_name,
        resource_id=str(catalogue["resource"].pk),
        **{parameter: BEYOND_64_BITS},
    )
    assert response.status_code == 409
    assert response.json()["success"] is False
    assert response.json()["error"] == {
        "__type": "Validation Error",
        parameter: ["Invalid integer"],
    }


def test_package_search_facets_as_ckan_gives_them(client, catalogue):
    result = action(
        client, "package_search", **{"facet.field": '["organization", "tags"]', "facet.limit": "5"}
    ).json()["result"]
    assert result["facets"]["organization"] == {"finance": 2, "parks": 1}
    items = result["search_facets"]["organization"]["items"]
    assert {"name": "finance", "display_name": "Finance", "count": 2} in items
    assert result["search_facets"]["organization"]["title"] == "organization"


def test_package_search_with_an_unknown_field_is_a_409_search_query_error_naming_it(
    client, catalogue
):
    response = action(client, "package_search", fq="colour:blue")
    assert response.status_code == 409
    assert response.json()["success"] is False
    assert response.json()["error"] == {
        "__type": "Search Query Error",
        "message": "Search Query is invalid: 'undefined field colour'",
    }


def test_organization_list_gives_names_or_full_dicts(client, catalogue):
    assert action(client, "organization_list").json()["result"] == ["finance", "parks"]
    full = action(client, "organization_list", all_fields="true").json()["result"]
    assert full[0]["name"] == "finance" and full[0]["package_count"] == 2
    assert full[0]["is_organization"] is True


def test_organization_show_with_datasets(client, catalogue):
    result = action(client, "organization_show", id="parks", include_datasets="true").json()[
        "result"
    ]
    assert result["title"] == "Parks"
    assert [package["name"] for package in result["packages"]] == ["tree-survey"]
    assert action(client, "organization_show", id="nope").status_code == 404


def test_group_list_lists_themes(client, catalogue):
    assert action(client, "group_list").json()["result"] == ["money"]
    full = action(client, "group_list", all_fields=True, method="post").json()["result"]
    assert full[0]["package_count"] == 1


def test_tag_list_lists_keywords_of_published_datasets(client, catalogue):
    assert action(client, "tag_list").json()["result"] == ["budget", "spending", "transparency"]
    assert action(client, "tag_list", query="spen").json()["result"] == ["spending"]


def test_resource_show(client, catalogue):
    result = action(client, "resource_show", id=str(catalogue["resource"].pk)).json()["result"]
    assert result["name"] == catalogue["resource"].name
    response = action(client, "resource_show", id="00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Not found: Resource was not found."


def test_datastore_search_returns_fields_records_total_and_links(client, catalogue):
    resource_id = str(catalogue["resource"].pk)
    result = action(client, "datastore_search", resource_id=resource_id, limit=2).json()["result"]
    assert result["resource_id"] == resource_id
    assert result["fields"][0] == {"id": "_id", "type": "int"}
    assert {"id": "Households", "type": "int"} in result["fields"]
    assert {"id": "Recycling rate", "type": "numeric"} in result["fields"]
    assert result["total"] == 6
    assert len(result["records"]) == 2
    assert result["records"][0]["Ward"] == "Abbey"
    assert result["records"][0]["Recycling rate"] == 41.5
    assert "offset=2" in result["_links"]["next"]
    assert result["_links"]["start"].startswith("/api/3/action/datastore_search")


def test_datastore_search_filters_q_sort_fields_and_offset(client, catalogue):
    resource_id = str(catalogue["resource"].pk)
    result = action(
        client, "datastore_search", method="post", resource_id=resource_id,
        filters={"Ward": ["Abbey", "Castle"]}, sort="Households desc", fields=["Ward", "Households"],
        offset=1, limit=2,
    ).json()["result"]  # fmt: skip
    assert result["total"] == 4
    assert [r["Households"] for r in result["records"]] == [4200, 3950]
    assert set(result["records"][0]) == {"Ward", "Households"}
    found = action(client, "datastore_search", resource_id=resource_id, q="Riverside").json()[
        "result"
    ]
    assert found["total"] == 2


def test_datastore_search_q_object_searches_each_named_column(client, catalogue):
    resource_id = str(catalogue["resource"].pk)
    posted = action(
        client, "datastore_search", method="post", resource_id=resource_id,
        q={"Ward": "river", "Year": "2024"},
    ).json()["result"]  # fmt: skip
    in_query_string = action(
        client, "datastore_search", resource_id=resource_id, q='{"Ward": "castle"}'
    ).json()["result"]
    elsewhere = action(
        client, "datastore_search", resource_id=resource_id, q='{"Year": "Riverside"}'
    ).json()["result"]

    assert [(r["Ward"], r["Year"]) for r in posted["records"]] == [("Riverside", 2024)]
    assert {r["Ward"] for r in in_query_string["records"]} == {"Castle"}
    assert elsewhere["total"] == 0


def test_datastore_search_filters_from_a_query_string_as_json(client, catalogue):
    resource_id = str(catalogue["resource"].pk)
    response = action(
        client, "datastore_search", resource_id=resource_id, filters='{"Year": "2024"}'
    )
    assert response.json()["result"]["total"] == 3


def test_datastore_search_can_return_lists_and_skip_the_total(client, catalogue):
    resource_id = str(catalogue["resource"].pk)
    result = action(
        client,
        "datastore_search",
        resource_id=resource_id,
        records_format="lists",
        include_total="false",
    ).json()["result"]
    assert isinstance(result["records"][0], list)
    assert "total" not in result


@pytest.mark.parametrize("q", ["!!! ???", "😀"])
def test_datastore_search_q_of_no_words_matches_no_record_as_ckan_does(client, catalogue, q):
    resource_id = str(catalogue["resource"].pk)
    response = action(client, "datastore_search", resource_id=resource_id, q=q)
    assert response.status_code == 200
    assert (response.json()["result"]["records"], response.json()["result"]["total"]) == ([], 0)


def test_datastore_search_filter_value_holding_a_nul_is_a_validation_error(client, catalogue):
    resource_id = str(catalogue["resource"].pk)
    response = action(
        client, "datastore_search", resource_id=resource_id, filters='{"Ward": "Ab\\u0000bey"}'
    )
    assert response.status_code == 409
    assert "filters" in response.json()["error"]


def test_a_json_body_holding_a_nul_is_a_400_bad_request(client, catalogue):
    response = action(client, "package_search", method="post", q="title:Sp\x00ending")
    assert response.status_code == 400
    assert response.json().startswith("Bad request - JSON Error")


def test_a_json_body_over_the_size_limit_is_a_400_bad_request(client, settings):
    body = json.dumps({"q": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE})
    response = client.post(
        reverse("ckan-action", args=["package_search"]), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == "Bad request - The request body is larger than 10 MB."


def test_a_nul_character_in_the_address_is_a_400(client, catalogue):
    response = client.get(reverse("ckan-action", args=["package_show"]) + "?id=a%00b")
    assert response.status_code == 400


def test_datastore_search_on_an_unknown_column_is_a_validation_error(client, catalogue):
    resource_id = str(catalogue["resource"].pk)
    response = action(client, "datastore_search", resource_id=resource_id, sort="nope desc")
    assert response.status_code == 409
    assert "sort" in response.json()["error"]
    response = action(client, "datastore_search", resource_id=resource_id, filters='{"nope": 1}')
    assert response.status_code == 409
    assert "filters" in response.json()["error"]


def test_datastore_search_of_an_unknown_resource_is_not_found(client, catalogue):
    response = action(
        client, "datastore_search", resource_id="00000000-0000-0000-0000-000000000000"
    )
    assert response.status_code == 404
    assert response.json()["error"]["__type"] == "Not Found Error"


def test_datastore_search_of_a_draft_resource_is_not_found(client, catalogue, publisher):
    version = upload(publisher, catalogue["draft"])
    response = action(client, "datastore_search", resource_id=str(version.resource.pk))
    assert response.status_code == 404


@pytest.mark.django_db(transaction=True)  # SQL runs on its own connection: committed rows only
def test_datastore_search_sql_runs_a_select(client, catalogue):
    resource_id = str(catalogue["resource"].pk)
    sql = f'SELECT "Ward", SUM("Households") AS total FROM "{resource_id}" GROUP BY "Ward" ORDER BY "Ward"'  # noqa: S608
    result = action(client, "datastore_search_sql", sql=sql).json()["result"]
    assert [record["Ward"] for record in result["records"]] == ["Abbey", "Castle", "Riverside"]
    assert result["sql"] == sql
    assert [field["id"] for field in result["fields"]] == ["Ward", "total"]


def test_datastore_search_sql_refuses_writes(client, catalogue):
    resource_id = str(catalogue["resource"].pk)
    response = action(client, "datastore_search_sql", sql=f'DELETE FROM "{resource_id}"')  # noqa: S608
    assert response.status_code in (403, 409)
    assert response.json()["success"] is False
    assert response.json()["error"]["__type"] in ("Authorization Error", "Validation Error")


def test_datastore_search_sql_without_sql_is_a_validation_error(client):
    response = action(client, "datastore_search_sql")
    assert response.status_code == 409
    assert response.json()["error"] == {"__type": "Validation Error", "sql": ["Missing value"]}


def test_help_show_returns_an_actions_documentation(client):
    result = action(client, "help_show", name="package_search").json()["result"]
    assert "Search published datasets" in result


@pytest.mark.django_db(transaction=True)
def test_ckanapi_client_lists_and_reads_datasets_and_the_datastore(live_server, catalogue):
    import ckanapi

    for get_only in (True, False):
        remote = ckanapi.RemoteCKAN(live_server.url, get_only=get_only)
        assert "budget" in remote.action.package_list()
        package = remote.action.package_show(id="spending-over-500")
        assert package["organization"]["name"] == "finance"
        found = remote.action.package_search(fq="organization:finance", rows=10)
        assert found["count"] == 2
        assert remote.action.organization_list() == ["finance", "parks"]
        resource_id = package["resources"][0]["id"]
        filters = {"Ward": "Castle"}
        table = remote.action.datastore_search(
            resource_id=resource_id, filters=json.dumps(filters) if get_only else filters
        )
        assert table["total"] == 2
        with pytest.raises(ckanapi.NotFound):
            remote.action.package_show(id="no-such-dataset")


@pytest.mark.django_db(transaction=True)
def test_datastore_search_sql_is_limited_per_visitor_as_the_json_api_is(
    client, catalogue, settings
):
    settings.TOWNHALL_API_RATE = "2/m"
    sql = f'SELECT count(*) AS n FROM "{catalogue["resource"].pk}"'  # noqa: S608

    answers = [action(client, "datastore_search_sql", sql=sql) for _ in range(3)]

    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert int(answers[2]["Retry-After"]) >= 1
    assert answers[2].json()["error"]["__type"] == "Rate Limit Error"


def test_ckan_api_is_served_at_its_standard_path_in_every_language_never_under_cy(client):
    """Open data declares the CKAN paths as its manifest's root_urls."""
    assert client.get("/api/3/action/status_show").status_code == 200
    assert client.get("/cy/api/3/action/status_show").status_code == 404
