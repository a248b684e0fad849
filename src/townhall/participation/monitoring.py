"""The standard equality monitoring questions, in the ONS harmonised wording.

Every question is optional and offers "Prefer not to say". Answers are analysed only in
aggregate and never published as open data.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PREFER_NOT_TO_SAY = _("Prefer not to say")

#: The options a scale question offers when the officer gives none.
LIKERT_SCALE = (
    _("Strongly agree"),
    _("Agree"),
    _("Neither agree nor disagree"),
    _("Disagree"),
    _("Strongly disagree"),
)


@dataclass(frozen=True)
class MonitoringTopic:
    slug: str
    question: Promise
    hint: Promise | str
    options: tuple[Promise, ...]


EQUALITY_MONITORING: tuple[MonitoringTopic, ...] = (
    MonitoringTopic(
        "age",
        _("What is your age?"),
        "",
        (
            _("Under 16"),
            _("16 to 24"),
            _("25 to 34"),
            _("35 to 44"),
            _("45 to 54"),
            _("55 to 64"),
            _("65 to 74"),
            _("75 or over"),
            PREFER_NOT_TO_SAY,
        ),
    ),
    MonitoringTopic("sex", _("What is your sex?"), "", (_("Female"), _("Male"), PREFER_NOT_TO_SAY)),
    MonitoringTopic(
        "gender_identity",
        _("Is the gender you identify with the same as your sex registered at birth?"),
        "",
        (_("Yes"), _("No"), PREFER_NOT_TO_SAY),
    ),
    MonitoringTopic(
        "disability",
        _(
            "Do you have any physical or mental health conditions or illnesses lasting or "
            "expected to last 12 months or more?"
        ),
        "",
        (_("Yes"), _("No"), PREFER_NOT_TO_SAY),
    ),
    MonitoringTopic(
        "ethnicity",
        _("What is your ethnic group?"),
        _("Choose the option that best describes your ethnic group or background"),
        (
            _("White: English, Welsh, Scottish, Northern Irish or British"),
            _("White: Irish"),
            _("White: Gypsy or Irish Traveller"),
            _("White: Roma"),
            _("White: Any other White background"),
            _("Mixed: White and Black Caribbean"),
            _("Mixed: White and Black African"),
            _("Mixed: White and Asian"),
            _("Mixed: Any other Mixed or multiple ethnic background"),
            _("Asian or Asian British: Indian"),
            _("Asian or Asian British: Pakistani"),
            _("Asian or Asian British: Bangladeshi"),
            _("Asian or Asian British: Chinese"),
            _("Asian or Asian British: Any other Asian background"),
            _("Black, Black British, Caribbean or African: African"),
            _("Black, Black British, Caribbean or African: Caribbean"),
            _("Black, Black British, Caribbean or African: Any other Black background"),
            _("Other ethnic group: Arab"),
            _("Other ethnic group: Any other ethnic group"),
            PREFER_NOT_TO_SAY,
        ),
    ),
    MonitoringTopic(
        "religion",
        _("What is your religion?"),
        "",
        (
            _("No religion"),
            _("Christian"),
            _("Buddhist"),
            _("Hindu"),
            _("Jewish"),
            _("Muslim"),
            _("Sikh"),
            _("Any other religion"),
            PREFER_NOT_TO_SAY,
        ),
    ),
    MonitoringTopic(
        "sexual_orientation",
        _("Which of the following best describes your sexual orientation?"),
        "",
        (
            _("Straight or heterosexual"),
            _("Gay or lesbian"),
            _("Bisexual"),
            _("All other sexual orientations"),
            PREFER_NOT_TO_SAY,
        ),
    ),
    MonitoringTopic(
        "caring",
        _(
            "Do you look after, or give any help or support to, anyone because they have "
            "long-term physical or mental health conditions or illnesses, or problems "
            "related to old age?"
        ),
        _("Exclude anything you do as part of your paid employment"),
        (
            _("No"),
            _("Yes, 9 hours a week or less"),
            _("Yes, 10 to 19 hours a week"),
            _("Yes, 20 to 34 hours a week"),
            _("Yes, 35 to 49 hours a week"),
            _("Yes, 50 or more hours a week"),
            PREFER_NOT_TO_SAY,
        ),
    ),
)
