"""Parsing what people type: amounts in pounds and Companies House numbers, each refused
with a message for a person rather than guessed."""

import re

from django.utils.translation import gettext_lazy as _

#: Companies House prefixes of companies, LLPs and other registered bodies: England and
#: Wales numbers are 8 digits; the others are two letters then six digits.
COMPANY_PREFIXES = frozenset(
    {
        "SC", "NI", "OC", "SO", "NC", "LP", "SL", "NL", "R0", "FC", "SF", "NF", "IP", "SP",
        "NP", "RC", "SR", "NR", "IC", "SI", "CE", "CS", "GE", "GS", "GN", "AC", "SA", "NA",
        "ZC", "SZ", "NZ", "ES", "RS",
    }
)  # fmt: skip
_COMPANY_NUMBER = re.compile(r"^(?:\d{8}|([A-Z][A-Z0-9])\d{6})$")
_POUNDS = re.compile(r"^£?(?P<whole>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<pence>\d{2}))?$")


def pence_from_pounds(text: str) -> int:
    """An amount typed in pounds ("£50,000", "1250.50", "£1,250") as integer pence.

    Raises ValueError with a message for a person for anything else: shorthand ("£1.2m",
    "50k"), ranges, words, negative amounts or commas in the wrong places are ambiguous, and
    are refused rather than guessed.
    """
    cleaned = (text or "").strip().replace(" ", "")
    match = _POUNDS.match(cleaned)
    if match is None:
        raise ValueError(
            _(
                "Enter an amount in pounds using figures only, like £50,000 or £1250.50 "
                "(not “£1.2m” or “50k”)"
            )
        )
    return int(match["whole"].replace(",", "")) * 100 + int(match["pence"] or 0)


def normalised_company_number(text: str) -> str:
    """A Companies House number in its stored form (capitals, no spaces), or ValueError."""
    number = re.sub(r"\s+", "", text or "").upper()
    match = _COMPANY_NUMBER.match(number)
    if match is None or (match[1] and match[1] not in COMPANY_PREFIXES):
        raise ValueError(
            _(
                "Enter a Companies House number of 8 characters: 8 digits, like 01234567, "
                "or 2 letters such as SC, NI or OC then 6 digits, like SC123456"
            )
        )
    return number
