"""The council's own pages: seeded in English and Welsh, linked from the footer, edited by staff."""

import re

import pytest
from django.contrib.staticfiles import finders

from townhall.core.models import AuditEntry, Page

pytestmark = pytest.mark.django_db

COUNCIL_PAGES = ("accessibility", "privacy", "cookies", "contact")


@pytest.mark.parametrize(("home", "prefix"), [("/", "/"), ("/cy/", "/cy/")])
def test_council_pages_are_linked_from_the_footer_in_both_languages(client, home, prefix):
    footer = client.get(home).text.split('class="govuk-footer"')[1]
    for slug in COUNCIL_PAGES:
        assert f'href="{prefix}{slug}/"' in footer


@pytest.mark.parametrize("slug", COUNCIL_PAGES)
@pytest.mark.parametrize("prefix", ["/", "/cy/"])
def test_council_page_is_served_with_its_own_text_in_each_language(client, slug, prefix):
    page = Page.objects.get(slug=slug)
    response = client.get(f"{prefix}{slug}/")
    assert response.status_code == 200
    heading = re.search(r'<h1 class="govuk-heading-xl">(.*?)</h1>', response.text).group(1)
    assert heading == (page.title_cy if prefix == "/cy/" else page.title).replace("'", "&#x27;")


def test_accessibility_page_is_the_accessibility_statement(client):
    text = client.get("/accessibility/").text
    assert "Accessibility statement" in text
    for required in ("WCAG", "2.2", "Enforcement procedure", "Equality Advisory and Support"):
        assert required in text
    assert "Equality Commission for Northern Ireland" in text
    assert "This statement was prepared on" in text


def test_welsh_accessibility_statement_is_in_welsh(client):
    text = client.get("/cy/accessibility/").text
    assert "Datganiad hygyrchedd" in text
    assert "Y drefn orfodi" in text


def test_privacy_notice_names_the_lawful_bases_and_the_ico(client):
    text = client.get("/privacy/").text
    for required in (
        "UK GDPR",
        "public task",
        "consent",
        "Information Commissioner",
        "0303 123 1113",
    ):
        assert required in text


def test_cookies_page_lists_only_essential_cookies_in_a_table(client):
    text = client.get("/cookies/").text
    assert 'class="govuk-table"' in text
    for cookie in ("sessionid", "csrftoken", "django_language"):
        assert f">{cookie}<" in text
    assert "We do not use analytics cookies" in text


def test_contact_page_shows_the_councils_contact_details(client):
    from townhall.core.selectors.site import forget_site_settings, site_settings

    settings_row = site_settings()
    settings_row.contact_email = "hello@northbridge.example"
    settings_row.save()
    forget_site_settings()
    assert 'href="mailto:hello@northbridge.example"' in client.get("/contact/").text


def test_unknown_page_is_not_found(client):
    assert client.get("/no-such-page/").status_code == 404


def test_council_page_edited_by_an_administrator_shows_at_once_and_is_audited(
    client, administrator
):
    page = Page.objects.get(slug="contact")
    client.force_login(administrator)
    form = {
        "slug": page.slug,
        "title_en_gb": page.title_en_gb,
        "title_cy": page.title_cy,
        "body_en_gb": "Ring the Town Hall on 01632 960000.",
        "body_cy": page.body_cy,
        "show_in_footer": "on",
        "footer_order": page.footer_order,
    }
    response = client.post(f"/manage/pages/{page.pk}/", form)
    assert response.status_code == 302
    assert "Ring the Town Hall on 01632 960000." in client.get("/contact/").text
    entry = AuditEntry.objects.get(object_type="core.page", object_id=str(page.pk))
    assert entry.after["body_en_gb"] == "Ring the Town Hall on 01632 960000."
    assert entry.actor_id == administrator.pk


def test_council_page_markdown_cannot_inject_script(client):
    Page.objects.filter(slug="cookies").update(body="<script>alert(1)</script> **Bold**")
    text = client.get("/cookies/").text
    assert "<script>alert(1)" not in text
    assert "<strong>Bold</strong>" in text


def test_council_page_edited_by_an_administrator_is_found_by_site_search_at_once(
    client, administrator
):
    page = Page.objects.get(slug="cookies")
    client.force_login(administrator)
    form = {
        "slug": page.slug,
        "title_en_gb": page.title_en_gb,
        "title_cy": page.title_cy,
        "body_en_gb": "We bake zanzibarcrumbs for visitors.",
        "body_cy": page.body_cy,
        "show_in_footer": "on",
        "footer_order": page.footer_order,
    }
    client.post(f"/manage/pages/{page.pk}/", form)
    assert 'href="/cookies/"' in client.get("/search/", {"q": "zanzibarcrumbs"}).text


def test_council_pages_migration_reverses_cleanly_and_keeps_a_councils_edits_when_rerun():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("townhall.core.migrations.0003_council_pages")
    Page.objects.create(slug="parking", title="Parking", body="Our own page.")
    Page.objects.filter(slug="contact").update(body="Ring 01632 960000.")
    migration.create_pages(apps, None)
    assert Page.objects.get(slug="contact").body == "Ring 01632 960000."
    migration.remove_pages(apps, None)
    assert list(Page.objects.values_list("slug", flat=True)) == ["parking"]


@pytest.mark.parametrize("prefix", ["", "/cy"])
def test_every_page_names_the_sites_icon_and_favicon_ico_leads_to_it(client, prefix):
    page = client.get(f"{prefix}/").content.decode()
    icon = client.get("/favicon.ico")

    assert '<link rel="icon" href="/static/townhall/favicon.svg" type="image/svg+xml">' in page
    assert icon.status_code == 301
    assert icon["Location"] == "/static/townhall/favicon.svg"
    assert finders.find("townhall/favicon.svg")
