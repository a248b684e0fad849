"""The service navigation marks the section a page belongs to, as its module declares it:
the pages an entry `covers` by URL name, or else the pages under the entry's address."""

import re

import pytest
from django.urls import reverse

from tests.core.factories import AreaFactory
from townhall.core.registry import Manifest, NavigationEntry, registry

pytestmark = pytest.mark.django_db

_CURRENT = re.compile(
    r'<li class="govuk-service-navigation__item govuk-service-navigation__item--active">\s*'
    r'<a class="govuk-service-navigation__link" href="([^"]*)" aria-current="page">\s*'
    r'<strong class="govuk-service-navigation__active-fallback">([^<]*)</strong>'
)


def current_sections(html: str) -> list[tuple[str, str]]:
    """(address, label) of each navigation entry the page marks as its section."""
    return _CURRENT.findall(html)


@pytest.fixture
def section():
    """Register a module with one navigation entry for the test: section(url_name=...)."""

    def register(**entry):
        registry.register(
            Manifest(
                app_label="probe",
                name="Probe",
                navigation=(NavigationEntry(label="Probe section", order=500, **entry),),
            )
        )

    yield register
    registry._manifests.pop("probe", None)


def test_a_page_an_entry_covers_by_url_name_marks_its_section(client, section):
    section(url_name="core:developers", covers=("core:search",))

    assert current_sections(client.get("/search/").text) == [("/developers/", "Probe section")]
    assert current_sections(client.get("/developers/").text) == [("/developers/", "Probe section")]


def test_a_covered_pattern_marks_every_page_it_names_when_the_address_differs(client, section):
    area = AreaFactory(name="Abbey")
    section(url_name="core:developers", covers=("core:ward*",))

    assert current_sections(client.get("/wards/").text) == [("/developers/", "Probe section")]
    assert current_sections(client.get(f"/wards/{area.slug}/").text) == [
        ("/developers/", "Probe section")
    ]


def test_an_entry_that_covers_pages_is_not_current_under_its_address_otherwise(client, section):
    area = AreaFactory(name="Abbey")
    section(url_name="core:ward_list", covers=("core:search",))

    assert current_sections(client.get(f"/wards/{area.slug}/").text) == []


def test_an_entry_without_covers_is_current_under_its_address(client, section):
    area = AreaFactory(name="Abbey")
    section(url_name="core:ward_list")

    assert current_sections(client.get(f"/wards/{area.slug}/").text) == [
        ("/wards/", "Probe section")
    ]


def test_the_section_is_marked_on_the_welsh_page_with_the_welsh_address(client, section):
    section(url_name="core:developers", covers=("core:search",))

    assert current_sections(client.get("/cy/search/").text) == [
        ("/cy/developers/", "Probe section")
    ]


def test_home_is_current_on_the_home_page_only(client):
    assert current_sections(client.get("/").text) == [("/", "Home")]
    assert current_sections(client.get("/search/").text) == []


def test_a_page_in_no_section_marks_none(client):
    assert current_sections(client.get(reverse("core:developers")).text) == []


def test_manage_is_current_on_the_workspace_pages(client, administrator):
    client.force_login(administrator)

    assert current_sections(client.get("/manage/people/").text) == [("/manage/", "Manage")]
