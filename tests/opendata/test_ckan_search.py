"""package_search's Solr syntax, as CKAN clients and harvesters write it (issue #16, item 1).

Each query runs against a demo-shaped catalogue (tests/opendata/ckan_catalogue.py) and is
checked against the names the catalogue says should match; a query Townhall cannot answer
is CKAN's Search Query Error with 409, naming what was wrong.
"""

import json
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from townhall.opendata.ckan import solr

from .ckan_catalogue import DATASETS, NOW, shared_catalogue  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(shared_catalogue, monkeypatch):  # noqa: F811
    monkeypatch.setattr(solr, "_now", lambda: NOW)
    return shared_catalogue


def search(client, **data):
    data.setdefault("rows", 1000)
    response = client.get(reverse("ckan-action", args=["package_search"]), data)
    assert response.status_code == 200, response.content[:500]
    return response.json()["result"]


def names(client, **data) -> list[str]:
    return [package["name"] for package in search(client, **data)["results"]]


def matching(**conditions) -> set[str]:
    """Names in the fixture whose columns meet every condition (a function of the row)."""
    columns = ("org", "themes", "tags", "formats", "licence", "created", "modified")
    return {
        name
        for name, row in DATASETS.items()
        if all(test(dict(zip(columns, row, strict=True))[key]) for key, test in conditions.items())
    }


def refused(client, **data):
    response = client.get(reverse("ckan-action", args=["package_search"]), data)
    assert response.status_code == 409, response.content[:300]
    body = response.json()
    assert body["success"] is False and body["error"]["__type"] == "Search Query Error"
    return body["error"]["message"]


# --- sort --------------------------------------------------------------------------------


def test_sort_by_id_ascending_orders_by_the_ids_as_text(client, catalogue):
    ids = [package["id"] for package in search(client, sort="id asc")["results"]]
    assert ids == sorted(ids) and len(ids) == len(DATASETS)
    assert [package["id"] for package in search(client, sort="id desc")["results"]] == ids[::-1]


@pytest.mark.parametrize(
    ("sort", "key", "reverse"),
    [
        ("name asc", lambda row: row[0], False),
        ("name desc", lambda row: row[0], True),
        ("title_string asc", lambda row: row[0], False),
        ("metadata_modified desc", lambda row: -row[1][6], True),
        ("metadata_modified asc", lambda row: -row[1][6], False),
        ("metadata_created desc", lambda row: -row[1][5], True),
        ("metadata_created asc", lambda row: -row[1][5], False),
    ],
)
def test_sort_on_each_field_ckan_sorts_on(client, catalogue, sort, key, reverse):
    expected = [name for name, _ in sorted(DATASETS.items(), key=key, reverse=reverse)]
    assert names(client, sort=sort) == expected


def test_sort_on_several_fields_at_once(client, catalogue):
    # Without words every score is equal, so the second key decides.
    assert names(client, sort="score desc, name desc") == sorted(DATASETS, reverse=True)
    assert names(client, sort="score desc,metadata_created asc") == sorted(
        DATASETS, key=lambda name: -DATASETS[name][5]
    )


def test_sort_by_score_ranks_title_matches_first_then_by_modified(client, catalogue):
    assert names(client, q="spending", sort="score desc, metadata_modified desc") == [
        "spending-over-500",  # in the title
        "procurement-card",  # only a keyword
    ]
    assert names(client, fq="organization:democracy", sort="score desc, name asc") == [
        "councillors", "election-results", "polling-stations", "ward-boundaries",
    ]  # fmt: skip


@pytest.mark.parametrize("sort", ["colour asc", "name sideways", "name asc asc", "license_id asc"])
def test_sort_on_a_field_ckan_cannot_sort_on_is_a_409_naming_it(client, catalogue, sort):
    assert refused(client, sort=sort) == f"Search Query is invalid: 'can not sort on {sort}'"


# --- field queries and operators -----------------------------------------------------------


@pytest.mark.parametrize(
    ("fq", "expected"),
    [
        ("organization:parks", matching(org=lambda v: v == "parks")),
        ("groups:community", matching(themes=lambda v: "community" in v)),
        ("tags:transparency", matching(tags=lambda v: "transparency" in v)),
        ('tags:"fly-tipping"', {"fly-tipping"}),
        ("res_format:geojson", matching(formats=lambda v: "GeoJSON" in v)),
        ("license_id:CC-BY-4.0", matching(licence=lambda v: v == "CC-BY-4.0")),
        ("name:tree-survey", {"tree-survey"}),
        ("name:park*", {"park-visitors"}),
        ("organization:finance OR organization:waste", matching(org=lambda v: v in ("finance", "waste"))),
        ("organization:(finance OR waste)", matching(org=lambda v: v in ("finance", "waste"))),
        ("organization:finance AND tags:spending", {"spending-over-500", "procurement-card"}),
        ("organization:finance tags:spending", {"spending-over-500", "procurement-card"}),
        ("+organization:finance +tags:spending", {"spending-over-500", "procurement-card"}),
        ("-organization:finance", matching(org=lambda v: v != "finance")),
        ("organization:parks NOT groups:environment", {"playgrounds"}),
        ("organization:parks -groups:environment", {"playgrounds"}),
        ("groups:environment AND groups:community", {"allotments", "fly-tipping"}),
        ("tags:elections AND NOT tags:results", {"polling-stations"}),
        ("(organization:parks OR organization:waste) AND res_format:CSV", {"allotments", "playgrounds", "recycling-rates", "bin-collections", "fly-tipping"}),
        ("organization:finance OR organization:parks groups:environment", {"tree-survey", "allotments", "park-visitors"}),
        ("-groups:*", {"street-cleaning", "election-results", "ward-boundaries"}),
        ("*:*", set(DATASETS)),
        ("-dataset_type:harvest -dataset_type:showcase", set(DATASETS)),
        ("capacity:public +state:active", set(DATASETS)),
        ("state:draft", set()),
        ("title:allotments", {"allotments"}),
    ],
)  # fmt: skip
def test_fq_field_queries_and_operators(client, catalogue, fq, expected):
    assert set(names(client, fq=fq)) == expected


def test_id_and_owner_org_match_uuids(client, catalogue):
    tree = catalogue.datasets["tree-survey"]
    assert names(client, fq=f"id:{tree.pk}") == ["tree-survey"]
    assert names(client, fq=f'id:"{tree.pk}"') == ["tree-survey"]
    assert set(names(client, fq=f"owner_org:{tree.publisher_id}")) == matching(
        org=lambda v: v == "parks"
    )
    assert names(client, fq="id:not-a-uuid") == []


def test_q_takes_field_queries_and_words_together(client, catalogue):
    assert set(names(client, q="organization:finance spending")) == {
        "spending-over-500",
        "procurement-card",
    }
    assert names(client, q='"over 500"') == ["spending-over-500"]
    assert set(names(client, q="trees OR allotments")) == {"tree-survey", "allotments"}


def test_q_plain_words_each_must_match_as_the_catalogue_search_does(client, catalogue):
    assert names(client, q="spending over") == ["spending-over-500"]
    assert names(client, q="spending nowhere") == []
    assert names(client, q="Finance tax") == ["council-tax-bands"]  # the publisher's name


def test_q_punctuation_that_is_not_lucene_is_read_as_words(client, catalogue):
    assert names(client, q="tree survey!") == ["tree-survey"]
    assert names(client, q="budget / 2026 ^") == ["budget-2026"]


def test_fq_given_several_times_and_as_fq_list_all_apply(client, catalogue):
    url = reverse("ckan-action", args=["package_search"])
    response = client.get(url + "?fq=organization:finance&fq=tags:spending&rows=100")
    assert {package["name"] for package in response.json()["result"]["results"]} == {
        "spending-over-500",
        "procurement-card",
    }
    body = {"fq": "organization:finance", "fq_list": ["res_format:PDF"], "rows": 100}
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert [package["name"] for package in response.json()["result"]["results"]] == ["budget-2026"]


def test_an_empty_q_and_the_empty_quotes_ckan_accepts_match_everything(client, catalogue):
    for q in ("", '""', "*", "*:*"):
        assert search(client, q=q)["count"] == len(DATASETS)


def test_drafts_and_archived_datasets_are_never_found(client, catalogue):
    assert search(client, q="*:*")["count"] == len(DATASETS)
    assert names(client, fq="name:draft-plans OR name:old-spending") == []


# --- dates ---------------------------------------------------------------------------------


def modified_within(hours: float) -> set[str]:
    return matching(modified=lambda ago: ago <= hours)


@pytest.mark.parametrize(
    ("fq", "expected"),
    [
        ("metadata_modified:[2026-12-05T03:04:05.123456Z TO *]", modified_within(8.9)),
        ("metadata_modified:[2026-12-05T03:04:05Z TO *]", modified_within(8.9)),
        ("metadata_modified:[2026-12-05T03:04:05.1Z TO *]", modified_within(8.9)),
        ("metadata_modified:[2026-12-05T03:04:05 TO *]", modified_within(8.9)),
        ("metadata_modified:[2026-12-05T03\\:04\\:05Z TO *]", modified_within(8.9)),
        ("metadata_modified:[2026-12-05T06:00:00Z TO *]", modified_within(6)),
        ("metadata_modified:{2026-12-05T06:00:00Z TO *]", modified_within(5)),
        ("metadata_modified:[* TO 2026-12-05T06:00:00Z]", set(DATASETS) - modified_within(5)),
        ("metadata_modified:[* TO 2026-12-05T06:00:00Z}", set(DATASETS) - modified_within(6)),
        ("metadata_modified:[2026-12-05 TO 2026-12-05T02:00:00Z]", matching(modified=lambda ago: 10 <= ago <= 12)),
        ("metadata_modified:[NOW-3HOURS TO NOW]", modified_within(3)),
        ("metadata_modified:[NOW-1DAY TO *]", modified_within(24)),
        ("metadata_modified:[NOW/DAY TO *]", modified_within(12)),
        ("metadata_modified:[NOW/DAY-1DAY TO NOW/DAY]", modified_within(24) - modified_within(11.9)),
        ("metadata_modified:[* TO *]", set(DATASETS)),
        ("metadata_created:[NOW-3MONTHS TO *]", matching(created=lambda days: days <= 91)),
        ("metadata_created:[NOW-1YEAR TO NOW-6MONTHS]", matching(created=lambda days: 183 <= days <= 365)),
        ("metadata_created:[2026-01-01T00:00:00Z TO 2026-06-30T23:59:59.999Z]", matching(created=lambda days: 158 <= days <= 338)),
        ("metadata_modified:[NOW-2HOURS TO *] OR organization:democracy", modified_within(2) | matching(org=lambda v: v == "democracy")),
        ("-metadata_modified:[NOW-15HOURS TO *]", set(DATASETS) - modified_within(15)),
    ],
)  # fmt: skip
def test_date_ranges_on_metadata_modified_and_created(client, catalogue, fq, expected):
    assert set(names(client, fq=fq)) == expected


def test_an_exact_time_matches_only_that_moment(client, catalogue):
    assert names(client, fq='metadata_modified:"2026-12-05T11:00:00Z"') == ["spending-over-500"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NOW", NOW),
        ("NOW/DAY", datetime(2026, 12, 5, tzinfo=UTC)),
        ("NOW/MONTH", datetime(2026, 12, 1, tzinfo=UTC)),
        ("NOW/YEAR+1MONTH", datetime(2026, 2, 1, tzinfo=UTC)),
        ("NOW-1DAY/HOUR", datetime(2026, 12, 4, 12, tzinfo=UTC)),
        ("2026-03-31T10:20:30.123456789Z-1MONTH", datetime(2026, 2, 28, 10, 20, 30, 123456, UTC)),
        ("2024-02-29+1YEAR", datetime(2025, 2, 28, tzinfo=UTC)),
        ("2026-12-05T03:04:05.5Z/SECOND", datetime(2026, 12, 5, 3, 4, 5, tzinfo=UTC)),
        ("NOW+90MINUTES", datetime(2026, 12, 5, 13, 30, tzinfo=UTC)),
    ],
)
def test_solr_date_maths(text, expected):
    assert solr._date_value(text, NOW) == expected


@pytest.mark.parametrize(
    ("fq", "message"),
    [
        ("metadata_modified:[yesterday TO *]", "Invalid Date String:'yesterday'"),
        ("metadata_modified:[2026-13-45T00:00:00Z TO *]", "Invalid Date String:'2026-13-45T00:00:00Z'"),
        ("metadata_modified:[NOW-1FORTNIGHT TO *]", "Invalid Date Math String:'NOW-1FORTNIGHT'"),
        ("metadata_created:[NOW-99999999YEARS TO *]", "Invalid Date Math String: -99999999 years"),
    ],
)  # fmt: skip
def test_a_bad_date_is_a_409_naming_it(client, catalogue, fq, message):
    assert refused(client, fq=fq) == f"Search Query is invalid: {message!r}"


# --- what cannot be answered ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "detail"),
    [
        ({"fq": "colour:blue"}, "undefined field colour"),
        ({"q": "colour:blue"}, "undefined field colour"),
        ({"fq": "organization:parks OR colour:(blue OR green)"}, "undefined field colour"),
        ({"fq": "name:[a TO m]"}, "can not search name by range"),
        ({"fq": "name:*tree*"}, "wildcards other than a trailing * are not supported: name"),
        ({"fq": "id:abc*"}, "wildcards other than a trailing * are not supported: id"),
        ({"q": "tree~2"}, "fuzzy queries are not supported: tree~2"),
        ({"q": "[a TO b]"}, "a range needs a field: [a TO b]"),
        ({"fq": "organization:name:parks"}, "field name inside field organization"),
    ],
)
def test_a_query_townhall_cannot_answer_is_a_409_naming_the_problem(
    client, catalogue, data, detail
):
    assert refused(client, **data) == f"Search Query is invalid: {detail!r}"


@pytest.mark.parametrize(
    "data",
    [
        {"fq": "organization:(parks OR waste"},
        {"fq": "organization:parks)"},
        {"fq": "metadata_modified:[NOW-1DAY TO *"},
        {"q": "(budget"},
        {"q": 'tags:"budget'},
    ],
)
def test_unbalanced_brackets_or_quotes_are_a_409(client, catalogue, data):
    message = refused(client, **data)
    assert message.startswith("Search Query is invalid: ")
    assert "Syntax error" in message or "Illegal character" in message


def test_a_query_past_the_length_limit_is_refused_before_parsing(client, catalogue):
    long = " OR ".join(["organization:parks"] * 300)
    assert len(long) > solr.MAX_QUERY_LENGTH
    assert refused(client, fq=long) == (
        f"Search Query is invalid: 'fq is {len(long)} characters long; "
        f"at most {solr.MAX_QUERY_LENGTH} are read'"
    )


def test_a_query_nested_too_deep_or_too_large_is_refused(client, catalogue):
    deep = "(" * 40 + "organization:parks" + ")" * 40
    assert refused(client, fq=deep) == (
        f"Search Query is invalid: 'fq nests deeper than {solr.MAX_DEPTH} levels'"
    )
    large = " OR ".join(["tags:a"] * 200)
    assert len(large) <= solr.MAX_QUERY_LENGTH
    assert refused(client, fq=large) == (
        f"Search Query is invalid: 'fq has more than {solr.MAX_NODES} terms and operators'"
    )


def test_too_many_sort_keys_are_refused(client, catalogue):
    sort = ", ".join(["name asc"] * (solr.MAX_SORT_KEYS + 1))
    assert refused(client, sort=sort) == (
        f"Search Query is invalid: 'can not sort on more than {solr.MAX_SORT_KEYS} fields'"
    )


def test_a_query_near_the_limits_still_answers(client, catalogue):
    # Many words ranked by score once overflowed SQLite's parser; many filters once took
    # PostgreSQL a minute to plan. Both stay within the limits' reach.
    words = " ".join(f"word{i}" for i in range(150))
    assert search(client, q=words, sort="score desc, metadata_modified desc")["count"] == 0
    assert search(client, q="spending " * 150)["count"] == 2
    tags = " OR ".join(f"tags:t{i}" for i in range(150))
    assert search(client, fq=f"{tags} OR tags:trees")["count"] == 1
