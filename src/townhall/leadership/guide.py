"""The councillor's digital guide: a checklist of the techUK guide's recommendations,
each "in place", "partly" or "not yet" as this council's live data shows, with a link to
the page that shows it (internal to leadership; views reach it through selectors).

Leadership judges its own two recommendations (leadership with authority, digital as a
cabinet portfolio); every other one reads a measure its module declares in its manifest
(core.registry.Measure) by key, so a module that is not installed is "not measured".
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from townhall.core.registry import registry

from .models import BoardMeeting, Leader, Project

IN_PLACE = "in_place"
PARTLY = "partly"
NOT_YET = "not_yet"
NOT_MEASURED = "not_measured"
STATUS_LABELS = {
    IN_PLACE: gettext_lazy("In place"),
    PARTLY: gettext_lazy("Partly"),
    NOT_YET: gettext_lazy("Not yet"),
    NOT_MEASURED: gettext_lazy("Not measured"),
}
STATUS_TAGS = {
    IN_PLACE: "govuk-tag--green",
    PARTLY: "govuk-tag--yellow",
    NOT_YET: "govuk-tag--red",
    NOT_MEASURED: "govuk-tag--grey",
}
#: The share of a measure at or above which a recommendation is in place.
IN_PLACE_PERCENT = 80
#: How recently the digital board must have met to count as meeting.
BOARD_MET_WITHIN = timedelta(days=183)

#: The recommendations read from modules' measures, in the guide's order after the two
#: on leadership: (measure key, title, what the guide recommends).
MEASURED = (
    (
        "transparency_datasets_on_time",
        gettext_lazy("Open data, published and on time"),
        gettext_lazy(
            "Publish the council's data openly, and keep the Transparency Code's datasets "
            "up to date."
        ),
    ),
    (
        "key_decisions_citing_data",
        gettext_lazy("Decisions informed by data"),
        gettext_lazy("Members pledge to make decisions informed by data, and show the data."),
    ),
    (
        "directory_freshness",
        gettext_lazy("Digital inclusion: a directory of help"),
        gettext_lazy(
            "Help residents get online with a current directory of local help: skills, "
            "devices and connectivity."
        ),
    ),
    (
        "consultations_with_outcome",
        gettext_lazy("Citizens shaping services"),
        gettext_lazy(
            "Involve residents in shaping services, and publish what each consultation changed."
        ),
    ),
    (
        "news_posted_to_social",
        gettext_lazy("Transparent communication"),
        gettext_lazy(
            "Tell residents what the council is doing where they are: news feeds and social media."
        ),
    ),
    (
        "polling_districts_with_station",
        gettext_lazy("High turnout at elections"),
        gettext_lazy(
            "Make voting easy: every voter can find their polling station, and can ask "
            "for reminders."
        ),
    ),
    (
        "contracts_after_challenge",
        gettext_lazy("Engaging the market early"),
        gettext_lazy(
            "Put problems to the market before procuring, publish the pipeline, and "
            "publish contracts as open contracting data."
        ),
    ),
)


@dataclass(frozen=True)
class GuideItem:
    """One recommendation: its `status` (a key of STATUS_LABELS), what was `found` on
    the live site, and the `url` of the page that shows it ("" when there is none)."""

    title: str
    recommendation: str
    status: str
    found: str
    url: str

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def tag_class(self) -> str:
        return STATUS_TAGS[self.status]


def _status(met: int, of: int) -> str:
    return IN_PLACE if met == of else PARTLY if met else NOT_YET


def _leadership_with_authority(today: date) -> GuideItem:
    kinds = set(Leader.objects.values_list("kind", flat=True))
    met = BoardMeeting.objects.filter(
        status=BoardMeeting.Status.HELD, meets_on__gt=today - BOARD_MET_WITHIN
    ).exists()
    facts = (
        Leader.Kind.CHIEF_DIGITAL_OFFICER in kinds,
        Leader.Kind.CHAMPION in kinds,
        met,
    )
    found = [
        _("a chief digital officer is named") if facts[0] else _("no chief digital officer"),
        _("digital champions are named") if facts[1] else _("no digital champions"),
        _("the digital board met in the past six months")
        if facts[2]
        else _("the digital board has not met in the past six months"),
    ]
    return GuideItem(
        title=_("Digital leadership with authority"),
        recommendation=_(
            "Give digital leadership formal authority to change the organisation: a chief "
            "digital officer, digital champions and a digital board."
        ),
        status=_status(sum(facts), len(facts)),
        found=_("Found: %(facts)s.") % {"facts": "; ".join(found)},
        url=reverse("leadership:leaders"),
    )


def _digital_portfolio() -> GuideItem:
    named = Leader.objects.filter(kind=Leader.Kind.CABINET_MEMBER).exists()
    owned = Project.objects.filter(
        published=True, programme__objective__portfolio__isnull=False
    ).exists()
    found = [
        _("a cabinet member for digital is named") if named else _("no cabinet member for digital"),
        _("the published roadmap belongs to a portfolio")
        if owned
        else _("no published roadmap project belongs to a portfolio"),
    ]
    return GuideItem(
        title=_("Digital as a cabinet portfolio"),
        recommendation=_(
            "Make digital a cabinet portfolio, with a cabinet member who answers for the "
            "strategy and roadmap."
        ),
        status=_status(named + owned, 2),
        found=_("Found: %(facts)s.") % {"facts": "; ".join(found)},
        url=reverse("leadership:strategy"),
    )


def _measured(key: str, title: str, recommendation: str, today: date) -> GuideItem:
    declared = registry.measure(key)
    counted = declared.compute(today) if declared else None
    if declared is None or counted is None:
        return GuideItem(
            title=str(title),
            recommendation=str(recommendation),
            status=NOT_MEASURED,
            found=_("Not measured: the part of the site that measures this is not installed."),
            url="",
        )
    count, total = counted
    if not total:
        status, found = NOT_YET, _("%(measure)s: nothing to measure yet.")
    else:
        in_place = 100 * count >= IN_PLACE_PERCENT * total
        status = IN_PLACE if in_place else PARTLY if count else NOT_YET
        found = _("%(measure)s: %(count)s of %(total)s (%(percent)s%%).")
    return GuideItem(
        title=str(title),
        recommendation=str(recommendation),
        status=status,
        found=found
        % {
            "measure": declared.label,
            "count": count,
            "total": total,
            "percent": round(100 * count / total) if total else 0,
        },
        url=reverse(declared.url_name) if declared.url_name else "",
    )


def checklist(*, today: date) -> list[GuideItem]:
    """The guide's recommendations in its order, each as this council's data shows it."""
    return [
        _leadership_with_authority(today),
        _digital_portfolio(),
        *(_measured(key, title, text, today) for key, title, text in MEASURED),
    ]
