"""The progress of long-running work: reported by tasks, shown to staff, polled as JSON."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from playwright.sync_api import expect

from tests.core.factories import TaskProgressFactory, UserFactory
from townhall.core.models import SiteSettings, TaskProgress
from townhall.core.selectors.tasks import progress_report
from townhall.core.services.tasks import Progress

pytestmark = pytest.mark.django_db


def stored(key: str) -> TaskProgress:
    return TaskProgress.objects.get(key=key)


# Reporting progress ----------------------------------------------------------------------


def test_progress_start_shows_the_work_running_from_nothing_done():
    TaskProgressFactory(key="import:1", done=80, state=TaskProgress.State.FAILED)

    Progress.start("import:1", label="Loading spend.csv", total=200)

    row = stored("import:1")
    assert (row.label, row.state, row.done, row.total) == ("Loading spend.csv", "running", 0, 200)
    assert row.started_at is not None


def test_progress_advance_writes_the_first_step_at_once_and_later_ones_throttled():
    progress = Progress.start("import:1", label="Loading", total=10)

    progress.advance(3, message="Row 3")
    progress.advance(4)

    row = stored("import:1")
    assert (row.done, row.message) == (3, "Row 3")
    assert progress.row.done == 7


def test_progress_finish_counts_everything_done():
    progress = Progress.start("import:1", label="Loading", total=10)
    progress.advance(4)

    progress.finish("Loaded 10 rows")

    row = stored("import:1")
    assert (row.state, row.done, row.message) == ("done", 10, "Loaded 10 rows")


def test_progress_block_that_raises_is_marked_failed_with_the_error():
    with pytest.raises(ValueError), Progress.start("import:1", label="Loading", total=10):
        raise ValueError("Row 7 has no date")

    row = stored("import:1")
    assert (row.state, row.message) == ("failed", "ValueError: Row 7 has no date")


def test_progress_block_that_ends_without_finishing_is_finished():
    with Progress.start("import:1", label="Loading", total=10) as progress:
        progress.advance(10)

    assert stored("import:1").state == "done"


def test_progress_waiting_turns_running_when_the_work_advances():
    progress = Progress.waiting("import:1", label="Loading", total=10)
    assert (stored("import:1").state, stored("import:1").started_at) == ("waiting", None)

    progress.advance(1)

    assert stored("import:1").state == "running"
    assert stored("import:1").started_at is not None


@pytest.mark.parametrize("key", ["", "a/b", "k" * 101])
def test_progress_refuses_a_key_the_display_cannot_address(key):
    with pytest.raises(ValueError, match="progress key"):
        Progress.start(key, label="Loading")


@pytest.mark.parametrize(
    ("state", "done", "total", "percent", "summary"),
    [
        ("running", 450, 1000, 45, "45% complete (450 of 1,000)"),
        ("running", 1200, 1000, 100, "100% complete (1,200 of 1,000)"),
        ("running", 1234, None, None, "1,234 done"),
        ("waiting", 0, 0, 0, "0% complete (0 of 0)"),
        ("done", 1234, None, 100, "1,234 done"),
    ],
)
def test_progress_report_gives_percentage_and_summary(state, done, total, percent, summary):
    TaskProgressFactory(key="k", state=state, done=done, total=total)

    report = progress_report("k")

    assert (report.percent, report.summary) == (percent, summary)
    assert report.finished is (state == "done")


def test_progress_report_of_unknown_work_is_none():
    assert progress_report("nothing") is None


# The component ---------------------------------------------------------------------------


def render_progress(key: str) -> str:
    request = RequestFactory().get("/tasks/page/")
    template = Template("{% load progress %}{% progress key %}")
    return template.render(Context({"key": key, "request": request}))


def test_progress_component_shows_label_state_bar_and_summary():
    TaskProgressFactory(key="import:7", label="Loading spend.csv", done=47, total=100)

    html = render_progress("import:7")

    assert '<h2 class="govuk-heading-m">Loading spend.csv</h2>' in html
    assert "govuk-tag govuk-tag--blue" in html
    assert "th-progress__bar--w45" in html
    assert "47% complete (47 of 100)" in html
    assert 'role="status" aria-live="polite"' in html


def test_progress_component_of_running_work_offers_refresh_and_polling():
    TaskProgressFactory(key="import:7")

    html = render_progress("import:7")

    assert 'href="/tasks/page/#progress-import7"' in html
    assert "Refresh to see the latest progress" in html
    assert 'data-progress-url="/api/v1/tasks/import:7/progress?lang=en-gb"' in html


def test_progress_component_of_finished_work_neither_refreshes_nor_polls():
    TaskProgressFactory(key="import:7", state=TaskProgress.State.DONE, message="Loaded 100 rows")

    html = render_progress("import:7")

    assert "Refresh" not in html
    assert "data-progress-url" not in html
    assert "govuk-tag--green" in html
    assert "Loaded 100 rows" in html


def test_progress_component_of_unknown_work_says_nothing_is_reported_yet():
    html = render_progress("import:unknown")

    assert "has not reported any progress yet" in html


# The JSON ----------------------------------------------------------------------------


def test_progress_json_gives_staff_the_state_of_the_work(client, person):
    TaskProgressFactory(key="import:7", label="Loading spend.csv", done=47, total=100)
    client.force_login(person("officer"))

    response = client.get("/api/v1/tasks/import:7/progress")

    assert response.status_code == 200
    body = response.json()
    assert body["label"] == "Loading spend.csv"
    assert (body["state"], body["done"], body["total"], body["percent"]) == ("running", 47, 100, 47)
    assert (body["summary"], body["finished"]) == ("47% complete (47 of 100)", False)


@pytest.mark.parametrize(
    ("role", "status", "code"),
    [(None, 401, "unauthenticated"), ("resident", 403, "forbidden")],
)
def test_progress_json_is_refused_to_anyone_but_staff(client, person, role, status, code):
    TaskProgressFactory(key="import:7")
    if role:
        client.force_login(person(role))

    response = client.get("/api/v1/tasks/import:7/progress")

    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_progress_json_of_unknown_work_is_a_404_with_its_code(client, person):
    client.force_login(person("officer"))

    response = client.get("/api/v1/tasks/import:unknown/progress")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "progress_not_found"


# The page ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/tasks/import:7/", "/cy/tasks/import:7/"])
def test_task_page_shows_staff_the_progress(client, person, path):
    TaskProgressFactory(key="import:7", label="Loading spend.csv")
    client.force_login(person("data_publisher"))

    response = client.get(path)

    assert response.status_code == 200
    assert "Loading spend.csv" in response.text
    assert "th-progress__bar" in response.text


REFRESH = '<noscript><meta http-equiv="refresh" content="5"></noscript>'


@pytest.mark.parametrize(
    ("state", "query", "refreshes"),
    [
        (TaskProgress.State.RUNNING, "", True),
        (TaskProgress.State.WAITING, "", True),
        (TaskProgress.State.DONE, "", False),
        (TaskProgress.State.FAILED, "", False),
        (TaskProgress.State.RUNNING, "?refresh=off", False),
    ],
)
def test_task_page_refreshes_itself_without_javascript_until_the_work_finishes(
    client, person, state, query, refreshes
):
    TaskProgressFactory(key="import:7", state=state)
    client.force_login(person("data_publisher"))

    page = client.get(f"/tasks/import:7/{query}").text
    head = page[: page.index("</head>")]

    assert (REFRESH in head) == refreshes
    assert ("This page refreshes every 5 seconds." in page) == refreshes


def test_task_page_that_refreshes_offers_a_link_to_stop(client, person):
    TaskProgressFactory(key="import:7")
    client.force_login(person("data_publisher"))

    page = client.get("/cy/tasks/import:7/").text

    assert "Mae'r dudalen hon yn adnewyddu bob 5 eiliad." in page
    assert 'href="/cy/tasks/import:7/?refresh=off#progress-import7"' in page


def test_task_page_sends_a_visitor_to_sign_in(client):
    TaskProgressFactory(key="import:7")

    response = client.get("/tasks/import:7/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_task_page_is_refused_to_residents(client, resident):
    TaskProgressFactory(key="import:7")
    client.force_login(resident)

    assert client.get("/tasks/import:7/").status_code == 403


def test_task_page_of_unknown_work_is_not_found(client, person):
    client.force_login(person("officer"))

    assert client.get("/tasks/import:unknown/").status_code == 404


# In a browser --------------------------------------------------------------------------


@pytest.mark.browser
def test_progress_display_updates_itself_until_the_work_finishes(page, live_server, client):
    # Made here, or the first page would make it, and the audit log's record of that
    # would stop the live server's database being emptied after the test.
    SiteSettings.objects.create(council_name="Northbridge Borough Council")
    TaskProgressFactory(key="import:7", label="Loading spend.csv", done=10, total=100)
    # A superuser rather than a role: the roles' groups may be gone after an earlier test
    # that emptied the tables (live-server tests do).
    client.force_login(UserFactory(is_superuser=True))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto("/tasks/import:7/")
    page.get_by_text("10% complete (10 of 100)", exact=True).wait_for()
    # The server's page offers a refresh link; the script hides it once it has taken over.
    expect(page.get_by_text("Refresh to see the latest progress")).to_be_hidden()

    TaskProgress.objects.filter(key="import:7").update(state="done", done=100, message="All done")

    page.get_by_text("100% complete (100 of 100)", exact=True).wait_for()
    assert page.locator("[data-progress-state]").inner_text() == "Finished"
    assert (
        page.locator("[data-progress-live]").inner_text() == "Finished. 100% complete (100 of 100)"
    )
