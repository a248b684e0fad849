"""Site search: the same behaviour on SQLite FTS5 and PostgreSQL full-text search."""

import pytest
from django.core.management import call_command

from townhall.core.models import Page
from townhall.core.registry import SearchDocument
from townhall.core.selectors.search import MAX_QUERY_LENGTH, search
from townhall.core.services.search import index_documents, rebuild_index, remove_document

pytestmark = pytest.mark.django_db


def document(key: str, title: str, body: str = "", **fields) -> SearchDocument:
    fields.setdefault("kind", "page")
    fields.setdefault("url", f"/{key}/")
    return SearchDocument(key=key, title=title, body=body, **fields)


def titles(results) -> list[str]:
    return [hit.title for hit in results.hits]


@pytest.fixture
def parking():
    index_documents(
        [
            document("permits", "Parking permits", "Apply for a resident parking permit."),
            document("bins", "Bin collections", "Find your bin day. Parking near bins is rude."),
            document("libraries", "Libraries", "Borrow books and use computers."),
        ]
    )


def test_search_finds_a_document_by_a_word_of_its_body(parking):
    results = search("computers", language="en-gb")
    assert results.total == 1
    assert titles(results) == ["Libraries"]


def test_search_matches_other_forms_of_an_english_word(parking):
    assert titles(search("permit", language="en-gb")) == ["Parking permits"]
    assert titles(search("borrowing", language="en-gb")) == ["Libraries"]


def test_search_needs_every_word_to_match(parking):
    assert titles(search("parking books", language="en-gb")) == []
    assert titles(search("parking resident", language="en-gb")) == ["Parking permits"]


def test_search_puts_title_matches_before_body_matches(parking):
    index_documents(
        [document("a-bins", "A guide to recycling", "parking " * 20 + "lots of parking")]
    )
    results = search("parking", language="en-gb")
    assert titles(results)[0] == "Parking permits"
    assert set(titles(results)[1:]) == {"Bin collections", "A guide to recycling"}


def test_search_ranks_a_more_relevant_body_higher_when_no_title_matches():
    index_documents(
        [
            document("once", "Waste", "A long page about many things. " * 30 + "compost"),
            document("often", "Garden", "Compost bins, compost heaps and compost advice."),
        ]
    )
    assert titles(search("compost", language="en-gb")) == ["Garden", "Waste"]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"parking',
        "*",
        "parking*",
        "AND(",
        "parking AND(",
        "NEAR(parking permits)",
        "title:parking",
        "parking OR",
        "-parking",
        "^parking",
        "{title}: parking",
        "'; DROP TABLE core_searchentry; --",
        "parking & | ! :*",
        "\x00parking",
        "parking 🚗",
    ],
)
def test_search_treats_query_syntax_as_plain_text(parking, query):
    results = search(query, language="en-gb", limit=100)
    assert results.total == len(results.hits)


@pytest.mark.parametrize("query", ["parking (", '"parking"', "parking*", "(parking)", "parking:"])
def test_search_still_finds_the_words_around_query_syntax(parking, query):
    assert "Parking permits" in titles(search(query, language="en-gb"))


@pytest.mark.parametrize("query", ["", "   ", '"', "*", "!!! ???", "-"])
def test_search_gives_no_results_for_a_query_without_words(parking, query):
    results = search(query, language="en-gb")
    assert results.total == 0
    assert results.hits == []


def test_search_truncates_a_very_long_query(parking):
    results = search("parking " + "x" * 10_000, language="en-gb")
    assert results.total == 0
    words_after_the_limit = "parking " * (MAX_QUERY_LENGTH // 8) + "unmatched"
    assert search(words_after_the_limit, language="en-gb").total == 2


def test_search_snippet_escapes_stored_html_and_marks_matches():
    index_documents(
        [document("xss", "Notice", '<script>alert("x")</script> <b>bold</b> parking & more')]
    )
    snippet = search("parking", language="en-gb").hits[0].snippet
    assert "<script>" not in snippet
    assert "<b>" not in snippet
    assert "<mark>parking</mark>" in snippet
    assert "&amp; more" in snippet


def test_search_snippet_cannot_be_given_marks_by_stored_text():
    index_documents([document("fake", "Notice", "parking \x02fake\x03 marks")])
    snippet = search("parking", language="en-gb").hits[0].snippet
    assert snippet.count("<mark>") == 1


def test_search_falls_back_to_the_summary_when_the_body_does_not_match():
    index_documents([document("summary", "Parking", "", summary="All about <cars>.")])
    hit = search("parking", language="en-gb").hits[0]
    assert hit.snippet == "All about &lt;cars&gt;."


def test_search_in_welsh_finds_welsh_entries_and_english_entries_without_welsh_text():
    index_documents(
        [
            document("park", "Parking", "Parking permits", url="/park/"),
            document("park", "Parcio", "Trwyddedau parcio", url="/cy/park/", language="cy"),
            document("roads", "Roads and parking", "Potholes", url="/roads/"),
        ]
    )
    welsh = search("parcio", language="cy")
    assert [(hit.title, hit.url) for hit in welsh.hits] == [("Parcio", "/cy/park/")]
    fallback = search("parking", language="cy")
    assert [(hit.title, hit.url, hit.language) for hit in fallback.hits] == [
        ("Roads and parking", "/cy/roads/", "en-gb")
    ]
    assert titles(search("parcio", language="en-gb")) == []


def test_search_in_welsh_matches_words_with_or_without_diacritics():
    index_documents([document("festival", "Gŵyl Fwyd", "Dewch i'r ŵyl yn y parc.", language="cy")])
    assert titles(search("gwyl", language="cy")) == ["Gŵyl Fwyd"]
    assert titles(search("Gŵyl", language="cy")) == ["Gŵyl Fwyd"]


def test_search_limits_results_to_the_kinds_asked_for(parking):
    index_documents([document("p1", "Parking data", kind="dataset")])
    results = search("parking", language="en-gb", kinds=["dataset"])
    assert [(hit.kind, hit.title) for hit in results.hits] == [("dataset", "Parking data")]
    assert search("parking", language="en-gb", kinds=["page"]).total == 2


def test_search_pages_through_results_with_limit_and_offset():
    index_documents([document(f"p{n}", f"Parking zone {n}") for n in range(5)])
    first = search("parking", language="en-gb", limit=2)
    last = search("parking", language="en-gb", limit=2, offset=4)
    assert (first.total, len(first.hits), first.has_next, first.has_previous) == (5, 2, True, False)
    assert (len(last.hits), last.has_next, last.has_previous) == (1, False, True)


def test_index_documents_replaces_a_document_with_the_same_kind_key_and_language(parking):
    index_documents([document("permits", "Resident permits", "Permits for residents.")])
    assert titles(search("parking", language="en-gb")) == ["Bin collections"]
    assert titles(search("residents", language="en-gb")) == ["Resident permits"]


def test_remove_document_takes_it_out_of_every_language(parking):
    index_documents([document("permits", "Trwyddedau parcio", language="cy")])
    assert remove_document("page", "permits") == 2
    assert search("permits", language="en-gb").total == 0
    assert search("trwyddedau", language="cy").total == 0


def test_rebuild_index_indexes_council_pages_in_both_languages_and_drops_stale_entries():
    Page.objects.all().delete()
    Page.objects.create(
        slug="bins",
        title="Bins",
        body="Your **recycling** day.",
        title_cy="Biniau",
        body_cy="Ailgylchu",
    )
    index_documents(
        [document("gone", "Removed page recycling"), document("x", "Recycling", kind="old")]
    )
    assert rebuild_index()["page"] == 2
    english = search("recycling", language="en-gb")
    assert [(hit.title, hit.url, hit.kind_label) for hit in english.hits] == [
        ("Bins", "/bins/", "Council page")
    ]
    assert "**" not in english.hits[0].snippet
    assert [hit.url for hit in search("ailgylchu", language="cy").hits] == ["/cy/bins/"]
    assert rebuild_index()["page"] == 2
    assert search("recycling", language="en-gb").total == 1


def test_reindex_search_command_reports_what_it_indexed(capsys):
    Page.objects.all().delete()
    Page.objects.create(slug="parks", title="Parks", body="Opening hours.")
    call_command("reindex_search")
    assert "page: 1 documents" in capsys.readouterr().out
    assert search("opening", language="en-gb").total == 1


# --- The search page ---------------------------------------------------------------------


def test_search_page_lists_results_with_kind_label_snippet_and_count(client, parking):
    response = client.get("/search/", {"q": "parking"})
    assert response.status_code == 200
    assert "2 results" in response.text
    assert '<a class="govuk-link" href="/permits/">Parking permits</a>' in response.text
    assert "<mark>parking</mark>" in response.text


def test_search_page_escapes_the_query(client):
    response = client.get("/search/", {"q": "<script>x</script>"})
    assert "<script>x</script>" not in response.text
    assert "&lt;script&gt;x&lt;/script&gt;" in response.text


def test_search_page_gives_advice_when_nothing_matches(client, parking):
    response = client.get("/search/", {"q": "zebra"})
    assert "0 results" in response.text
    assert "There are no matching results." in response.text


def test_search_page_filters_by_kind_with_checkboxes(client, parking):
    index_documents([document("p1", "Parking data", kind="dataset")])
    response = client.get("/search/", {"q": "parking", "kind": "page"})
    assert 'name="kind" type="checkbox" value="page" checked' in response.text
    assert "Parking data" not in response.text
    assert "2 results" in response.text


def test_search_page_still_searches_when_a_bookmark_names_a_kind_that_no_longer_exists(
    client, parking
):
    response = client.get("/search/", {"q": "parking", "kind": "withdrawn-kind"})
    assert "2 results" in response.text


def test_search_page_paginates_with_the_govuk_component(client):
    index_documents([document(f"p{n}", f"Parking zone {n}") for n in range(45)])
    response = client.get("/search/", {"q": "parking", "page": "2"})
    assert 'class="govuk-pagination"' in response.text
    assert 'aria-current="page">2</a>' in response.text
    assert "q=parking&amp;page=3" in response.text
    assert response.text.count('<span class="govuk-caption-m">Council page</span>') == 20


def test_search_page_in_welsh_searches_welsh_entries(client):
    index_documents(
        [
            document("park", "Parking", url="/park/"),
            document("park", "Parcio", url="/cy/park/", language="cy"),
        ]
    )
    response = client.get("/cy/search/", {"q": "parcio"})
    assert response.status_code == 200
    assert 'href="/cy/park/">Parcio</a>' in response.text


# --- The API -------------------------------------------------------------------------------


def test_search_api_returns_results_and_a_next_link(client, parking):
    body = client.get("/api/v1/search", {"q": "parking", "limit": 1}).json()
    assert body["count"] == 2
    assert [hit["title"] for hit in body["results"]] == ["Parking permits"]
    assert body["results"][0]["kind_label"] == "Council page"
    assert "offset=1" in body["next"]
    assert body["previous"] is None
    following = client.get(body["next"]).json()
    assert [hit["title"] for hit in following["results"]] == ["Bin collections"]
    assert following["next"] is None


def test_search_api_filters_by_kind_and_language(client):
    index_documents(
        [
            document("park", "Parcio", language="cy"),
            document("p1", "Parcio data", kind="dataset", language="cy"),
        ]
    )
    body = client.get("/api/v1/search", {"q": "parcio", "kind": "dataset", "language": "cy"}).json()
    assert [hit["title"] for hit in body["results"]] == ["Parcio data"]


@pytest.mark.parametrize("query", ['"', "(", "*", "", "^-: {}"])
def test_search_api_answers_hostile_queries_without_error(client, parking, query):
    response = client.get("/api/v1/search", {"q": query})
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_search_api_refuses_an_unknown_language(client):
    response = client.get("/api/v1/search", {"q": "parking", "language": "fr"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "unknown_language"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_search_results_page_meets_wcag_22_aa_and_filters_without_javascript(browser, live_server):
    from playwright.sync_api import expect

    from tests.e2e.axe import wcag_violations

    # A word no other test indexes, so nothing an earlier test left can change the count.
    index_documents([document(f"p{n}", f"Quokka zone {n}", "Resident quokka") for n in range(25)])
    index_documents([document("d1", "Quokka data", kind="dataset")])
    without_javascript = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = without_javascript.new_page()
    page.goto("/search/?q=quokka")
    page.get_by_label("Council page").check()
    page.get_by_role("button", name="Apply filters").click()
    # expect() waits for the filtered page; is_visible() would read the old one under load.
    expect(page.get_by_role("heading", name="25 results")).to_be_visible()
    filtered = page.url
    without_javascript.close()
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.goto(filtered)
    violations = wcag_violations(page)
    context.close()
    assert violations == []


@pytest.mark.parametrize(
    "query", ["offset=100000000000000000000", "offset=-1", "limit=0", "limit=100000"]
)
def test_search_api_refuses_out_of_range_paging_with_a_json_error(client, query):
    response = client.get(f"/api/v1/search?q=council&{query}")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"
