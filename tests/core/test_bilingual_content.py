"""Content in English and Welsh: a Welsh page shows the Welsh where it is written, and
otherwise the English marked as English (WCAG 2.2 SC 3.1.2)."""

import pytest
from django.template import Context, Template
from django.utils import translation

from townhall.core.languages import lacks_welsh
from townhall.core.models import Page


def _render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load townhall %}" + source).render(Context(context))


def test_translated_tag_shows_the_welsh_on_a_welsh_page_when_it_is_written():
    page = Page(title_en_gb="Libraries", title_cy="Llyfrgelloedd")
    assert _render('{% translated page "title" %}', "cy", page=page) == "Llyfrgelloedd"


def test_translated_tag_marks_the_english_as_english_on_a_welsh_page_when_welsh_is_missing():
    page = Page(title_en_gb="Libraries & archives")
    html = _render('{% translated page "title" %}', "cy", page=page)
    assert html == '<span lang="en">Libraries &amp; archives</span>'


def test_translated_tag_shows_the_english_unmarked_on_an_english_page():
    page = Page(title_en_gb="Libraries", title_cy="Llyfrgelloedd")
    assert _render('{% translated page "title" %}', "en-gb", page=page) == "Libraries"


def test_translated_tag_wraps_markdown_falling_back_to_english_in_a_block_marked_english():
    page = Page(body_en_gb="**Open** daily")
    html = _render('{% translated page "body" as_markdown=True %}', "cy", page=page)
    assert html.startswith('<div lang="en"><p class="govuk-body"><strong>Open</strong>')


def test_translated_tag_escapes_welsh_text_and_keeps_letters_outside_latin_1():
    page = Page(title_en_gb="Y", title_cy="Ŵyr a ŷd <b>")
    assert _render('{% translated page "title" %}', "cy", page=page) == "Ŵyr a ŷd &lt;b&gt;"


def test_lacks_welsh_names_the_english_fields_without_a_welsh_translation():
    page = Page(title_en_gb="Libraries", title_cy="Llyfrgelloedd", body_en_gb="Open daily")
    assert lacks_welsh(page, ["title", "body"]) == ["body"]


@pytest.mark.django_db
def test_council_page_in_welsh_marks_english_it_falls_back_to(client):
    Page.objects.create(slug="parking", title_en_gb="Parking", body_en_gb="Pay at the machine.")
    html = client.get("/cy/parking/").text
    assert '<h1 class="govuk-heading-xl"><span lang="en">Parking</span></h1>' in html
    assert '<div lang="en"><p class="govuk-body">Pay at the machine.</p></div>' in html


@pytest.mark.django_db
def test_council_page_in_welsh_shows_its_welsh_unmarked(client):
    Page.objects.create(
        slug="parking",
        title_en_gb="Parking",
        title_cy="Parcio",
        body_en_gb="Pay at the machine.",
        body_cy="Talwch wrth y peiriant.",
    )
    html = client.get("/cy/parking/").text
    assert '<h1 class="govuk-heading-xl">Parcio</h1>' in html
    assert "Talwch wrth y peiriant." in html
    assert 'lang="en">Pay' not in html
