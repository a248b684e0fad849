"""Every public page meets WCAG 2.2 A and AA as axe-core checks it.

The pages are found by crawling from the home page in English and in Welsh, signed out
and signed in as a resident, over the small demo council, so new pages are covered as
soon as they are linked. A page that answers with an error fails too.

Each crawl runs once (ADR 0005): axe judges markup, which the database does not change.
The English crawls run in the SQLite pass, the Welsh and staff crawls in the PostgreSQL
pass, so that the two passes, which run side by side (ADR 0041), take about as long.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connection
from django.test import Client

from tests.e2e.crawler import crawl

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _once_in(vendor: str):
    """Run this crawl only in the pass on `vendor`'s database (ADR 0005)."""
    return pytest.mark.skipif(
        connection.vendor != vendor, reason=f"this crawl runs once, in the {vendor} pass"
    )


WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]}


def _describe(url: str, violations: list[dict]) -> list[str]:
    lines = []
    for violation in violations:
        targets = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
        lines.append(
            f"{url}: {violation['id']} ({violation['impact']}): {violation['help']} at {targets}"
        )
    return lines


def _sign_in(context, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


@pytest.fixture
def demo_council(transactional_db):
    from townhall.core.demo import build_demo

    build_demo(size="small", report=lambda line: None)


@pytest.mark.parametrize(
    "start",
    [
        pytest.param("/", id="english", marks=_once_in("sqlite")),
        pytest.param("/cy/", id="welsh", marks=_once_in("postgresql")),
    ],
)
@pytest.mark.parametrize("signed_in", [False, True], ids=["signed-out", "signed-in"])
def test_every_public_page_has_no_wcag_22_aa_violations(
    browser, live_server, demo_council, person, start, signed_in
):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    if signed_in:
        _sign_in(context, live_server, person("resident"))
    page = context.new_page()
    axe = Axe()
    problems: list[str] = []
    visited = 0
    for visit in crawl(page, start):
        visited += 1
        if visit.status >= 400:
            problems.append(f"{visit.url}: answered {visit.status}")
            continue
        results = axe.run(page, options=AXE_OPTIONS)
        problems.extend(_describe(visit.url, results.response["violations"]))
    context.close()
    assert visited >= 5, f"the crawl reached only {visited} pages from {start}"
    assert not problems, "\n".join(problems)


@_once_in("postgresql")
def test_every_staff_page_reached_from_the_workspace_has_no_wcag_22_aa_violations(
    browser, live_server, demo_council, person
):
    """A member of staff holding every role follows every tool and link from Manage, on a
    phone and in Welsh (the English pages share their templates): each page answers, and
    axe finds nothing."""
    from townhall.core.registry import registry

    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    _sign_in(context, live_server, person(*registry.roles(), is_staff=True))
    page = context.new_page()
    axe = Axe()
    problems: list[str] = []
    visited = []
    for visit in crawl(page, "/cy/manage/", per_shape=1, limit=70):
        visited.append(visit.url)
        if visit.status >= 400:
            problems.append(f"{visit.url}: answered {visit.status}")
            continue
        results = axe.run(page, options=AXE_OPTIONS)
        problems.extend(_describe(visit.url, results.response["violations"]))
    context.close()
    assert sum("/manage/" in url for url in visited) >= 5, visited
    assert not problems, "\n".join(problems)
