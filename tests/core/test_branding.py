"""The council's brand: name, colour and logo, checked on the way in and shown on every page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from townhall.core.branding import LogoRejected, check_logo, contrast_ratio
from townhall.core.models import SiteSettings
from townhall.core.selectors.site import site_settings

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
CLEAN_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
    b'<title>Crest</title><defs><linearGradient id="g"><stop offset="0"/></linearGradient></defs>'
    b'<path d="M0 0h10v10z" fill="url(#g)" style="fill: #fff"/><use href="#g"/></svg>'
)


def _svg(inner: str, attributes: str = "") -> bytes:
    return f'<svg xmlns="http://www.w3.org/2000/svg" {attributes}>{inner}</svg>'.encode()


def test_logo_check_accepts_a_real_png_and_a_plain_svg():
    check_logo("crest.png", PNG)
    check_logo("crest.SVG", CLEAN_SVG)
    check_logo("crest.svg", b'<?xml version="1.0" encoding="UTF-8"?>\n' + CLEAN_SVG)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("crest.png", b"GIF89a not a png", "not a PNG"),
        ("crest.gif", b"GIF89a", "SVG or PNG"),
        ("crest.png", PNG + b"\x00" * (1024 * 1024), "1 MB"),
        ("crest.svg", _svg("<script>alert(1)</script>"), "script"),
        (
            "crest.svg",
            _svg('<foreignObject><p xmlns="http://www.w3.org/1999/xhtml"/></foreignObject>'),
            "foreignObject",
        ),
        ("crest.svg", _svg("<style>@import url(//evil.example)</style>"), "style"),
        ("crest.svg", _svg("<image href='https://evil.example/x.png'/>"), "image"),
        ("crest.svg", _svg("<rect/>", 'onload="alert(1)"'), "event handler"),
        ("crest.svg", _svg('<rect onClick="alert(1)"/>'), "event handler"),
        ("crest.svg", _svg('<use href="https://evil.example/sprite.svg#a"/>'), "self-contained"),
        ("crest.svg", _svg('<a href="javascript:alert(1)"/>'), "“a”"),
        ("crest.svg", _svg('<rect style="fill: url(https://evil.example/)"/>'), "outside content"),
        ("crest.svg", _svg('<rect fill="javascript:alert(1)"/>'), "outside content"),
        ("crest.svg", b'<!DOCTYPE svg [<!ENTITY x "y">]>' + _svg("<rect/>"), "document type"),
        ("crest.svg", b"<svg", "well-formed"),
        ("crest.svg", b"<html xmlns='http://www.w3.org/1999/xhtml'/>", "not an SVG"),
        ("crest.svg", _svg('<x:evil xmlns:x="urn:evil"/>'), "evil"),
        (
            "crest.svg",
            b'<?xml-stylesheet href="https://evil.example/x.css"?>' + _svg("<rect/>"),
            "processing instructions",
        ),
        (
            "crest.svg",
            b'<?xml version="1.0"?>' + _svg('<?xml-stylesheet href="//evil.example"?><rect/>'),
            "processing instructions",
        ),
    ],
)
def test_logo_check_refuses_unsafe_or_fake_files_saying_why(name, content, reason):
    with pytest.raises(LogoRejected, match=reason):
        check_logo(name, content)


@pytest.mark.parametrize(
    ("colour", "ratio"), [("#ffffff", 1.0), ("#000000", 21.0), ("#1d70b8", 5.17)]
)
def test_contrast_ratio_against_white_follows_wcag(colour, ratio):
    assert contrast_ratio(colour, "#ffffff") == pytest.approx(ratio, abs=0.05)


@pytest.mark.django_db
def test_upload_of_a_logo_with_script_is_refused_and_nothing_is_stored(client, administrator):
    row = site_settings()
    client.force_login(administrator)
    evil = SimpleUploadedFile("crest.svg", _svg("<script>alert(1)</script>"), "image/svg+xml")
    response = client.post(
        "/manage/settings/",
        {
            "council_name": row.council_name,
            "service_name": "Townhall",
            "phase": "beta",
            "brand_colour": "#1d4f91",
            "logo": evil,
        },
    )
    assert response.status_code == 200
    assert "a logo may not use" in response.text
    assert not SiteSettings.objects.get().logo


@pytest.mark.django_db
def test_branding_shows_the_logo_name_and_colour_on_every_page(
    client, administrator, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    site_settings()
    client.force_login(administrator)
    response = client.post(
        "/manage/settings/",
        {
            "council_name": "Northbridge Borough Council",
            "council_name_cy": "Cyngor Bwrdeistref Northbridge",
            "service_name": "Townhall",
            "phase": "alpha",
            "brand_colour": "#0b0c0c",
            "logo": SimpleUploadedFile("crest.svg", CLEAN_SVG, "image/svg+xml"),
        },
    )
    assert response.status_code == 302
    english, welsh = client.get("/privacy/").text, client.get("/cy/privacy/").text
    assert "Northbridge Borough Council" in english
    assert "Cyngor Bwrdeistref Northbridge" in welsh
    assert '<meta name="theme-color" content="#0b0c0c">' in english
    assert '<link rel="stylesheet" href="/brand/0b0c0c.css">' in english
    assert 'class="th-header__logo" src="/media/branding/crest' in english
    assert ">Alpha<" in english
