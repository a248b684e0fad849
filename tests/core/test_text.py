"""Text every output can carry: control characters refused in typed text, dropped from file
names and from XML written from text already stored."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from townhall.core.text import clean_file_name, multi_line_text, single_line_text, xml_text

CONTROL_CHARACTERS = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\ufffe", "\ud800"]


@pytest.mark.parametrize("character", CONTROL_CHARACTERS)
@pytest.mark.parametrize("validator", [single_line_text, multi_line_text])
def test_plain_text_validators_refuse_a_control_character(validator, character):
    with pytest.raises(ValidationError) as refused:
        validator(f"Bin{character} collections")
    assert refused.value.code == "control_characters"
    assert "control characters" in refused.value.messages[0]


@pytest.mark.parametrize("character", ["\t", "\n", "\r"])
def test_single_line_text_refuses_tabs_and_line_breaks(character):
    with pytest.raises(ValidationError):
        single_line_text(f"Bin{character}collections")


def test_multi_line_text_keeps_tabs_and_line_breaks_and_any_language():
    multi_line_text("Casgliadau biniau\r\n\n\tŵyn, ‘quotes’ — and emoji 🗑️")


def test_plain_text_validator_message_is_in_welsh_on_welsh_pages():
    with translation.override("cy"):
        with pytest.raises(ValidationError) as refused:
            single_line_text("\x00")
        assert refused.value.messages == [
            "Tynnwch y tabiau, y toriadau llinell a'r nodau rheoli anweledig o'r testun hwn"
        ]


def test_xml_text_drops_what_xml_cannot_hold_and_keeps_line_breaks():
    assert xml_text("A\x00B\x1b\tC\r\nD\ufffe\ud800") == "AB\tC\r\nD"


def test_clean_file_name_drops_control_characters_tabs_and_line_breaks():
    assert clean_file_name('bins\x00\r\n\t\x1b".csv') == 'bins".csv'
