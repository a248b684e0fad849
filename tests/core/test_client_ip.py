"""The visitor's address, behind the council's proxies or not, for rate limits and audit."""

import pytest

from townhall.core.middleware import client_ip


@pytest.mark.parametrize(
    ("proxies", "forwarded", "remote", "expected"),
    [
        (0, "", "203.0.113.9", "203.0.113.9"),
        (0, "198.51.100.1", "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.1", "10.0.0.2", "198.51.100.1"),
        (1, "6.6.6.6, 198.51.100.1", "10.0.0.2", "198.51.100.1"),
        (2, "6.6.6.6, 198.51.100.1, 10.0.0.3", "10.0.0.2", "198.51.100.1"),
        (1, "not-an-address", "10.0.0.2", "10.0.0.2"),
    ],
    ids=[
        "direct",
        "forged-header-ignored",
        "one-proxy",
        "forged-left-entry",
        "two-proxies",
        "garbage",
    ],
)
def test_client_ip_trusts_only_the_councils_own_proxies(
    rf, settings, proxies, forwarded, remote, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote)
    assert client_ip(request) == expected
