"""Ward pages: the ward finder leads to them, and each module adds its panel (WardPanel)."""

import pytest

from tests.core.factories import AreaFactory, PostcodeFactory, square
from tests.opendata.factories import DatasetFactory
from tests.participation.factories import BudgetFactory, ConsultationFactory
from townhall.core.models import Area
from townhall.core.registry import Manifest, WardPanel, registry
from townhall.core.selectors.site import forget_site_settings, site_settings
from townhall.core.services.geography import areas_store

pytestmark = pytest.mark.django_db


@pytest.fixture
def riverside():
    return AreaFactory(
        code="E05000001", name="Riverside", name_cy="Glan yr Afon", geometry=square(-1.6, 53.0, 0.1)
    )


@pytest.fixture
def northbridge():
    row = site_settings()
    row.council_name = "Northbridge Borough Council"
    row.save()
    forget_site_settings()
    yield
    forget_site_settings()


def test_ward_page_shows_the_ward_its_boundary_and_each_modules_panel(client, riverside):
    AreaFactory(code="E05000002", name="Castle", geometry=square(-1.5, 53.0, 0.1))
    ConsultationFactory(title="Riverside bus lanes", ward_codes=["E05000001"])
    ConsultationFactory(title="Castle car park", ward_codes=["E05000002"])
    ConsultationFactory(title="Council tax support", ward_codes=[])
    BudgetFactory(title="Riverside fund", ward_code="E05000001")
    DatasetFactory(title="Riverside flood risk", spatial_area_code="E05000001", published=True)
    response = client.get("/wards/riverside/")
    assert response.status_code == 200
    html = response.text
    assert "<title>Riverside ward" in html
    assert '<h1 class="govuk-heading-xl">Riverside</h1>' in html
    assert '<span lang="cy">Glan yr Afon</span>' in html
    assert "<svg" in html and "Where Riverside ward is" in html
    here, across = html.split("In this ward")[1].split("Across the council")
    assert "Riverside bus lanes" in here and "Riverside fund" in here
    assert "Council tax support" in across
    assert "Castle car park" not in html
    assert "Riverside flood risk" in html.split("Open data about this ward")[1]


def test_ward_page_in_welsh_has_the_welsh_name_and_welsh_panels(client, riverside):
    ConsultationFactory(title="Bus lanes", title_cy="Lonydd bysiau", ward_codes=["E05000001"])
    html = client.get("/cy/wards/riverside/").text
    assert '<h1 class="govuk-heading-xl">Glan yr Afon</h1>' in html
    assert "<title>Ward Glan yr Afon" in html
    assert "Yn y ward hon" in html and "Lonydd bysiau" in html
    assert '<html lang="cy"' in html


def test_ward_page_in_welsh_marks_an_english_only_name_as_english(client):
    AreaFactory(code="E05000003", name="Castle")
    html = client.get("/cy/wards/castle/").text
    assert '<h1 class="govuk-heading-xl" lang="en">Castle</h1>' in html
    assert 'href="/cy/wards/castle/" lang="en">Castle</a>' in client.get("/cy/wards/").text


def test_ward_page_of_an_unknown_ward_is_not_found(client, riverside):
    response = client.get("/wards/nowhere/")
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_ward_list_links_every_ward_by_name(client, riverside):
    AreaFactory(code="E05000002", name="Abbey")
    AreaFactory(code="E06000001", name="Northbridge", kind=Area.Kind.COUNCIL)
    html = client.get("/wards/").text
    assert html.index('href="/wards/abbey/"') < html.index('href="/wards/riverside/"')
    assert "/wards/northbridge/" not in html


def test_ward_finder_leads_from_a_postcode_to_its_ward_page(client, riverside):
    PostcodeFactory(postcode="NB1 1AA", ward_code="E05000001")
    response = client.get("/cy/postcode/", {"postcode": "nb1 1aa"})
    assert response.status_code == 302
    assert response.url == "/cy/wards/riverside/"


def test_ward_finder_tells_a_postcode_elsewhere_it_is_not_in_the_council(
    client, riverside, northbridge
):
    response = client.get("/postcode/", {"postcode": "sw1a1aa"})
    assert response.status_code == 400
    summary = response.text.split('class="govuk-error-summary"')[1].split("</div>")[0]
    assert (
        "SW1A 1AA is not in Northbridge Borough Council&#x27;s area. Check the postcode, "
        "or find your council at https://www.gov.uk/find-local-council" in summary
    )
    assert 'href="https://www.gov.uk/find-local-council"' in response.text


def test_ward_finder_asks_for_a_real_postcode_when_it_is_malformed(client, riverside):
    response = client.get("/postcode/", {"postcode": "SW1A"})
    assert "Enter a real postcode" in response.text
    assert "find-local-council" not in response.text


def test_home_page_postcode_box_asks_the_ward_finder(client):
    html = client.get("/").text
    assert 'action="/postcode/"' in html
    assert 'name="postcode"' in html


def test_ward_page_leaves_out_a_panel_whose_module_has_nothing_for_the_ward(
    client, riverside, settings, tmp_path
):
    (tmp_path / "probe_ward.html").write_text("<p>Probe panel: {{ panel.message }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [str(tmp_path)]}]
    seen = []

    def said(ward):
        seen.append(ward.code)
        return {"message": f"about {ward.name}"}

    registry.register(
        Manifest(
            app_label="probe",
            name="Probe",
            ward_panel=WardPanel(template="probe_ward.html", context=said),
        )
    )
    registry.register(
        Manifest(
            app_label="probe_empty",
            name="Empty",
            ward_panel=WardPanel(template="probe_ward.html", context=lambda ward: None),
        )
    )
    try:
        html = client.get("/wards/riverside/").text
    finally:
        registry._manifests.pop("probe")
        registry._manifests.pop("probe_empty")
    assert html.count("Probe panel:") == 1
    assert "Probe panel: about Riverside" in html
    assert seen == ["E05000001"]


def test_ward_slug_is_made_from_the_name_and_kept_when_a_new_import_renames_it(riverside):
    (imported,) = Area.objects.filter(code="E05000001")
    twin = AreaFactory.build(code="E05000009", name="Riverside", slug="")
    areas_store([twin])
    assert Area.objects.get(code="E05000009").slug == "riverside-e05000009"
    renamed = AreaFactory.build(code="E05000001", name="Riverside and Docks", slug="")
    areas_store([renamed])
    imported.refresh_from_db()
    assert (imported.name, imported.slug) == ("Riverside and Docks", "riverside")
