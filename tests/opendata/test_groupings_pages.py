"""Publishers and themes under Manage: those who set up the catalogue add, rename and delete
them without the admin site, in English and Welsh; short names stay fixed; a publisher or
theme that datasets use is not deleted; the CKAN API, DCAT and site search follow an edit."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from townhall.core.models import AuditEntry, SearchEntry
from townhall.core.permissions import PermissionDenied
from townhall.core.services.search import search_index_update
from townhall.opendata import services
from townhall.opendata.models import Dataset, Organisation, Theme

from .factories import DatasetFactory, OrganisationFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(person):
    """Someone who may set up the catalogue (the chief digital officer's action)."""
    return person("chief_digital_officer", is_staff=True)


def _ckan(client, name, **data):
    return json.loads(client.get(reverse("ckan-action", args=[name]), data).content)


PAGES = [
    ("opendata:publishers", False),
    ("opendata:publisher_add", False),
    ("opendata:publisher_edit", True),
    ("opendata:publisher_delete", True),
    ("opendata:themes", False),
    ("opendata:theme_add", False),
    ("opendata:theme_edit", True),
    ("opendata:theme_delete", True),
]


def _url(name: str, needs_slug: bool) -> str:
    OrganisationFactory(slug="finance", title="Finance")
    ThemeFactory(slug="money", title="Money")
    slug = "finance" if name.startswith("opendata:publisher") else "money"
    return reverse(name, args=[slug] if needs_slug else [])


# --- Who may reach the pages ------------------------------------------------------------


@pytest.mark.parametrize(("name", "needs_slug"), PAGES)
def test_grouping_pages_send_anonymous_visitors_to_sign_in(client, name, needs_slug):
    response = client.get(_url(name, needs_slug))

    assert response.status_code == 302
    assert "login" in response.url


@pytest.mark.parametrize("role", ["resident", "moderator", "consultation_lead"])
@pytest.mark.parametrize(("name", "needs_slug"), PAGES)
def test_grouping_pages_are_refused_to_those_who_may_not_set_up_the_catalogue(
    client, person, role, name, needs_slug
):
    client.force_login(person(role, is_staff=role != "resident"))

    assert client.get(_url(name, needs_slug)).status_code == 403
    assert client.post(_url(name, needs_slug), {"title": "X"}).status_code == 403
    assert Organisation.objects.count() == 1 and Theme.objects.count() == 1


@pytest.mark.parametrize("role", ["data_publisher", "chief_digital_officer", "administrator"])
@pytest.mark.parametrize(("name", "needs_slug"), PAGES)
def test_grouping_pages_open_for_those_who_set_up_the_catalogue(
    client, person, role, name, needs_slug
):
    client.force_login(person(role, is_staff=True))

    assert client.get(_url(name, needs_slug)).status_code == 200


def test_the_services_refuse_a_consultation_lead(person):
    publisher = person("consultation_lead", is_staff=True)
    organisation = OrganisationFactory()

    with pytest.raises(PermissionDenied):
        services.organisation_create(actor=publisher, title="Parks")
    with pytest.raises(PermissionDenied):
        services.organisation_update(actor=publisher, organisation=organisation, title="X")
    with pytest.raises(PermissionDenied):
        services.theme_delete(actor=publisher, theme=ThemeFactory())


# --- Listing, adding, editing ------------------------------------------------------------


def test_publishers_page_lists_each_with_how_many_datasets_it_has(client, manager):
    finance = OrganisationFactory(slug="finance", title="Finance", title_cy="Cyllid")
    OrganisationFactory(slug="parks", title="Parks")
    DatasetFactory(publisher=finance, published=True)
    DatasetFactory(publisher=finance)
    client.force_login(manager)

    page = client.get(reverse("opendata:publishers"))

    assert page.status_code == 200
    rows = page.text.split('<tbody class="govuk-table__body">')[1]
    assert "Finance" in rows and 'lang="cy">Cyllid' in rows and "Parks" in rows
    assert '?publisher=finance">2</a>' in rows and "1 published" in rows
    assert "No Welsh" in rows  # Parks has no Welsh name yet


def test_themes_page_counts_the_datasets_filed_under_each(client, manager):
    money = ThemeFactory(slug="money", title="Money")
    DatasetFactory(themes=[money], published=True)
    client.force_login(manager)

    page = client.get(reverse("opendata:themes"))

    assert '?theme=money">1</a>' in page.text


def test_a_manager_adds_a_publisher_in_english_and_welsh_and_it_is_audited(client, manager):
    client.force_login(manager)

    response = client.post(
        reverse("opendata:publisher_add"),
        {
            "title": "  Libraries  ",
            "title_cy": "Llyfrgelloedd",
            "description": "Books and more.",
            "description_cy": "Llyfrau a mwy.",
            "email": "libraries@northbridge.example",
            "url": "northbridge.example/libraries",
        },
    )

    assert response.status_code == 302 and response.url == reverse("opendata:publishers")
    added = Organisation.objects.get(slug="libraries")
    assert (added.title_en_gb, added.title_cy) == ("Libraries", "Llyfrgelloedd")
    assert added.description_cy == "Llyfrau a mwy."
    assert added.url == "https://northbridge.example/libraries"
    assert AuditEntry.objects.filter(
        actor=manager, object_type="opendata.organisation", object_id=str(added.pk)
    ).exists()


def test_a_manager_adds_a_theme_with_a_short_name_of_their_choosing(client, manager):
    client.force_login(manager)

    client.post(reverse("opendata:theme_add"), {"title": "Environment", "slug": "green"})

    assert Theme.objects.get(slug="green").title_en_gb == "Environment"


def test_the_edit_page_shows_english_and_welsh_together_and_a_fixed_short_name(client, manager):
    OrganisationFactory(slug="finance", title="Finance", title_cy="Cyllid")
    client.force_login(manager)

    page = client.get(reverse("opendata:publisher_edit", args=["finance"]))

    assert 'name="title"' in page.text and 'name="title_cy"' in page.text
    assert 'value="Cyllid"' in page.text and 'lang="cy"' in page.text
    assert 'name="slug"' not in page.text and "<code>finance</code>" in page.text


def test_editing_a_publisher_keeps_its_short_name_and_is_audited(client, manager):
    finance = OrganisationFactory(slug="finance", title="Finance")
    client.force_login(manager)

    response = client.post(
        reverse("opendata:publisher_edit", args=["finance"]),
        {"title": "Finance and Resources", "title_cy": "Cyllid ac Adnoddau", "slug": "money"},
    )

    assert response.status_code == 302
    finance.refresh_from_db()
    assert finance.slug == "finance"
    assert (finance.title_en_gb, finance.title_cy) == (
        "Finance and Resources",
        "Cyllid ac Adnoddau",
    )
    entry = AuditEntry.objects.filter(object_type="opendata.organisation", operation="update")
    assert entry.filter(actor=manager).exists()


def test_the_services_take_no_new_short_name(manager):
    money = ThemeFactory(slug="money")

    with pytest.raises(TypeError):
        services.theme_update(actor=manager, theme=money, slug="new-name")


# --- Bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title": ""}, "title", "This field is required."),
        ({"title": "x" * 201}, "title", "at most 200 characters"),
        ({"title": "Fin\x1bance"}, "title", "control character"),
        ({"title": "Parks", "title_cy": "Parc\x07iau"}, "title_cy", "control character"),
        ({"title": "Parks", "description": "A\x00B"}, "description", "Null characters"),
        ({"title": "Finance"}, "slug", "Another publisher already uses this short name."),
        ({"title": "Parks", "slug": "finance"}, "slug", "Another publisher already uses"),
        ({"title": "Parks", "slug": "new"}, "slug", "kept for the site"),
        (
            {"title": "Parks", "slug": "0b6c3bd6-7f0e-4a43-9d39-c4d3bbf8d5a1"},
            "slug",
            "kept for the site",
        ),
        ({"title": "Parks", "slug": "parks and gardens"}, "slug", "valid"),
        ({"title": "!!!"}, "slug", "Enter a short name"),
        ({"title": "Parks", "email": "not an address"}, "email", "valid email"),
    ],
)
def test_adding_a_publisher_with_bad_input_says_what_is_wrong_and_stores_nothing(
    client, manager, data, field, message
):
    OrganisationFactory(slug="finance", title="Finance")
    client.force_login(manager)

    page = client.post(reverse("opendata:publisher_add"), data)

    assert page.status_code == 200
    assert "There is a problem" in page.text
    assert f'id="id_{field}_error"' in page.text
    assert message in page.text
    assert Organisation.objects.count() == 1


def test_editing_a_theme_with_a_control_character_stores_nothing(client, manager):
    ThemeFactory(slug="money", title="Money")
    client.force_login(manager)

    page = client.post(reverse("opendata:theme_edit", args=["money"]), {"title": "Mo\x1bney"})

    assert page.status_code == 200 and 'id="id_title_error"' in page.text
    assert Theme.objects.get(slug="money").title_en_gb == "Money"


def test_editing_a_publisher_deleted_meanwhile_says_so_and_does_not_bring_it_back(manager):
    finance = OrganisationFactory(slug="finance", title="Finance")
    Organisation.objects.filter(pk=finance.pk).delete()

    with pytest.raises(ValidationError, match="deleted by someone else"):
        services.organisation_update(actor=manager, organisation=finance, title="Back")
    assert not Organisation.objects.exists()


def test_a_page_of_a_publisher_that_is_gone_is_not_found(client, manager):
    client.force_login(manager)

    assert client.get(reverse("opendata:publisher_edit", args=["gone"])).status_code == 404
    assert client.post(reverse("opendata:theme_delete", args=["gone"])).status_code == 404


# --- Deleting -----------------------------------------------------------------------------


def test_a_publisher_no_dataset_uses_is_deleted_after_confirming_and_it_is_audited(client, manager):
    parks = OrganisationFactory(slug="parks", title="Parks")
    client.force_login(manager)

    confirm = client.get(reverse("opendata:publisher_delete", args=["parks"]))
    assert "Yes, delete it" in confirm.text
    assert Organisation.objects.filter(slug="parks").exists()

    response = client.post(reverse("opendata:publisher_delete", args=["parks"]))

    assert response.status_code == 302
    assert not Organisation.objects.filter(slug="parks").exists()
    assert AuditEntry.objects.filter(
        actor=manager, operation="delete", object_id=str(parks.pk)
    ).exists()


def test_deleting_a_publisher_that_datasets_use_is_refused_naming_how_many(client, manager):
    finance = OrganisationFactory(slug="finance", title="Finance")
    DatasetFactory(publisher=finance, published=True)
    DatasetFactory(publisher=finance)  # a draft counts too
    client.force_login(manager)

    confirm = client.get(reverse("opendata:publisher_delete", args=["finance"]))
    assert "2 datasets use it" in confirm.text and "Yes, delete it" not in confirm.text

    page = client.post(reverse("opendata:publisher_delete", args=["finance"]))

    assert page.status_code == 200
    assert "2 datasets are published by Finance" in page.text
    assert Organisation.objects.filter(slug="finance").exists()


def test_deleting_a_theme_that_a_dataset_uses_is_refused_and_keeps_the_dataset_filed(
    client, manager
):
    money = ThemeFactory(slug="money", title="Money")
    dataset = DatasetFactory(themes=[money])
    client.force_login(manager)

    page = client.post(reverse("opendata:theme_delete", args=["money"]))

    assert "1 dataset is filed under Money" in page.text
    assert list(dataset.themes.all()) == [money]


def test_deleting_a_publisher_already_deleted_says_so(manager):
    parks = OrganisationFactory(slug="parks")
    Organisation.objects.filter(pk=parks.pk).delete()

    with pytest.raises(ValidationError, match="already been deleted"):
        services.organisation_delete(actor=manager, organisation=parks)


# --- What follows an edit: CKAN, DCAT, search ----------------------------------------------


def test_ckan_organization_show_gives_the_new_names_after_an_edit(client, manager):
    finance = OrganisationFactory(slug="finance", title="Finance")
    dataset = DatasetFactory(publisher=finance, published=True)
    before = _ckan(client, "package_show", id=dataset.slug)["result"]["metadata_modified"]
    client.force_login(manager)

    client.post(
        reverse("opendata:publisher_edit", args=["finance"]),
        {"title": "Finance and Resources", "title_cy": "Cyllid ac Adnoddau"},
    )

    shown = _ckan(client, "organization_show", id="finance")["result"]
    assert shown["name"] == "finance"
    assert shown["title"] == "Finance and Resources"
    assert shown["title_translated"] == {"en": "Finance and Resources", "cy": "Cyllid ac Adnoddau"}
    assert shown["package_count"] == 1
    assert _ckan(client, "organization_list")["result"] == ["finance"]
    package = _ckan(client, "package_show", id=dataset.slug)["result"]
    assert package["organization"]["title"] == "Finance and Resources"
    assert package["metadata_modified"] > before  # harvesters fetch the dataset again


def test_ckan_group_show_and_dcat_give_a_theme_s_new_name(client, manager):
    money = ThemeFactory(slug="money", title="Money")
    dataset = DatasetFactory(themes=[money], published=True)
    client.force_login(manager)

    client.post(reverse("opendata:theme_edit", args=["money"]), {"title": "Money and tax"})

    assert _ckan(client, "group_show", id="money")["result"]["title"] == "Money and tax"
    assert _ckan(client, "group_list", all_fields="true")["result"][0]["package_count"] == 1
    turtle = client.get(reverse("dcat-dataset-ttl", args=[dataset.slug])).text
    assert "Money and tax" in turtle and "theme=money" in turtle


def test_site_search_finds_a_dataset_by_its_publisher_s_new_name(client, manager):
    finance = OrganisationFactory(slug="finance", title="Finance")
    dataset = DatasetFactory(publisher=finance, published=True, title="Spending")
    search_index_update("dataset", dataset)
    client.force_login(manager)

    client.post(reverse("opendata:publisher_edit", args=["finance"]), {"title": "Treasury"})

    entry = SearchEntry.objects.get(kind="dataset", key=str(dataset.pk), language="en-gb")
    assert "Treasury" in entry.body


def test_an_unchanged_save_leaves_the_datasets_alone(manager):
    finance = OrganisationFactory(slug="finance", title="Finance")
    dataset = DatasetFactory(publisher=finance)
    before = Dataset.objects.get(pk=dataset.pk).updated_at

    services.organisation_update(actor=manager, organisation=finance, title="Finance")

    assert Dataset.objects.get(pk=dataset.pk).updated_at == before


# --- Around the pages -------------------------------------------------------------------


def test_dataset_short_names_may_not_take_the_addresses_of_these_pages(publisher):
    organisation = OrganisationFactory()

    for word in ("publishers", "themes"):
        with pytest.raises(ValidationError):
            services.dataset_create(actor=publisher, title="X", slug=word, publisher=organisation)
        made = services.dataset_create(actor=publisher, title=word, publisher=organisation)
        assert made.slug == f"{word}-data"


def test_the_datasets_page_links_a_data_publisher_to_publishers_and_themes(client, publisher):
    client.force_login(publisher)

    page = client.get(reverse("opendata:publish")).text

    assert reverse("opendata:publishers") in page and reverse("opendata:themes") in page


def test_an_administrator_finds_the_links_on_the_datasets_page_and_under_manage(
    client, administrator
):
    client.force_login(administrator)

    datasets_page = client.get(reverse("opendata:publish")).text
    workspace = client.get(reverse("core:workspace")).text

    for url in (reverse("opendata:publishers"), reverse("opendata:themes")):
        assert url in datasets_page and url in workspace


def test_the_admin_shows_publishers_but_changes_nothing_even_for_a_superuser(client, person):
    OrganisationFactory(slug="finance", title="Finance")
    client.force_login(person(is_staff=True, is_superuser=True))

    assert client.get(reverse("admin:opendata_organisation_add")).status_code == 403
    response = client.post(
        reverse("admin:opendata_organisation_change", args=[Organisation.objects.get().pk]),
        {"title_en_gb": "Changed", "slug": "changed"},
    )
    assert response.status_code == 403
    assert Organisation.objects.get().slug == "finance"


def test_the_welsh_pages_render(client, manager):
    OrganisationFactory(slug="finance", title="Finance", title_cy="Cyllid")
    client.force_login(manager)

    listing = client.get("/cy/data/publish/publishers/")
    edit = client.get("/cy/data/publish/publishers/finance/")
    themes = client.get("/cy/data/publish/themes/new/")

    assert listing.status_code == edit.status_code == themes.status_code == 200
    assert "Cyhoeddwyr" in listing.text
    assert "Golygu Cyllid" in edit.text
