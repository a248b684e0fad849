"""The candidates-and-results CSV layout: one row per candidate, keyed by ballot identifier
and the ward's GSS code, with the ballot's figures repeated on each of its rows.

The column names are Democracy Club's (its candidates CSV and result sets), which the
LGA's local election results files follow: `ballot_paper_id`, `gss`, `person_name`,
`party_name`, `votes_cast`, `elected`, `total_electorate`, `num_turnout_reported` (ballot
papers issued), `num_spoilt_ballots` (rejected ballots) and `turnout_percentage`. On
import `party_name`, `elected` and `turnout_percentage` may be left out and are never
trusted: who is elected and the turnout are worked out from the votes. Headers are
compared trimmed and lower-cased. Reading never writes: it returns each ballot's figures
and every problem with its row (the header is row 1).
"""

import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .importers import Problem

FILE = "results"
REQUIRED = (
    "ballot_paper_id",
    "gss",
    "person_name",
    "votes_cast",
    "total_electorate",
    "num_turnout_reported",
    "num_spoilt_ballots",
)
COLUMNS = (
    "election_id",
    "ballot_paper_id",
    "gss",
    "post_label",
    "seats_contested",
    "person_name",
    "party_name",
    "votes_cast",
    "elected",
    "total_electorate",
    "num_turnout_reported",
    "num_spoilt_ballots",
    "turnout_percentage",
)
FIGURES = {
    "total_electorate": "electorate",
    "num_turnout_reported": "ballot_papers_issued",
    "num_spoilt_ballots": "rejected_ballots",
}


@dataclass
class BallotFigures:
    """One ballot's rows: its figures (from its first row) and, by `name_key`, each
    candidate's votes, the row they came from and the name as written."""

    identifier: str
    gss: str
    row: int
    figures: dict[str, int]
    votes: dict[str, tuple[int, int, str]] = field(default_factory=dict)


@dataclass
class ReadResult:
    ballots: dict[str, BallotFigures] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def name_key(name: str) -> str:
    """A candidate's name as compared between the file and the ballot."""
    return " ".join((name or "").split()).casefold()


def _whole_number(value: str) -> int | None:
    text = (value or "").strip().replace(",", "")
    try:
        return int(text)
    except ValueError:
        return None


def read(data: bytes) -> ReadResult:
    """The ballots of a results file, or the problems that stop it being read."""
    found = ReadResult()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        found.problems.append(
            Problem(FILE, 1, _("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again."))
        )
        return found
    reader = csv.DictReader(io.StringIO(text))
    headers = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED if name not in headers]
    if missing:
        found.problems.append(
            Problem(FILE, 1, _("Missing columns: %(columns)s") % {"columns": ", ".join(missing)})
        )
        return found
    reader.fieldnames = headers
    for number, raw in enumerate(reader, start=2):
        row = {key: (value or "").strip() for key, value in raw.items() if key}
        _read_row(found, number, row)
    if not found.ballots and not found.problems:
        found.problems.append(Problem(FILE, 1, _("The file has no results in it.")))
    return found


def _read_row(found: ReadResult, number: int, row: dict[str, str]) -> None:
    numbers = {}
    for column in ("votes_cast", *FIGURES):
        value = _whole_number(row[column])
        if value is None or value < 0:
            found.problems.append(
                Problem(
                    FILE,
                    number,
                    _("%(column)s must be a whole number, 0 or more, not “%(value)s”")
                    % {"column": column, "value": row[column]},
                )
            )
            return
        numbers[column] = value
    figures = {FIGURES[column]: numbers[column] for column in FIGURES}
    identifier = row["ballot_paper_id"]
    ballot = found.ballots.setdefault(
        identifier,
        BallotFigures(identifier=identifier, gss=row["gss"], row=number, figures=figures),
    )
    if ballot.figures != figures or ballot.gss != row["gss"]:
        found.problems.append(
            Problem(
                FILE,
                number,
                _(
                    "The GSS code, electorate, ballot papers issued and rejected ballots must "
                    "be the same on every row of %(ballot)s (see row %(row)d)"
                )
                % {"ballot": identifier, "row": ballot.row},
            )
        )
        return
    key = name_key(row["person_name"])
    if key in ballot.votes:
        found.problems.append(
            Problem(
                FILE,
                number,
                _("%(name)s is on %(ballot)s twice (see row %(row)d)")
                % {"name": row["person_name"], "ballot": identifier, "row": ballot.votes[key][1]},
            )
        )
        return
    ballot.votes[key] = (numbers["votes_cast"], number, row["person_name"])


def write(rows) -> str:
    """The rows (dicts keyed by COLUMNS, as `selectors.results_rows` gives) as CSV text."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
