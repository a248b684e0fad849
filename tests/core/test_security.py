"""Security headers and the content security policy on every response."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_pages_send_a_content_security_policy_with_a_nonce(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.text


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


def test_every_script_and_style_element_carries_the_nonce(client):
    html = client.get("/").text
    tags = re.findall(r"<(?:script|style)\b[^>]*>", html)
    assert tags
    assert all('nonce="' in tag for tag in tags), tags
