"""Template helpers every module's templates use."""

from dataclasses import replace

import markdown as markdown_lib
import nh3
from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from .. import formats
from ..formats import govuk_datetime, govuk_time
from ..languages import language_links
from ..languages import translated as _translated
from ..selectors.site import council_name as _council_name

register = template.Library()

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "em",
    "h2",
    "h3",
    "h4",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
CLASSES_FOR_TAG = {
    "a": "govuk-link",
    "h2": "govuk-heading-l",
    "h3": "govuk-heading-m",
    "h4": "govuk-heading-s",
    "p": "govuk-body",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "table": "govuk-table",
    "tr": "govuk-table__row",
    "th": "govuk-table__header",
    "td": "govuk-table__cell",
    "blockquote": "govuk-inset-text",
    "hr": "govuk-section-break govuk-section-break--visible",
}


@register.simple_tag
def council_name() -> str:
    return _council_name()


@register.filter(is_safe=True)
def with_council_name(title: str) -> str:
    """A page's <title>: "Page title – Council name", or the council's name alone.

    `title` is the already-rendered (so already escaped) page_title block.
    """
    title = title.strip()
    if not title:
        return conditional_escape(_council_name())
    return format_html("{} – {}", mark_safe(title), _council_name())


register.filter("govuk_time", govuk_time)
register.filter("govuk_datetime", govuk_datetime)


@register.filter
def pounds(pence: int | None) -> str:
    """`{{ value|pounds }}`: pence as pounds ("£2,500", "£1,250.50"); blank for None."""
    return "" if pence is None else formats.pounds(int(pence))


@register.simple_tag
def translated(
    obj, field: str, as_markdown: bool = False, lines: bool = False, words: int = 0
) -> str:
    """`{% translated obj "title" %}`: a field in the page's language; where it has no
    Welsh, the English inside an element marked `lang="en"` (a span, or a div around
    Markdown rendered with `as_markdown=True`). `lines=True` keeps line breaks (as
    linebreaksbr); `words=30` shortens plain text first."""
    value = _translated(obj, field)
    if words:
        value = replace(value, text=Truncator(value.text).words(words))
    if as_markdown:
        html = markdown(value.text)
        return format_html('<div lang="{}">{}</div>', value.lang, html) if value.lang else html
    text = linebreaksbr(value.text, autoescape=True) if lines else conditional_escape(value.text)
    if value.lang:
        return format_html('<span lang="{}">{}</span>', value.lang, text)
    return text


@register.filter
def markdown(text: str) -> str:
    """Render Markdown written by staff as GOV.UK-styled HTML, with anything unsafe removed."""
    html = markdown_lib.markdown(text or "", extensions=["tables", "sane_lists"])
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}},
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
        set_tag_attribute_values={tag: {"class": css} for tag, css in CLASSES_FOR_TAG.items()},
    )
    return mark_safe(clean)


@register.inclusion_tag("components/language_navigation.html", takes_context=True)
def language_navigation(context) -> dict:
    """Links to this page in each other language, as GOV.UK's language navigation."""
    return {"items": language_links(context["request"])}


@register.inclusion_tag("components/get_help.html", takes_context=True)
def get_help(context, postcode: str = "") -> dict:
    """The "Need help filling this in?" link every resident form carries (ADR 0109):
    `{% get_help %}` beside the form, or `{% get_help postcode %}` when the page knows the
    resident's postcode. It finds help nearby through the registry (inclusion's digital
    help finder) and is the council's contact page when no module offers that."""
    from ..selectors.assisted import help_link

    return {"help": help_link(postcode or context.get("postcode") or "")}


@register.inclusion_tag("core/subscriptions/form.html", takes_context=True)
def follow_by_email(context, kind: str, key) -> dict:
    """The "Get emails about this" form for a followable thing, for people signed out:
    `{% follow_by_email "consultation" consultation.pk %}` (see core.services.subscriptions)."""
    from ..accounts.forms import SubscribeForm

    return {
        "kind": kind,
        "key": key,
        "form": SubscribeForm(),
        "csrf_token": context.get("csrf_token"),
    }
