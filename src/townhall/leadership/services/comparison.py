"""Other councils' scorecards, imported to compare with ours (ADR 0098)."""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from townhall.core.permissions import require
from townhall.core.selectors.site import site_settings

from .. import maturity, scorecards
from ..models import ComparedCouncil, ComparedScorecard, MaturityFramework
from ._common import ASSESS_MATURITY, AssessmentInvalid, _validated


def _matches_our_framework(data: dict[str, Any]) -> None:
    """Refuse a scorecard of a framework we have in another version, or with a question
    our copy lacks: its scores would be compared with questions that differ."""
    framework = data["framework"]
    ours = MaturityFramework.objects.filter(slug=framework["slug"]).first()
    if ours is None:
        return
    if ours.version != framework["version"]:
        raise AssessmentInvalid(
            _(
                "This scorecard uses version %(theirs)s of the framework “%(name)s”, which "
                "this site does not have: it has version %(ours)s"
            )
            % {"theirs": framework["version"], "name": framework["name"], "ours": ours.version},
            field="framework.version",
        )
    known = maturity.questions(ours.definition)
    sections = {section["key"] for section in ours.definition["sections"]}
    for index, section in enumerate(data["sections"]):
        if section["key"] not in sections:
            raise AssessmentInvalid(
                _("Version %(version)s of this framework has no area “%(key)s”")
                % {"version": ours.version, "key": section["key"]},
                field=f"sections[{index}].key",
            )
        for number, question in enumerate(section["questions"]):
            if question["key"] not in known:
                raise AssessmentInvalid(
                    _("Version %(version)s of this framework has no question “%(key)s”")
                    % {"version": ours.version, "key": question["key"]},
                    field=f"sections[{index}].questions[{number}].key",
                )


def scorecard_import(
    *,
    actor: Any,
    raw: bytes,
    council_name: str = "",
    gss_code: str = "",
    council_type: str = "",
    region: str = "",
) -> ComparedScorecard:
    """Import another council's published scorecard from its file's bytes (the format of
    /api/v1/scorecard). The council's name, ONS code, type and region come from the file
    unless given here; each is needed from one or the other. Importing a council's
    scorecard of a day it already has replaces that copy; other days are kept as history.

    Raises AssessmentInvalid naming the field of the first problem (a file field such as
    `sections[0].questions[1].level`, or the argument to give); nothing is stored."""
    require(actor, ASSESS_MATURITY)
    try:
        data = scorecards.read_scorecard(raw)
    except scorecards.ScorecardInvalid as problem:
        raise AssessmentInvalid(problem.message, field=problem.field or "file") from None
    _matches_our_framework(data)
    given = {
        "gss_code": (gss_code or data.get("council_code") or "").strip().upper(),
        "name": (council_name or data["council"]).strip(),
        "council_type": council_type or data.get("council_type") or "",
        "region": region or data.get("region") or "",
    }
    if given["gss_code"] and given["gss_code"] == site_settings().local_authority_code:
        raise AssessmentInvalid(
            _("This is this council's own scorecard: import other councils' to compare"),
            field="gss_code",
        )
    missing = {
        "gss_code": _("The file gives no ONS code for the council: enter it"),
        "council_type": _("The file does not say what type of council it is: choose one"),
        "region": _("The file does not say which region the council is in: choose one"),
    }
    for field, message in missing.items():
        if not given[field]:
            raise AssessmentInvalid(message, field=field)
    with transaction.atomic():
        council = ComparedCouncil.objects.select_for_update().filter(
            gss_code=given["gss_code"]
        ).first() or ComparedCouncil(gss_code=given["gss_code"])
        for name, value in given.items():
            setattr(council, name, value)
        _validated(council, AssessmentInvalid)
        council.save()
        assessed_on = date.fromisoformat(data["assessed_on"])
        scorecard = ComparedScorecard.objects.filter(
            council=council, assessed_on=assessed_on
        ).first() or ComparedScorecard(council=council, assessed_on=assessed_on)
        scorecard.framework_slug = data["framework"]["slug"]
        scorecard.framework_version = data["framework"]["version"]
        scorecard.total = data["total"]
        scorecard.data = data
        scorecard.save()
        return scorecard


def compared_council_remove(*, actor: Any, council: ComparedCouncil) -> None:
    """Remove a compared council and every scorecard imported for it."""
    require(actor, ASSESS_MATURITY)
    council.delete()
