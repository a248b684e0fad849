"""Security headers and the content security policy on every response."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_pages_send_a_content_security_policy_that_allows_this_sites_files_alone(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self';" in policy and "style-src 'self';" in policy
    assert "nonce" not in policy and "unsafe-inline" not in policy


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ],
)
def test_pages_send_the_usual_security_headers(client, header, value):
    assert client.get("/").headers[header] == value


def test_no_page_has_an_inline_script_or_style_the_policy_would_block(client):
    html = client.get("/").text
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts
    assert all("src=" in tag or 'type="application/' in tag for tag in scripts), scripts
    assert "<style" not in html
    stylesheet = re.search(r'<link rel="stylesheet" href="(/brand/[0-9a-f]{6}\.css)">', html)
    assert "--th-brand:#" in client.get(stylesheet.group(1)).text


def test_the_brand_stylesheet_is_the_colour_in_its_address_kept_for_a_year(client):
    response = client.get("/brand/00625e.css")
    assert response.text.strip() == ":root{--th-brand:#00625e}"
    assert response["Content-Type"] == "text/css"
    assert "immutable" in response["Cache-Control"]
    assert client.get("/brand/00625e;x.css").status_code == 404
