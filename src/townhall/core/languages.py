"""The same page in each language, for the language switcher and hreflang links."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import migrations
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse, translate_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext, override
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname

NATIVE_NAMES = {"en-gb": "English", "cy": "Cymraeg"}
# The language content is first written in, shown where a translation is missing.
CONTENT_DEFAULT = "en-gb"
# Content-Language of a response carrying content in both languages (RFC 9110 8.5), where
# the locale middleware would otherwise claim the one language of the address.
BOTH_LANGUAGES = "en-GB, cy"
# The tag a `lang` attribute or a tagged literal gives each content language.
BCP47 = {"en-gb": "en", "cy": "cy"}


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


def copy_into_english(app_label: str, model_name: str, fields: list[str]):
    """A migration step that fills the English column of each newly translated field
    (`title_en_gb`) from the field's own column, which until then held the English.

    Reversing it does nothing: the original column still holds the English.
    """

    def forwards(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        model.objects.update(**{f"{name}_en_gb": F(name) for name in fields})

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)


def column(field: str, language: str) -> str:
    """The column holding `field` in `language`: "title", "cy" gives "title_cy"."""
    return build_localized_fieldname(field, language)


def in_language(obj: Any, field: str, language: str) -> str:
    """`field` of `obj` as written in `language`, or "" when it is not written."""
    value = getattr(obj, column(field, language), None)
    if value is None and language == CONTENT_DEFAULT and not hasattr(obj, column(field, language)):
        # Not stored in two languages (another module's row, a plain object): it is English.
        value = getattr(obj, field, None)
    return value or ""


def translated_fields(model: Any) -> tuple[str, ...]:
    """The fields of `model` stored in each language (its translation.py), or none."""
    try:
        return tuple(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return ()


def english_columns(model: Any, values: dict[str, Any]) -> dict[str, Any]:
    """`values` for writing to `model`, each translated field named by its English column.

    Services take `title` as the English and `title_cy` as the Welsh. Setting `title`
    itself would write whichever language is active (the library's rule), so an officer
    working in Welsh would overwrite the Welsh with what they meant as English.
    """
    translated = translated_fields(model)
    return {
        column(name, CONTENT_DEFAULT) if name in translated else name: value
        for name, value in values.items()
    }


def both_languages(obj: Any, field: str) -> dict[str, str]:
    """`{"en": ..., "cy": ...}`, as ckanext-fluent's `…_translated` fields carry a field in
    each language (BCP 47 tags); a language with nothing written has "" (not a fallback)."""
    return {"en": in_language(obj, field, CONTENT_DEFAULT), "cy": in_language(obj, field, "cy")}


@dataclass(frozen=True)
class Translated:
    """A field's text for the current page, and the language it is really in (`lang`
    is empty when that is the page's own language, so no attribute is needed)."""

    text: str
    lang: str = ""


def translated(obj: Any, field: str) -> Translated:
    """`field` of `obj` in the page's language, or else in the other language it is
    written in (English first): that text carries its language, so screen readers say it
    in English (or Welsh) as it is (WCAG 2.2 SC 3.1.2). A resident's proposal written only
    in Welsh shows, marked `lang="cy"`, on an English page."""
    current = get_language() or CONTENT_DEFAULT
    if current not in settings.MODELTRANSLATION_LANGUAGES:
        current = CONTENT_DEFAULT
    others = [code for code in settings.MODELTRANSLATION_LANGUAGES if code != current]
    for language in (current, *others):
        text = in_language(obj, field, language)
        if text:
            return Translated(text, "" if language == current else BCP47[language])
    return Translated("")


def lacks_welsh(obj: Any, fields: list[str] | tuple[str, ...]) -> list[str]:
    """The fields of `obj` written in English whose Welsh is missing."""
    return [
        name
        for name in fields
        if in_language(obj, name, CONTENT_DEFAULT) and not in_language(obj, name, "cy")
    ]


def in_each_language[T](
    obj: Any, fields: list[str] | tuple[str, ...], build: Callable[[str], T]
) -> list[T]:
    """`build(language)` run with each content language active in turn: English always,
    Welsh only where one of `fields` has Welsh (so search does not list the English twice).
    Inside, `obj.title` reads the active language with English as its fallback."""
    languages = [CONTENT_DEFAULT]
    if any(in_language(obj, name, "cy") for name in fields):
        languages.append("cy")
    built = []
    for language in languages:
        with override(language):
            built.append(build(language))
    return built


def in_any_language(lookup: str, value: Any) -> Q:
    """A filter matching `lookup` (`"title__icontains"`, `"publisher__title__icontains"`)
    in either language's column: a Welsh word finds Welsh, an English one English, on
    whichever page. (The library would rewrite `title` to the active language alone.)"""
    field, _, operator = lookup.rpartition("__")
    condition = Q()
    for language in settings.MODELTRANSLATION_LANGUAGES:
        condition |= Q(**{f"{column(field, language)}__{operator}": value})
    return condition


def as_shown(field: str) -> Coalesce | F:
    """An expression for `field` as a page in the active language shows it (the Welsh,
    else the English), for ordering by what people read."""
    english = F(column(field, CONTENT_DEFAULT))
    current = get_language() or CONTENT_DEFAULT
    if current == CONTENT_DEFAULT or current not in settings.MODELTRANSLATION_LANGUAGES:
        return english
    return Coalesce(NullIf(F(column(field, current)), Value("")), english)


def english_and_welsh(text: Any) -> tuple[str, str]:
    """A translatable string (a lazy gettext) as English and as Welsh, for content the
    platform writes itself (a standard question, the scale's labels)."""
    with override(CONTENT_DEFAULT):
        english = str(text)
    with override("cy"):
        welsh = str(text)
    return english, welsh


def api_fields(obj: Any, fields: list[str] | tuple[str, ...]) -> dict[str, str]:
    """`{"title": <English>, "title_cy": <Welsh>, ...}`: how the JSON API carries text in
    both languages ("" where a language is not written)."""
    values = {}
    for name in fields:
        values[name] = in_language(obj, name, CONTENT_DEFAULT)
        values[f"{name}_cy"] = in_language(obj, name, "cy")
    return values


def welsh_required_message(items: list[tuple[Any, tuple[str, ...] | list[str]]]) -> str:
    """When the council requires Welsh before anything publishes (TOWNHALL_REQUIRE_WELSH),
    a message naming what still lacks its Welsh among `items` (pairs of an object and its
    fields; the first is the thing being published, the rest its parts, named by their
    English), or "" when nothing does or the setting is off."""
    if not settings.TOWNHALL_REQUIRE_WELSH:
        return ""
    missing = []
    for position, (obj, fields) in enumerate(items):
        names = [str(obj._meta.get_field(name).verbose_name) for name in lacks_welsh(obj, fields)]
        if names and position:
            with override(CONTENT_DEFAULT):
                names = [f"“{obj}” ({', '.join(names)})"]
        missing.extend(names)
    if not missing:
        return ""
    return gettext(
        "The council publishes in English and Welsh. Add the Welsh before publishing: %(missing)s."
    ) % {"missing": ", ".join(missing)}
