"""Money typed in pounds and Companies House numbers: accepted when unambiguous, refused
with a message that says what to type otherwise."""

import pytest

from townhall.market.services import normalised_company_number, pence_from_pounds


@pytest.mark.parametrize(
    ("typed", "pence"),
    [
        ("£50,000", 5_000_000),
        ("50000", 5_000_000),
        ("£1,250.50", 125_050),
        (" £ 1,000,000 ", 100_000_000),
        ("0", 0),
    ],
)
def test_pounds_become_pence_when_written_in_figures(typed, pence):
    assert pence_from_pounds(typed) == pence


@pytest.mark.parametrize(
    "typed", ["£1.2m", "50k", "about £5000", "1,20,000", "£12.5", "-£50", "£50,00", ""]
)
def test_pounds_are_refused_with_a_message_when_ambiguous(typed):
    with pytest.raises(ValueError, match="figures only, like £50,000"):
        pence_from_pounds(typed)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("01234567", "01234567"), ("sc123456", "SC123456"), ("OC 301 234", "OC301234")],
)
def test_company_numbers_are_stored_in_capitals_without_spaces_when_valid(typed, stored):
    assert normalised_company_number(typed) == stored


@pytest.mark.parametrize("typed", ["1234567", "123456789", "XX123456", "SC12345A", "SC-12345"])
def test_company_numbers_are_refused_when_not_eight_characters_of_a_known_kind(typed):
    with pytest.raises(ValueError, match="8 characters"):
        normalised_company_number(typed)
