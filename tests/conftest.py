"""Fixtures shared by every test: people with roles, a real browser, the demo council."""

import os
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection

from tests.core.factories import UserFactory

CHROMIUM = os.environ.get("TOWNHALL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(autouse=True)
def _english_by_default():
    """Each test starts in English: a request to /cy/ leaves Welsh active in the thread."""
    from django.utils import translation

    translation.activate("en-gb")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with empty caches, so no cached row or kept answer outlives its
    rolled-back test."""
    from django.core.cache import cache

    from townhall.core.response_cache import store

    cache.clear()
    store.clear()
    yield
    cache.clear()
    store.clear()


SEEDING_MIGRATIONS = (
    ("townhall.core.roles", "sync_role_groups"),
    ("townhall.core.migrations.0003_council_pages", "create_pages"),
    ("townhall.core.migrations.0005_site_settings_row", "create_site_settings"),
)
AUDIT_MIGRATION = "townhall.core.migrations.0002_roles_and_append_only_audit"


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    marked = marker is not None and (
        marker.kwargs.get("transaction") or (marker.args and marker.args[0])
    )
    return bool(marked) or bool({"live_server", "transactional_db"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _transactional_isolation(request):
    """Let tests that commit for real (browser tests, the worker) start and end cleanly.

    Django empties every table after such a test, which also removes what the migrations
    seeded (roles, council pages, site settings): they are put back before each one. And
    the audit log refuses deletes by design, so its guard is lifted just for that emptying.
    """
    if not _is_transactional(request):
        yield
        return
    request.getfixturevalue("transactional_db")
    for module, function in SEEDING_MIGRATIONS:
        getattr(import_module(module), function)(apps=apps, schema_editor=None)
    yield
    audit = import_module(AUDIT_MIGRATION)
    with connection.schema_editor() as editor:
        audit.unprotect_audit_log(apps, editor)
        editor.execute("DELETE FROM core_auditentry")
        audit.protect_audit_log(apps, editor)


@pytest.fixture
def person(db):
    """Make a signed-up, verified person holding the given roles: person("moderator")."""

    def make(*roles: str, **fields):
        return UserFactory(roles=roles, **fields)

    return make


@pytest.fixture
def resident(person):
    return person("resident")


@pytest.fixture
def administrator(person):
    return person("administrator", is_staff=True)


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the whole run, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is not at {CHROMIUM}: run scripts/setup-system --with-browser")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab (own cookies) at a phone-sized viewport, pointed at live_server."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, locale="en-GB"
    )
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


@pytest.fixture
def desktop_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


@pytest.fixture(scope="session")
def standards_dir() -> Path:
    """The published schemas of the standards Townhall speaks (OCDS, Open Referral UK).

    They live beside the project, not in it (`../shared/standards/`, their publishers'
    files unchanged); TOWNHALL_STANDARDS_DIR names another folder. Without them the
    tests that validate against them are skipped with a message saying so.
    """
    folder = Path(
        os.environ.get("TOWNHALL_STANDARDS_DIR")
        or Path(__file__).resolve().parents[1].parent / "shared" / "standards"
    )
    if not folder.is_dir():
        pytest.skip(f"the published standards' schemas are not at {folder}")
    return folder
