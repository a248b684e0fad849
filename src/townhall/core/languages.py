"""The same page in each language, for the language switcher and hreflang links."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, override

NATIVE_NAMES = {"en-gb": "English", "cy": "Cymraeg"}


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str
    current: bool


def language_links(request) -> list[LanguageLink]:
    """This page's address in every language, the current one marked.

    The path is the visitor's own, so it is made safe first: a path such as
    "//evil.example/" must never become a link to another site.
    """
    path = "/" + request.get_full_path().lstrip("/")
    current = get_language()
    links = []
    for code, _label in settings.LANGUAGES:
        url = translate_url(path, code)
        if url.startswith("//") or not url_has_allowed_host_and_scheme(url, allowed_hosts=None):
            with override(code):
                url = reverse("core:home")
        links.append(LanguageLink(code, NATIVE_NAMES.get(code, code), url, code == current))
    return links
