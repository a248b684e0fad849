"""Council pages, site settings and area names under Manage: administrators (and, for
areas, data publishers) change them without the admin site; every change goes through
core.services.site, reaches the audit log and is seen at once."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.core.factories import AreaFactory
from townhall.core.audit import acting_as
from townhall.core.models import Area, AuditEntry, Page, SearchEntry, SiteSettings
from townhall.core.permissions import PermissionDenied
from townhall.core.selectors.site import site_settings
from townhall.core.services.site import (
    PageDeletionRefused,
    area_rename,
    page_create,
    page_delete,
    page_update,
    site_settings_update,
)

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _page(**fields) -> Page:
    values = {
        "slug": "parking-permits",
        "title_en_gb": "Parking permits",
        "title_cy": "Trwyddedau parcio",
        "body_en_gb": "How to apply.",
        "body_cy": "Sut i wneud cais.",
        "show_in_footer": False,
        "footer_order": 50,
    }
    values.update(fields)
    return Page.objects.create(**values)


def _page_form(**fields) -> dict:
    data = {
        "title_en_gb": "Bins and recycling",
        "title_cy": "Biniau ac ailgylchu",
        "slug": "bins",
        "body_en_gb": "## Collection days\n\nEvery Tuesday.",
        "body_cy": "## Diwrnodau casglu\n\nPob dydd Mawrth.",
        "show_in_footer": "on",
        "footer_order": "60",
    }
    data.update(fields)
    return {name: value for name, value in data.items() if value is not None}


def _settings_form(**fields) -> dict:
    data = {
        "council_name": "Northbridge Borough Council",
        "council_name_cy": "Cyngor Bwrdeistref Northbridge",
        "service_name": "Townhall",
        "phase": "beta",
        "brand_colour": "#1d4f91",
        "feedback_url": "",
        "contact_email": "hello@northbridge.example",
        "contact_phone": "01632 960000",
        "contact_address": "Town Hall\nHigh Street",
        "local_authority_code": "E07000123",
    }
    data.update(fields)
    return data


# Who may reach the pages -----------------------------------------------------------------

SITE_URLS = [
    ("core:site_pages", False),
    ("core:site_page_add", False),
    ("core:site_page_edit", True),
    ("core:site_page_delete", True),
    ("core:site_settings", False),
]


def _url(name: str, needs_page: bool) -> str:
    return (
        reverse(name, args=[Page.objects.get(slug="privacy").pk]) if needs_page else reverse(name)
    )


@pytest.mark.parametrize(("name", "needs_page"), SITE_URLS)
def test_site_pages_send_a_visitor_who_is_not_signed_in_to_sign_in(client, name, needs_page):
    response = client.get(_url(name, needs_page))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ["resident", "data_publisher", "consultation_lead", "moderator"])
@pytest.mark.parametrize(("name", "needs_page"), SITE_URLS)
def test_site_pages_are_refused_to_anyone_who_may_not_edit_the_site(
    client, person, role, name, needs_page
):
    client.force_login(person(role))

    assert client.get(_url(name, needs_page)).status_code == 403
    assert client.post(_url(name, needs_page), {}).status_code == 403


@pytest.mark.parametrize(("name", "needs_page"), SITE_URLS)
def test_site_pages_open_for_an_administrator_in_english_and_welsh(
    client, administrator, name, needs_page
):
    client.force_login(administrator)

    assert client.get(_url(name, needs_page)).status_code == 200
    assert client.get("/cy" + _url(name, needs_page)).status_code == 200


def test_manage_links_to_the_new_pages_not_to_the_admin(client, administrator):
    client.force_login(administrator)

    text = client.get(reverse("core:workspace")).text

    for name in ("core:site_pages", "core:site_settings", "core:areas"):
        assert f'href="{reverse(name)}"' in text
    assert "/admin/core/page/" not in text and "/admin/core/sitesettings/" not in text


# Council pages ---------------------------------------------------------------------------


def test_the_pages_list_shows_every_page_and_marks_those_the_site_needs(client, administrator):
    extra = _page()
    client.force_login(administrator)

    text = client.get(reverse("core:site_pages")).text

    assert "Parking permits" in text and "Accessibility statement" in text
    assert reverse("core:site_page_delete", args=[extra.pk]) in text
    privacy = Page.objects.get(slug="privacy")
    assert reverse("core:site_page_delete", args=[privacy.pk]) not in text
    assert "Needed by the site" in text


def test_an_administrator_adds_a_page_in_english_and_welsh(client, administrator):
    client.force_login(administrator)

    response = client.post(reverse("core:site_page_add"), _page_form())

    assert response.status_code == 302
    added = Page.objects.get(slug="bins")
    assert (added.title_en_gb, added.title_cy) == ("Bins and recycling", "Biniau ac ailgylchu")
    assert added.show_in_footer and added.footer_order == 60
    assert "Every Tuesday" in client.get("/bins/").text
    assert "Pob dydd Mawrth" in client.get("/cy/bins/").text
    assert SearchEntry.objects.filter(kind="page", key="bins").exists()
    entry = AuditEntry.objects.get(object_type="core.page", operation="create")
    assert entry.actor == administrator and entry.after["slug"] == "bins"


def test_the_page_form_says_its_body_is_markdown(client, administrator):
    client.force_login(administrator)

    text = client.get(reverse("core:site_page_add")).text

    assert "You can use Markdown" in text
    assert 'lang="cy"' in text


def test_an_administrator_edits_a_page_and_its_new_address_replaces_the_old_in_search(
    client, administrator
):
    page = _page()
    client.force_login(administrator)
    client.post(reverse("core:site_page_edit", args=[page.pk]), _page_form(slug="parking-permits"))

    response = client.post(
        reverse("core:site_page_edit", args=[page.pk]),
        _page_form(slug="permits", title_en_gb="Permits", title_cy=""),
    )

    assert response.status_code == 302
    page.refresh_from_db()
    assert (page.slug, page.title_en_gb, page.title_cy) == ("permits", "Permits", "")
    assert client.get("/parking-permits/").status_code == 404
    keys = set(SearchEntry.objects.filter(kind="page").values_list("key", flat=True))
    assert "permits" in keys and "parking-permits" not in keys
    update = (
        AuditEntry.objects.filter(object_type="core.page", operation="update").order_by("pk").last()
    )
    assert update.before["slug"] == "parking-permits" and update.after["slug"] == "permits"


def test_saving_a_page_unchanged_keeps_its_date_and_writes_no_audit_entry(client, administrator):
    page = _page()
    client.force_login(administrator)
    form = _page_form(
        slug="parking-permits",
        title_en_gb="Parking permits",
        title_cy="Trwyddedau parcio",
        body_en_gb="How to apply.",
        body_cy="Sut i wneud cais.",
        show_in_footer=None,
        footer_order="50",
    )

    response = client.post(reverse("core:site_page_edit", args=[page.pk]), form)

    assert response.status_code == 302
    assert Page.objects.get(pk=page.pk).updated_at == page.updated_at
    assert not AuditEntry.objects.filter(object_type="core.page").exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title_en_gb": ""}, "title_en_gb", "required"),
        ({"body_en_gb": "  "}, "body_en_gb", "required"),
        ({"slug": ""}, "slug", "required"),
        ({"slug": "Not a slug!"}, "slug", "letters, numbers, underscores or hyphens"),
        ({"slug": "privacy"}, "slug", "Another page already has this address"),
        ({"slug": "search"}, "slug", "used by another part of the site"),
        ({"slug": "manage"}, "slug", "used by another part of the site"),
        ({"slug": "cy"}, "slug", "used by another part of the site"),
        ({"title_en_gb": "x" * 201}, "title_en_gb", "at most 200 characters"),
        ({"title_cy": "Biniau\x07"}, "title_cy", "control characters"),
        ({"body_en_gb": "Every\x00 Tuesday"}, "body_en_gb", "Null characters"),
        ({"body_cy": "Pob\x1b dydd"}, "body_cy", "control characters"),
        ({"footer_order": "-1"}, "footer_order", "greater than or equal to 0"),
        ({"footer_order": "soon"}, "footer_order", "whole number"),
    ],
)
def test_adding_a_page_with_bad_input_says_why_and_stores_nothing(
    client, administrator, fields, field, message
):
    client.force_login(administrator)
    before = Page.objects.count()

    response = client.post(reverse("core:site_page_add"), _page_form(**fields))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "There is a problem" in response.text
    assert Page.objects.count() == before


def test_the_address_of_a_page_the_site_needs_cannot_change(client, administrator):
    privacy = Page.objects.get(slug="privacy")
    client.force_login(administrator)

    response = client.post(
        reverse("core:site_page_edit", args=[privacy.pk]),
        _page_form(slug="private", title_en_gb="Privacy", body_en_gb="What we keep."),
    )

    assert response.status_code == 302
    privacy.refresh_from_db()
    assert (privacy.slug, privacy.title_en_gb) == ("privacy", "Privacy")
    with acting_as(administrator), pytest.raises(ValidationError, match="cannot be changed"):
        page_update(actor=administrator, page=privacy, fields={"slug": "private"})


def test_an_administrator_deletes_a_page_after_confirming(client, administrator):
    page = _page()
    client.force_login(administrator)
    url = reverse("core:site_page_delete", args=[page.pk])

    confirm = client.get(url)
    response = client.post(url)

    assert "Are you sure you want to delete this page?" in confirm.text
    assert Page.objects.filter(pk=page.pk).exists() is False
    assert response["Location"] == reverse("core:site_pages")
    entry = AuditEntry.objects.get(object_type="core.page", operation="delete")
    assert entry.actor == administrator and entry.before["slug"] == "parking-permits"


def test_deleting_a_page_someone_else_has_just_deleted_says_so(client, administrator):
    page = _page()
    client.force_login(administrator)
    url = reverse("core:site_page_delete", args=[page.pk])
    client.get(url)
    Page.objects.filter(pk=page.pk).delete()

    response = client.post(url, follow=True)

    assert "Someone else has just deleted this page" in response.text
    assert client.get(url).status_code == 404


def test_saving_a_page_someone_else_has_just_deleted_says_so_and_stores_nothing(
    client, administrator
):
    page = _page()
    client.force_login(administrator)
    with acting_as(administrator):
        page_delete(actor=administrator, page=page)

    response = client.post(reverse("core:site_page_edit", args=[page.pk]), _page_form())

    assert response.status_code == 404
    assert not Page.objects.filter(slug="bins").exists()
    with acting_as(administrator), pytest.raises(Page.DoesNotExist):
        page_update(actor=administrator, page=page, fields={"title": "Back again"})


@pytest.mark.parametrize("slug", ["accessibility", "privacy", "cookies", "contact"])
def test_a_page_the_site_needs_cannot_be_deleted(client, administrator, slug):
    needed = Page.objects.get(slug=slug)
    client.force_login(administrator)
    url = reverse("core:site_page_delete", args=[needed.pk])

    page = client.get(url)
    client.post(url)

    assert "This page cannot be deleted" in page.text
    assert "Yes, delete this page" not in page.text
    assert Page.objects.filter(slug=slug).exists()
    with acting_as(administrator), pytest.raises(PageDeletionRefused):
        page_delete(actor=administrator, page=needed)


@pytest.mark.parametrize("role", ["resident", "data_publisher"])
def test_the_page_services_refuse_anyone_who_may_not_edit_the_site(person, role):
    someone = person(role)
    page = _page()

    with pytest.raises(PermissionDenied):
        page_create(actor=someone, fields={"slug": "x", "title": "X", "body": "X"})
    with pytest.raises(PermissionDenied):
        page_update(actor=someone, page=page, fields={"title": "Changed"})
    with pytest.raises(PermissionDenied):
        page_delete(actor=someone, page=page)
    page.refresh_from_db()
    assert page.title_en_gb == "Parking permits"


def test_the_welsh_list_of_content_without_welsh_links_to_the_page_editor(client, administrator):
    page = _page(title_cy="", body_cy="")
    client.force_login(administrator)

    text = client.get(reverse("core:welsh_missing")).text

    assert reverse("core:site_page_edit", args=[page.pk]) in text


# Site settings ---------------------------------------------------------------------------


def test_an_administrator_changes_the_site_settings_and_every_page_shows_it_at_once(
    client, administrator
):
    client.force_login(administrator)
    assert site_settings().council_name  # cached before the change

    response = client.post(
        reverse("core:site_settings"),
        _settings_form(council_name="Southbridge Council", council_name_cy="Cyngor Southbridge"),
    )

    assert response.status_code == 302
    assert site_settings().council_name == "Southbridge Council"
    assert "Southbridge Council" in client.get("/").text
    assert "Cyngor Southbridge" in client.get("/cy/").text
    entry = (
        AuditEntry.objects.filter(object_type="core.sitesettings", operation="update")
        .order_by("pk")
        .last()
    )
    assert entry.actor == administrator
    assert entry.after["council_name"] == "Southbridge Council"


def test_the_settings_page_shows_the_admins_groups(client, administrator):
    client.force_login(administrator)

    text = client.get(reverse("core:site_settings")).text

    for heading in ("Council", "Look", "Contact", "Geography"):
        assert f'<h2 class="govuk-heading-m">{heading}</h2>' in text
    assert 'enctype="multipart/form-data"' in text


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"council_name": ""}, "council_name", "required"),
        ({"brand_colour": "blue"}, "brand_colour", "six hexadecimal digits"),
        ({"brand_colour": "#ffdd00"}, "brand_colour", "4.5 to 1"),
        ({"contact_email": "not an address"}, "contact_email", "valid email"),
        ({"feedback_url": "javascript:alert(1)"}, "feedback_url", "valid URL"),
        ({"phase": "gamma"}, "phase", "valid choice"),
        ({"council_name": "Northbridge\tCouncil"}, "council_name", "control characters"),
        ({"contact_address": "Town\x0bHall"}, "contact_address", "control characters"),
        ({"local_authority_code": "E0700012345"}, "local_authority_code", "at most 9"),
    ],
)
def test_bad_site_settings_say_why_and_change_nothing(
    client, administrator, fields, field, message
):
    client.force_login(administrator)
    before = site_settings().council_name

    response = client.post(reverse("core:site_settings"), _settings_form(**fields))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert SiteSettings.objects.get().council_name == before


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def test_an_administrator_uploads_a_logo_then_removes_it(client, administrator, media):
    client.force_login(administrator)

    client.post(
        reverse("core:site_settings"),
        {**_settings_form(), "logo": SimpleUploadedFile("crest.png", PNG, "image/png")},
    )
    stored = SiteSettings.objects.get().logo.name
    kept = client.post(reverse("core:site_settings"), _settings_form())
    removed = client.post(reverse("core:site_settings"), {**_settings_form(), "remove_logo": "on"})

    assert stored.startswith("branding/crest")
    assert kept.status_code == removed.status_code == 302
    assert not SiteSettings.objects.get().logo
    logos = AuditEntry.objects.filter(object_type="core.sitesettings").order_by("pk")
    assert [entry.after["logo"] for entry in logos] == [stored, ""]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("crest.gif", b"GIF89a", "SVG or PNG"),
        ("crest.png", b"GIF89a not a png", "not a PNG"),
        ("crest.png", PNG + b"\x00" * (1024 * 1024), "1 MB"),
        ("crest.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', "script"),
    ],
)
def test_a_logo_that_is_not_a_safe_svg_or_png_is_refused(
    client, administrator, media, name, content, message
):
    client.force_login(administrator)

    response = client.post(
        reverse("core:site_settings"),
        {**_settings_form(), "logo": SimpleUploadedFile(name, content)},
    )

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["logo"])
    assert not SiteSettings.objects.get().logo


def test_the_site_settings_service_refuses_anyone_who_may_not_edit_the_site(person):
    with pytest.raises(PermissionDenied):
        site_settings_update(actor=person("data_publisher"), changes={"council_name": "Mine"})
    assert SiteSettings.objects.get().council_name != "Mine"


# Areas ---------------------------------------------------------------------------------


def test_areas_are_listed_by_kind_and_found_by_name_or_code(client, person):
    AreaFactory(name="Castle", code="E05000001")
    AreaFactory(name="Riverside", name_cy="Glan yr Afon", code="E05000002")
    AreaFactory(name="Castle Parish", code="E04000001", kind="parish")
    client.force_login(person("data_publisher"))
    url = reverse("core:areas")

    wards = client.get(url, {"kind": "ward"}).text
    by_welsh = client.get(url, {"q": "afon"}).text
    by_code = client.get(url, {"q": "E04"}).text

    assert "Castle" in wards and "Riverside" in wards and "Castle Parish" not in wards
    assert "Riverside" in by_welsh and "Castle" not in by_welsh
    assert "Castle Parish" in by_code and "Riverside" not in by_code


@pytest.mark.parametrize("role", ["resident", "consultation_lead", "moderator"])
def test_area_pages_are_refused_to_anyone_who_may_not_import_geography(client, person, role):
    area = AreaFactory()
    client.force_login(person(role))

    assert client.get(reverse("core:areas")).status_code == 403
    assert client.post(reverse("core:area", args=[area.pk]), {"name": "X"}).status_code == 403
    area.refresh_from_db()
    assert area.name != "X"


def test_area_pages_send_a_visitor_who_is_not_signed_in_to_sign_in(client):
    response = client.get(reverse("core:areas"))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_data_publisher_corrects_an_areas_names_and_nothing_else(client, person):
    area = AreaFactory(name="Castel", code="E05000009")
    publisher = person("data_publisher")
    client.force_login(publisher)

    response = client.post(
        reverse("core:area", args=[area.pk]),
        {"name": " Castle ", "name_cy": "Castell", "code": "HACKED", "kind": "parish"},
    )

    assert response.status_code == 302
    area.refresh_from_db()
    assert (area.name, area.name_cy, area.code, area.kind) == (
        "Castle",
        "Castell",
        "E05000009",
        "ward",
    )
    entry = AuditEntry.objects.get(object_type="core.area", operation="update")
    assert entry.actor == publisher
    assert (entry.before["name"], entry.after["name"]) == ("Castel", "Castle")


def test_the_area_page_shows_its_code_and_kind_as_read_only_in_english_and_welsh(
    client, administrator
):
    area = AreaFactory(code="E05000042")
    client.force_login(administrator)

    english = client.get(reverse("core:area", args=[area.pk])).text
    welsh = client.get("/cy" + reverse("core:area", args=[area.pk])).text

    assert "E05000042" in english and 'name="code"' not in english
    assert "E05000042" in welsh


@pytest.mark.parametrize(
    ("name", "name_cy", "field", "message"),
    [
        ("", "", "name", "required"),
        ("   ", "", "name", "required"),
        ("x" * 201, "", "name", "at most 200 characters"),
        ("Castle\nKeep", "", "name", "line breaks"),
        ("Castle", "Castell\x00", "name_cy", "Null characters"),
    ],
)
def test_renaming_an_area_badly_says_why_and_changes_nothing(
    client, administrator, name, name_cy, field, message
):
    area = AreaFactory(name="Castle")
    client.force_login(administrator)

    response = client.post(reverse("core:area", args=[area.pk]), {"name": name, "name_cy": name_cy})

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    area.refresh_from_db()
    assert area.name == "Castle"


def test_renaming_an_area_an_import_has_just_removed_says_so(client, administrator):
    area = AreaFactory()
    with pytest.raises(Area.DoesNotExist), acting_as(administrator):
        Area.objects.filter(pk=area.pk).delete()
        area_rename(actor=administrator, area=area, name="Gone")


def test_the_area_service_refuses_anyone_who_may_not_import_geography(person):
    area = AreaFactory(name="Castle")

    with pytest.raises(PermissionDenied):
        area_rename(actor=person("consultation_lead"), area=area, name="Mine")
    area.refresh_from_db()
    assert area.name == "Castle"


def test_the_manage_pages_speak_welsh_on_the_welsh_site(client, administrator):
    client.force_login(administrator)

    assert "Ychwanegu tudalen" in client.get("/cy/manage/pages/").text
    assert "Lliw" in client.get("/cy/manage/settings/").text
    assert "Wardiau ac ardaloedd" in client.get("/cy/manage/areas/").text
    assert "Wardiau ac ardaloedd" in client.get("/cy/manage/").text


def test_every_pages_footer_shows_a_page_added_edited_or_deleted_at_once(
    client, administrator, django_capture_on_commit_callbacks
):
    assert "Bins and recycling" not in client.get("/").text  # the footer's pages now cached
    client.force_login(administrator)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("core:site_page_add"), _page_form())
    assert "Bins and recycling" in client.get("/").text

    page = Page.objects.get(slug="bins")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("core:site_page_edit", args=[page.pk]), _page_form(title_en_gb="Bins"))
    assert ">Bins</a>" in client.get("/").text

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("core:site_page_delete", args=[page.pk]))
    assert ">Bins</a>" not in client.get("/").text
