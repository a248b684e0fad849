"""Other councils' scorecards: imported from the JSON they publish (the format of our own
/api/v1/scorecard, held to one JSON Schema), refused with the problem named and nothing
stored, replaced by a re-import of the same day, and compared with ours on a public page
and as open data, filtered by type of council and region; the radar chart."""

import copy
import io
import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from tests.core.factories import UserFactory
from townhall.core.components.charts import radar_chart
from townhall.core.selectors.site import forget_site_settings, site_settings
from townhall.leadership import maturity, scorecards, selectors, services
from townhall.leadership.models import ComparedCouncil, ComparedScorecard

pytestmark = pytest.mark.django_db
DAY = date(2026, 12, 1)


@pytest.fixture
def ours(officer):
    """The default framework, and our assessment of it published: every self-assessed
    question at level 3."""
    framework = services.maturity_framework_load(
        actor=officer, data=json.loads(maturity.DEFAULT_FRAMEWORK.read_text(encoding="utf-8"))
    )
    assessment = services.maturity_assessment_start(
        actor=officer, framework=framework, assessed_on=DAY
    )
    for key, question in maturity.questions(framework.definition).items():
        if "measure" not in question:
            services.maturity_answer(
                actor=officer, assessment=assessment, question=key, level=3, evidence="Shown."
            )
    return services.maturity_assessment_publish(actor=officer, assessment=assessment)


@pytest.fixture
def published(client, ours):
    """Our scorecard as /api/v1/scorecard publishes it."""
    return client.get("/api/v1/scorecard").json()


def _theirs(published, *, name="Eastmere District Council", code="E07999901", **changes):
    """Another council's scorecard: ours under its name and code, with `changes`."""
    data = copy.deepcopy(published)
    data.update(council=name, council_code=code, **changes)
    return data


def _raw(data) -> bytes:
    return json.dumps(data).encode()


def _import(officer, data, **details):
    details = {"council_type": "district", "region": "north-west", **details}
    raw = data if isinstance(data, bytes) else _raw(data)
    return services.scorecard_import(actor=officer, raw=raw, **details)


# The format ---------------------------------------------------------------------------------


def test_our_published_scorecard_validates_against_the_schema_we_import_with(
    client, ours, settings
):
    settings.TOWNHALL_COUNCIL_TYPE = "unitary"
    settings.TOWNHALL_COUNCIL_REGION = "north-west"
    body = client.get("/api/v1/scorecard").json()

    assert scorecards.schema_problems(body) == []
    assert body["format"] == scorecards.FORMAT
    assert (body["council_type"], body["region"]) == ("unitary", "north-west")
    assert scorecards.read_scorecard(_raw(body)) == body


def test_our_scorecard_gives_no_type_or_region_when_the_settings_name_none(published):
    assert (published["council_type"], published["region"]) == (None, None)
    assert scorecards.schema_problems(published) == []


def test_the_schema_names_the_same_council_types_and_regions_as_the_model():
    properties = scorecards.schema()["properties"]

    assert set(properties["council_type"]["enum"]) - {None} == set(ComparedCouncil.Type.values)
    assert set(properties["region"]["enum"]) - {None} == set(ComparedCouncil.Region.values)


# Importing ----------------------------------------------------------------------------------


def _without(data, *path):
    *parents, last = path
    for part in parents:
        data = data[part]
    del data[last]


def _set(data, value, *path):
    *parents, last = path
    for part in parents:
        data = data[part]
    data[last] = value


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (lambda d: _without(d, "total"), "total", "missing"),
        (lambda d: _without(d, "sections", 0, "questions", 1, "level"), "sections[0].questions[1].level", "missing"),
        (lambda d: _set(d, 7, "sections", 1, "questions", 0, "level"), "sections[1].questions[0].level", "7 is out of range: it must be from 1 to 5"),
        (lambda d: _set(d, 130, "sections", 2, "percent"), "sections[2].percent", "130 is out of range: it must be from 0 to 100"),
        (lambda d: _set(d, -1, "total"), "total", "out of range"),
        (lambda d: _set(d, "townhall-scorecard/2", "format"), "format", 'version "2" of the format'),
        (lambda d: _set(d, "something-else", "format"), "format", "not a scorecard file"),
        (lambda d: _set(d, "1999.9", "framework", "version"), "framework.version", "version 1999.9 of the framework"),
        (lambda d: _set(d, "no-such-question", "sections", 0, "questions", 0, "key"), "sections[0].questions[0].key", "no question “no-such-question”"),
        (lambda d: _set(d, "2026-02-30", "assessed_on"), "assessed_on", "not a date"),
        (lambda d: _set(d, "01/12/2026", "assessed_on"), "assessed_on", "YYYY-MM-DD"),
        (lambda d: _set(d, "town", "council_type"), "council_type", "Give one of"),
        (lambda d: _set(d, "ABC", "council_code"), "council_code", "ONS code"),
        (lambda d: _set(d, "unexpected", "rating"), "", "no field rating"),
        (lambda d: _set(d, "Shown\x00.", "sections", 0, "questions", 0, "evidence"), "sections[0].questions[0].evidence", "invisible control characters"),
    ],
)  # fmt: skip
def test_a_scorecard_with_a_problem_is_refused_naming_it_and_nothing_is_stored(
    officer, published, change, field, message
):
    data = _theirs(published)
    change(data)

    with pytest.raises(services.AssessmentInvalid) as refused:
        _import(officer, data)

    assert refused.value.field == (field or "file")
    assert message in str(refused.value.message)
    assert not ComparedCouncil.objects.exists()
    assert not ComparedScorecard.objects.exists()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"council,total\nEastmere,50\n", "The file is not JSON: Expecting value at line 1"),
        ('{"council": "Sir Fôn"}'.encode("latin-1"), "not UTF-8 text (byte 19"),
        (b"[1, 2]", "not a scorecard: give an object"),
        (b" " * (scorecards.MAX_BYTES + 1), "a scorecard is at most 1024 KB"),
    ],
)
def test_a_file_that_is_not_a_scorecard_is_refused_and_nothing_is_stored(
    officer, ours, raw, message
):
    with pytest.raises(services.AssessmentInvalid) as refused:
        _import(officer, raw)

    assert refused.value.field == "file"
    assert message in str(refused.value.message)
    assert not ComparedCouncil.objects.exists()


def test_a_scorecard_starting_with_a_byte_order_mark_is_read(officer, published):
    imported = _import(officer, b"\xef\xbb\xbf" + _raw(_theirs(published)))

    assert imported.council.name == "Eastmere District Council"


def test_a_scorecard_is_stored_with_its_council_as_the_file_names_it(officer, published):
    imported = _import(
        officer,
        _theirs(published, council_type="unitary", region="wales"),
        council_type="",
        region="",
    )

    council = imported.council
    assert (council.name, council.gss_code) == ("Eastmere District Council", "E07999901")
    assert (council.council_type, council.region) == ("unitary", "wales")
    assert imported.assessed_on == DAY
    assert (imported.framework_slug, imported.total) == (
        "townhall-digital-maturity",
        published["total"],
    )


def test_what_the_officer_enters_about_the_council_overrides_the_file(officer, published):
    imported = _import(
        officer,
        _theirs(published, council_type="unitary"),
        council_name="Eastmere Council",
        gss_code="e06999905",
        council_type="london-borough",
        region="london",
    )

    council = imported.council
    assert (council.name, council.gss_code) == ("Eastmere Council", "E06999905")
    assert (council.council_type, council.region) == ("london-borough", "london")


@pytest.mark.parametrize(
    ("details", "field"),
    [
        ({"council_type": ""}, "council_type"),
        ({"region": ""}, "region"),
        ({"gss_code": "12345"}, "gss_code"),
    ],
)
def test_a_council_without_a_type_region_or_valid_code_is_refused(
    officer, published, details, field
):
    with pytest.raises(services.AssessmentInvalid) as refused:
        _import(officer, _theirs(published), **details)

    assert refused.value.field == field
    assert not ComparedCouncil.objects.exists()


def test_a_council_without_a_code_in_the_file_or_the_form_is_refused(officer, published):
    with pytest.raises(services.AssessmentInvalid) as refused:
        _import(officer, _theirs(published, code=None))

    assert refused.value.field == "gss_code"


def test_our_own_scorecard_is_not_imported_as_another_councils(officer, published):
    row = site_settings()
    row.local_authority_code = "E07999901"
    row.save()
    forget_site_settings()

    with pytest.raises(services.AssessmentInvalid) as refused:
        _import(officer, _theirs(published))

    assert "own scorecard" in str(refused.value.message)


def test_importing_the_same_council_and_day_again_replaces_the_copy(officer, published):
    _import(officer, _theirs(published, total=40.0))

    _import(officer, _theirs(published, name="Eastmere Council", total=45.5))

    council = ComparedCouncil.objects.get()
    assert council.name == "Eastmere Council"
    assert list(council.scorecards.values_list("assessed_on", "total")) == [(DAY, 45.5)]


def test_importing_another_day_keeps_the_earlier_one_as_history(officer, published):
    _import(officer, _theirs(published, assessed_on="2025-12-01", total=30.0))

    _import(officer, _theirs(published, total=45.0))

    assert list(ComparedScorecard.objects.values_list("assessed_on", "total")) == [
        (DAY, 45.0),
        (date(2025, 12, 1), 30.0),
    ]
    comparison = selectors.scorecard_comparison()
    theirs = next(entry for entry in comparison.entries if not entry.ours)
    assert theirs.total == 45.0
    assert theirs.history == [(date(2025, 12, 1), 30.0), (DAY, 45.0)]


def test_a_refused_reimport_leaves_the_previous_copy_as_it_was(officer, published):
    _import(officer, _theirs(published, total=40.0))
    broken = _theirs(published, name="Renamed", total=50.0)
    broken["sections"][0]["questions"][0]["level"] = 9

    with pytest.raises(services.AssessmentInvalid):
        _import(officer, broken)

    council = ComparedCouncil.objects.get()
    assert council.name == "Eastmere District Council"
    assert list(council.scorecards.values_list("total", flat=True)) == [40.0]


def test_only_those_who_assess_maturity_import_scorecards(published):
    with pytest.raises(PermissionDenied):
        _import(UserFactory(), _theirs(published))


def test_the_command_imports_a_file_and_refuses_a_bad_one_with_the_field(
    officer, published, tmp_path
):
    good = tmp_path / "eastmere.json"
    good.write_bytes(_raw(_theirs(published, council_type="district", region="north-west")))
    bad = tmp_path / "bad.json"
    bad.write_bytes(_raw(_theirs(published, total=101)))

    output = io.StringIO()
    call_command("import_scorecard", str(good), by=officer.email, stdout=output)
    with pytest.raises(CommandError, match="total: 101 is out of range"):
        call_command("import_scorecard", str(bad), by=officer.email)

    assert ComparedCouncil.objects.get().gss_code == "E07999901"
    assert "Imported the scorecard of Eastmere District Council" in output.getvalue()


# Comparing ----------------------------------------------------------------------------------


@pytest.fixture
def neighbours(officer, published):
    """Three councils on our framework and one on another."""
    _import(officer, _theirs(published, total=80.0), council_type="district", region="north-west")
    lower = _theirs(published, name="Harrowfield Council", code="E06999902", total=20.0)
    lower["sections"][0]["percent"] = 10.0
    lower["sections"][0]["questions"][0]["level"] = 1
    _import(officer, lower, council_type="unitary", region="north-west")
    _import(
        officer,
        _theirs(published, name="Cyngor Bryn Coed", code="W06999903", total=60.0),
        council_type="welsh-principal-area",
        region="wales",
    )
    other = _theirs(published, name="Ashworth Council", code="E08999904", total=70.0)
    other["framework"] = {
        **other["framework"],
        **{"slug": "another-model", "version": "3", "name": "Another model", "name_cy": ""},
    }
    _import(officer, other, council_type="metropolitan-borough", region="yorkshire-and-the-humber")


def test_the_comparison_puts_ours_among_the_others_highest_total_first(neighbours, published):
    comparison = selectors.scorecard_comparison()

    assert [(entry.name, entry.ours) for entry in comparison.entries] == [
        ("Eastmere District Council", False),
        ("Ashworth Council", False),
        ("Cyngor Bryn Coed", False),
        (published["council"], True),
        ("Harrowfield Council", False),
    ]
    assert [entry.name for entry in comparison.others] == ["Ashworth Council"]


def test_the_comparison_sorts_by_name(neighbours, published):
    names = [entry.name for entry in selectors.scorecard_comparison(sort="name").entries]

    assert names == sorted(names, key=str.casefold)


def test_filters_by_type_and_region_keep_ours_as_the_reference(neighbours, published):
    by_region = selectors.scorecard_comparison(region="north-west")
    by_both = selectors.scorecard_comparison(council_type="unitary", region="north-west")

    assert {entry.name for entry in by_region.entries if not entry.ours} == {
        "Eastmere District Council",
        "Harrowfield Council",
    }
    assert [entry.name for entry in by_both.entries if not entry.ours] == ["Harrowfield Council"]
    assert any(entry.ours for entry in by_both.entries)


def test_the_comparison_gives_each_area_and_question_of_comparable_councils(neighbours):
    comparison = selectors.scorecard_comparison(council_type="unitary")

    section, percents = comparison.section_rows()[0]
    assert section.section["key"] == "leadership"
    harrowfield = next(entry for entry in comparison.entries if not entry.ours)
    assert (harrowfield, 10.0) in percents
    _section, questions = comparison.question_rows()[0]
    question, levels = questions[0]
    assert question.key == "leadership-authority"
    assert sorted(levels) == [1, 3]
    assert comparison.average_sections()[0] == 10.0


def test_the_compare_page_shows_councils_charts_with_tables_and_says_which_do_not_match(
    client, neighbours
):
    response = client.get("/leadership/scorecard/compare/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Eastmere District Council" in page
    assert "Ashworth Council: <span>Another model</span>, version 3" in page
    assert "only their total scores can be compared" in page
    assert 'class="th-chart__area th-chart__area--2"' in page
    assert page.count("Show the data as a table") == 1 + 6
    assert "Average of the other councils shown" in page
    assert "Question by question" in page


def test_a_council_name_in_a_file_is_shown_as_text_not_markup(client, officer, published):
    _import(officer, _theirs(published, name="Eastmere <script>alert(1)</script>"))

    page = client.get("/leadership/scorecard/compare/").content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "Eastmere &lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_welsh_compare_page_marks_a_framework_named_only_in_english(client, neighbours):
    page = client.get("/cy/leadership/scorecard/compare/").content.decode()

    assert "Cymharu aeddfedrwydd digidol cynghorau" in page
    assert "Prif ardal yng Nghymru" in page
    assert 'Ashworth Council: <span lang="en">Another model</span>' in page


def test_the_compare_page_filters_with_a_get_form(client, neighbours):
    page = client.get("/leadership/scorecard/compare/?region=wales").content.decode()

    assert "Cyngor Bryn Coed" in page
    assert "Harrowfield Council" not in page
    assert 'action="/leadership/scorecard/compare/"' in page
    assert "/api/v1/scorecard/compare?region=wales" in page


def test_the_compare_page_says_when_nothing_is_published_or_imported(client, db):
    page = client.get("/leadership/scorecard/compare/").content.decode()

    assert "No council’s scorecard matches these filters" in page or "No council's" in page


def test_the_comparison_api_filters_and_marks_what_compares(client, neighbours, published):
    body = client.get("/api/v1/scorecard/compare?region=north-west&sort=name").json()

    assert (body["region"], body["council_type"], body["sort"]) == ("north-west", None, "name")
    assert body["framework"]["slug"] == "townhall-digital-maturity"
    names = [council["council"] for council in body["councils"]]
    assert names == sorted(
        [published["council"], "Eastmere District Council", "Harrowfield Council"], key=str.casefold
    )
    harrowfield = next(c for c in body["councils"] if c["council"] == "Harrowfield Council")
    assert harrowfield["comparable"] is True
    assert harrowfield["council_code"] == "E06999902"
    assert harrowfield["sections"][0] == {"key": "leadership", "percent": 10.0}
    assert harrowfield["questions"][0] == {"key": "leadership-authority", "level": 1}
    ashworth = client.get("/api/v1/scorecard/compare?region=yorkshire-and-the-humber").json()
    assert [c["comparable"] for c in ashworth["councils"] if not c["this_council"]] == [False]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("council_type=town", "invalid_council_type"),
        ("region=mars", "invalid_region"),
        ("sort=best", "invalid_sort"),
    ],
)
def test_the_comparison_api_refuses_an_unknown_filter_with_a_code(client, db, query, code):
    response = client.get(f"/api/v1/scorecard/compare?{query}")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == code


# Staff pages ----------------------------------------------------------------------------


@pytest.fixture
def signed_in(client, officer):
    client.force_login(officer)
    return client


def test_an_officer_imports_a_scorecard_from_manage_and_sees_it_listed(signed_in, published):
    page = signed_in.get("/leadership/manage/maturity/").content.decode()
    assert "/leadership/manage/maturity/scorecards/" in page
    upload = _theirs(published, council_type="district", region="north-west")

    response = signed_in.post(
        "/leadership/manage/maturity/scorecards/",
        {
            "file": _upload(upload),
            "council_name": "",
            "gss_code": "",
            "council_type": "",
            "region": "",
        },
        follow=True,
    )

    page = response.content.decode()
    assert "is imported" in page
    assert "Eastmere District Council" in page
    assert "District council" in page


def _upload(data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("scorecard.json", _raw(data), content_type="application/json")


def test_an_officer_sees_where_an_uploaded_file_is_wrong(signed_in, published):
    upload = _theirs(published, council_type="district", region="north-west")
    upload["sections"][0]["questions"][0]["level"] = 6

    response = signed_in.post("/leadership/manage/maturity/scorecards/", {"file": _upload(upload)})

    page = response.content.decode()
    assert response.status_code == 200
    assert "sections[0].questions[0].level: 6 is out of range" in page
    assert "govuk-error-summary" in page
    assert not ComparedCouncil.objects.exists()


def test_an_officer_removes_a_compared_council(signed_in, officer, published):
    _import(officer, _theirs(published))

    response = signed_in.post("/leadership/manage/maturity/scorecards/E07999901/remove/")

    assert response.status_code == 302
    assert not ComparedCouncil.objects.exists()
    assert not ComparedScorecard.objects.exists()


def test_the_import_page_is_for_those_who_assess_maturity(client, published):
    client.force_login(UserFactory(is_staff=True))

    assert client.get("/leadership/manage/maturity/scorecards/").status_code == 403


def test_the_staff_assessment_page_lists_an_improvement_action_for_each_gap(signed_in, ours):
    page = signed_in.get(f"/leadership/manage/maturity/{ours.public_id}/").content.decode()

    card = selectors.scorecard(ours)
    below_top = [question for question in card.questions() if question.next_level]
    assert "Improvement actions" in page
    for question in below_top:
        descriptor = question.question["levels"][str(question.next_level)]["en"]
        assert descriptor.replace("'", "&#x27;") in page


def test_the_public_scorecard_has_a_radar_of_areas_and_links_to_the_comparison(client, ours):
    page = client.get("/leadership/scorecard/").content.decode()

    assert "The areas at a glance" in page
    assert "th-chart__area--1" in page
    assert "/leadership/scorecard/compare/" in page


# The radar chart --------------------------------------------------------------------------


def _radar(**overrides):
    arguments = {
        "title": "Areas",
        "categories": ["Leadership", "Open data", "Digital inclusion"],
        "series": [("This council", [50, 75, 25]), ("Others", [40, 60, 80])],
        "value_label": "Score (%)",
        "category_label": "Area",
        **overrides,
    }
    return radar_chart(**arguments)


def test_a_radar_chart_numbers_its_spokes_lists_them_and_fits_a_phone():
    svg = str(_radar().svg)

    assert 'viewBox="0 0 320 ' in svg and 'width="320"' in svg
    assert "1. Leadership" in svg and "3. Digital inclusion" in svg
    assert svg.count('<polygon class="th-chart__area') == 2
    assert 'role="img"' in svg


def test_a_radar_chart_summarises_each_series_in_words():
    svg = str(_radar().svg)

    assert "This council: highest Open data, 75; lowest Digital inclusion, 25." in svg
    assert "Others: highest Digital inclusion, 80; lowest Leadership, 40." in svg
    assert "The same figures are in the table that follows." in svg


def test_a_radar_chart_has_a_table_with_a_column_per_series(client):
    from django.template import Context, Template

    html = Template("{% load components %}{% chart chart %}").render(Context({"chart": _radar()}))

    assert "Show the data as a table" in html
    assert (
        '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Others</th>'
        in html
    )
    assert _radar().series_rows == [
        ("Leadership", ["50", "40"]),
        ("Open data", ["75", "60"]),
        ("Digital inclusion", ["25", "80"]),
    ]


def test_a_radar_chart_escapes_its_labels():
    svg = str(_radar(categories=["<script>", "b", "c"]).svg)

    assert "<script>" not in svg and "&lt;script&gt;" in svg


@pytest.mark.parametrize(
    "overrides",
    [
        {"categories": ["a", "b"], "series": [("x", [1, 2])]},
        {"series": [("a", [1, 2, 3])] * 4},
        {"series": [("a", [1, 2])]},
        {"series": [("a", [1, 2, 101])]},
        {"series": [("a", [1, 2, float("nan")])]},
    ],
)
def test_a_radar_chart_refuses_what_it_cannot_draw(overrides):
    with pytest.raises(ValueError):
        _radar(**overrides)
