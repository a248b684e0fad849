"""Participatory budgeting: phases, projects, eligible voters, one ballot each, results.

Phases run proposals, feasibility review, voting, results; a lead may skip a phase but
never go back. Results count the ballots and fund the most-voted projects, in order, as
long as the money lasts (the usual greedy rule).
"""

import csv
import hashlib
import io
import secrets
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from townhall.core import audit
from townhall.core.formats import pounds
from townhall.core.languages import english_columns, welsh_required_message
from townhall.core.permissions import can, require
from townhall.core.ratelimit import failure_record, failures_check
from townhall.core.services.search import search_index_remove, search_index_update

from .. import integrations, selectors
from ..models import Ballot, Budget, BudgetProject, EligibleVoter
from .consultations import ParticipationError

Phase = Budget.Phase
PHASE_ORDER = [Phase.PROPOSALS, Phase.FEASIBILITY, Phase.VOTING, Phase.RESULTS]


class NotEligible(ParticipationError):
    code = "not_eligible"


class AlreadyVoted(ParticipationError):
    code = "already_voted"


class BallotInvalid(ParticipationError):
    code = "ballot_invalid"


class UnreviewedProjects(ParticipationError):
    """Voting would open while some projects are not yet reviewed; `projects` names them.
    The lead may confirm, and those projects are then left off the ballot."""

    code = "unreviewed_projects"

    def __init__(self, message: Any, projects: list[BudgetProject]):
        super().__init__(message)
        self.projects = projects


class VoterFileInvalid(ParticipationError):
    """A register file with rows we cannot use; `errors` names each row and what is wrong.
    Nothing from such a file is stored."""

    code = "voter_file_invalid"

    def __init__(self, message: Any, errors: list[str]):
        super().__init__(message)
        self.errors = errors


#: Encodings a register export arrives in: UTF-8 (with or without a byte order mark, which
#: utf-8-sig strips) and, from older council systems and Excel, Windows-1252.
REGISTER_ENCODINGS = ("utf-8-sig", "cp1252")
#: Rows reported by name before the rest are summed up, so the page stays readable.
ROW_ERRORS_SHOWN = 20


def _hash(budget: Budget, *parts: str) -> str:
    text = "|".join(part.strip().lower() for part in parts)
    return hashlib.sha256(f"{budget.pk}|{text}".encode()).hexdigest()


#: Phases a lead may choose to skip when creating a budget. Voting and results never are.
SKIPPABLE_PHASES = (Phase.PROPOSALS, Phase.FEASIBILITY)


def budget_create(
    *,
    actor: Any,
    slug: str,
    title: str,
    total_pence: int,
    ballot_kind: str,
    skipped_phases: Iterable[str] = (),
    **fields: Any,
) -> Budget:
    """A new budget, starting at the first phase not skipped. Skipping proposals means the
    council adds the projects itself, during the feasibility review or before voting.
    `title` and `description` are the English, `title_cy` and `description_cy` the Welsh."""
    require(actor, "participation.manage_budgets")
    skipped = [phase for phase in SKIPPABLE_PHASES if phase in set(skipped_phases)]
    if total_pence <= 0:
        raise ParticipationError(_("A budget needs an amount to spend."))
    if Budget.objects.filter(slug=slug).exists():
        raise ParticipationError(
            _("Another budget already has the address “%(slug)s”.") % {"slug": slug}
        )
    with transaction.atomic():
        budget = Budget.objects.create(
            slug=slug,
            total_pence=total_pence,
            ballot_kind=ballot_kind,
            skipped_phases=[str(phase) for phase in skipped],
            phase=next(phase for phase in PHASE_ORDER if phase not in skipped),
            **english_columns(Budget, {"title": title, **fields}),
        )
        welsh = welsh_required_message([(budget, ("title", "description"))])
        if welsh:
            raise ParticipationError(welsh)
        search_index_update(selectors.SEARCH_BUDGET, budget)
    return budget


def budgets_create_per_ward(
    *,
    actor: Any,
    slug: str,
    title: str,
    ward_amounts: dict[str, int],
    ward_names: dict[str, str],
    ballot_kind: str,
    title_cy: str = "",
    **fields: Any,
) -> list[Budget]:
    """One budget for each ward, each with its own amount in pence: residents of a ward
    propose and vote on their ward's projects. Addresses are `<slug>-<ward code>`; titles
    end with the ward's name, in Welsh too when a Welsh title is given."""
    require(actor, "participation.manage_budgets")
    if not ward_amounts:
        raise ParticipationError(_("Give an amount for at least one ward."))
    with transaction.atomic():
        return [
            budget_create(
                actor=actor,
                slug=f"{slug}-{code.lower()}"[:120],
                title=f"{title}: {ward_names.get(code, code)}",
                title_cy=f"{title_cy}: {ward_names.get(code, code)}" if title_cy else "",
                total_pence=amount,
                ballot_kind=ballot_kind,
                ward_code=code,
                **fields,
            )
            for code, amount in ward_amounts.items()
        ]


def budget_advance(
    *, actor: Any, budget: Budget, phase: str, unreviewed_confirmed: bool = False
) -> Budget:
    """Move to a later phase (skipping is allowed, going back is not). Reaching results
    counts the ballots and publishes which projects are funded.

    Opening the vote (or going straight to results) while projects are still unreviewed
    raises UnreviewedProjects naming them, unless the lead has seen them and confirmed
    (`unreviewed_confirmed`): only feasible projects are on the ballot, so they are left out."""
    require(actor, "participation.manage_budgets", budget)
    with transaction.atomic():
        budget = Budget.objects.select_for_update().get(pk=budget.pk)
        target = PHASE_ORDER.index(Phase(phase))
        current = PHASE_ORDER.index(Phase(budget.phase))
        if target <= current:
            raise ParticipationError(_("A budget can only move on to a later phase."))
        voting = PHASE_ORDER.index(Phase.VOTING)
        if current < voting <= target and not unreviewed_confirmed:
            unreviewed = list(
                budget.projects.filter(assessment=BudgetProject.Assessment.PENDING).order_by(
                    "title", "pk"
                )
            )
            if unreviewed:
                raise UnreviewedProjects(
                    _("Some projects have not been reviewed, so they will not be on the ballot."),
                    unreviewed,
                )
        before = {"phase": budget.phase}
        budget.phase = phase
        if phase == Phase.RESULTS:
            _count_and_select(budget)
            budget.results_published_at = timezone.now()
        budget.save()
        audit.record(
            actor=actor,
            operation="action",
            action="participation.budget_advance",
            instance=budget,
            before=before,
            after={"phase": phase},
        )
    return budget


def _count_and_select(budget: Budget) -> None:
    votes = dict(
        Ballot.projects.through.objects.filter(ballot__budget=budget)
        .values("budgetproject_id")
        .annotate(n=Count("pk"))
        .values_list("budgetproject_id", "n")
    )
    remaining = budget.total_pence
    projects = list(budget.projects.filter(assessment=BudgetProject.Assessment.FEASIBLE))
    for project in projects:
        project.votes = votes.get(project.pk, 0)
    for project in sorted(projects, key=lambda p: (-p.votes, p.cost_pence, p.pk)):
        project.selected = project.votes > 0 and project.cost_pence <= remaining
        remaining -= project.cost_pence if project.selected else 0
    BudgetProject.objects.bulk_update(projects, ["votes", "selected"])


def project_propose(
    *, actor: Any, budget: Budget, title: str, description: str, cost_pence: int
) -> BudgetProject:
    require(actor, "participation.submit_proposal", budget)
    council = can(actor, "participation.manage_budgets", budget)
    if not selectors.budget_taking_ideas(budget, council=council):
        raise ParticipationError(_("This budget is not taking project ideas now."))
    with transaction.atomic():
        project = BudgetProject.objects.create(
            budget=budget,
            title=title,
            description=description,
            cost_pence=cost_pence,
            proposer=actor,
        )
        search_index_update(selectors.SEARCH_BUDGET_PROJECT, project)
    return project


def project_assess(
    *,
    actor: Any,
    project: BudgetProject,
    feasible: bool,
    note: str = "",
    cost_pence: int | None = None,
) -> BudgetProject:
    """Record the feasibility review; `cost_pence`, when given, replaces the resident's
    estimate with the council's costing, which is what ballots and results then use."""
    require(actor, "participation.manage_budgets", project.budget)
    if not feasible and not note.strip():
        raise ParticipationError(_("Say why the project is not feasible."))
    if project.budget.phase not in (Phase.PROPOSALS, Phase.FEASIBILITY):
        raise ParticipationError(_("Projects cannot be reviewed once voting has started."))
    project.assessment = (
        BudgetProject.Assessment.FEASIBLE if feasible else BudgetProject.Assessment.NOT_FEASIBLE
    )
    project.assessment_note_en_gb = note
    if cost_pence is not None:
        project.cost_pence = cost_pence
    with transaction.atomic():
        project.save(update_fields=["assessment", "assessment_note_en_gb", "cost_pence"])
        search_index_update(selectors.SEARCH_BUDGET_PROJECT, project)
    return project


def project_remove(*, actor: Any, project: BudgetProject) -> None:
    """Take a project off the budget (a duplicate, or not about the budget), before
    voting starts: once ballots may name it, it stays."""
    require(actor, "participation.manage_budgets", project.budget)
    if project.budget.phase not in (Phase.PROPOSALS, Phase.FEASIBILITY):
        raise ParticipationError(_("Projects cannot be removed once voting has started."))
    with transaction.atomic():
        search_index_remove(selectors.SEARCH_BUDGET_PROJECT, project.pk)
        project.delete()


def project_progress(
    *, actor: Any, project: BudgetProject, delivery: str, percent: int
) -> BudgetProject:
    require(actor, "participation.manage_budgets", project.budget)
    if not project.selected:
        raise ParticipationError(_("Only funded projects are tracked to completion."))
    project.delivery = BudgetProject.Delivery(delivery)
    project.progress_percent = max(0, min(100, percent))
    project.save(update_fields=["delivery", "progress_percent"])
    return project


def register_file_text(data: bytes) -> str:
    """The text of an uploaded register file, in whichever of REGISTER_ENCODINGS it is."""
    for encoding in REGISTER_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ParticipationError(_("The file is not text. Save it as CSV (UTF-8) and try again."))


def _register_row_errors(row_number: int, row: dict[str, str | None]) -> list[str]:
    problems = []
    if not (row.get("surname") or "").strip():
        problems.append(_("the surname is empty"))
    try:
        integrations.normalise_postcode(row.get("postcode") or "")
    except ValueError:
        problems.append(
            _("“%(postcode)s” is not a postcode") % {"postcode": (row.get("postcode") or "")[:20]}
        )
    try:
        date.fromisoformat((row.get("date_of_birth") or "").strip())
    except ValueError:
        problems.append(
            _("the date of birth “%(value)s” is not a date like 1980-05-31")
            % {"value": (row.get("date_of_birth") or "")[:20]}
        )
    if not problems:
        return []
    return [
        _("Row %(row)d: %(problems)s")
        % {"row": row_number, "problems": "; ".join(map(str, problems))}
    ]


def voters_import(*, actor: Any, budget: Budget, csv_text: str) -> int:
    """Load the electoral register or census extract (columns surname, postcode,
    date_of_birth as YYYY-MM-DD). Only hashes are kept. Returns how many were added.

    Every row is checked first; if any is unusable, VoterFileInvalid lists them (by row
    number, the header being row 1) and nothing is stored, so a fixed file can simply be
    loaded again."""
    require(actor, "participation.manage_budgets", budget)
    rows = csv.DictReader(io.StringIO(csv_text))
    fieldnames = [name.strip().lower() for name in rows.fieldnames or []]
    rows.fieldnames = fieldnames
    missing = {"surname", "postcode", "date_of_birth"} - set(fieldnames)
    if missing:
        raise ParticipationError(
            _("The file needs the columns: %(columns)s") % {"columns": ", ".join(sorted(missing))}
        )
    records = list(rows)
    errors = [
        error
        for number, row in enumerate(records, start=2)
        for error in _register_row_errors(number, row)
    ]
    if errors:
        shown = errors[:ROW_ERRORS_SHOWN]
        if len(errors) > ROW_ERRORS_SHOWN:
            shown.append(
                _("… and %(count)d more rows with problems.")
                % {"count": len(errors) - ROW_ERRORS_SHOWN}
            )
        raise VoterFileInvalid(_("Nothing was loaded: fix these rows and try again."), shown)
    if not records:
        raise ParticipationError(_("The file has no rows under its headings."))
    voters = [
        EligibleVoter(
            budget=budget,
            key_hash=_register_key(
                budget, row["surname"], row["postcode"], row["date_of_birth"].strip()
            ),
        )
        for row in records
    ]
    created = EligibleVoter.objects.bulk_create(voters, ignore_conflicts=True, batch_size=2000)
    audit.record(
        actor=actor,
        operation="action",
        action="participation.voters_import",
        instance=budget,
        after={"rows": len(voters)},
    )
    return len(created)


#: The symbols of a postal code: Crockford's base32, digits and capitals without I, L, O
#: and U, which are easily misread (I, L, O) or spell words (U). Five bits each.
VOTER_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
#: A code is 12 symbols (60 bits), printed in groups of four: K7QF-3MZP-X9TD.
VOTER_CODE_LENGTH = 12
VOTER_CODE_GROUP_LENGTH = 4
#: Codes issued by earlier releases were 8 hexadecimal digits (32 bits), which are also
#: base32 symbols: they keep working, so letters already posted stay good.
OLD_VOTER_CODE_LENGTH = 8
#: What a person may type for a symbol the alphabet leaves out, as Crockford reads them.
_VOTER_CODE_MISREADINGS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_VOTER_CODE_SEPARATORS = str.maketrans("", "", "-\u2010\u2011\u2012\u2013\u2014")


def voter_code_new() -> str:
    """A fresh random postal code, grouped for printing: K7QF-3MZP-X9TD."""
    symbols = "".join(secrets.choice(VOTER_CODE_ALPHABET) for _symbol in range(VOTER_CODE_LENGTH))
    group = VOTER_CODE_GROUP_LENGTH
    return "-".join(symbols[start : start + group] for start in range(0, len(symbols), group))


def voter_code_normalise(typed: str) -> str:
    """A code as typed, in the one spelling that is hashed: capitals, without spaces or
    hyphens, O read as 0 and I or L as 1. "k7qf 3mzp x9td" gives "K7QF3MZPX9TD"."""
    spaced = typed.translate(_VOTER_CODE_SEPARATORS).upper().translate(_VOTER_CODE_MISREADINGS)
    return "".join(spaced.split())


def voter_code_is_well_formed(code: str) -> bool:
    """True when a normalised code could have been issued: a length and symbols we use."""
    lengths = (VOTER_CODE_LENGTH, OLD_VOTER_CODE_LENGTH)
    return len(code) in lengths and set(code) <= set(VOTER_CODE_ALPHABET)


def voter_code_key(budget: Budget, code: str) -> str:
    """The hash a postal code is kept as, for this budget, however it was typed."""
    return _hash(budget, "code", voter_code_normalise(code))


def voter_codes_issue(*, actor: Any, budget: Budget, count: int) -> list[str]:
    """Codes to post to households, each good for one ballot, grouped for printing.
    Shown once; only hashes kept."""
    require(actor, "participation.manage_budgets", budget)
    codes = [voter_code_new() for _number in range(count)]
    EligibleVoter.objects.bulk_create(
        EligibleVoter(budget=budget, key_hash=voter_code_key(budget, code)) for code in codes
    )
    audit.record(
        actor=actor,
        operation="action",
        action="participation.voter_codes_issue",
        instance=budget,
        after={"count": count},
    )
    return codes


def _register_key(budget: Budget, surname: str, postcode: str, date_of_birth: str) -> str:
    try:
        postcode = integrations.normalise_postcode(postcode)
    except ValueError:
        postcode = postcode.strip().upper()
    return _hash(budget, "register", surname, postcode, date_of_birth)


#: Counts failed voter checks per budget, from every client together (core.ratelimit).
VOTER_CHECK_FAILURES = "participation.voter_check_failures"


def voter_verify(
    *,
    budget: Budget,
    code: str = "",
    surname: str = "",
    postcode: str = "",
    date_of_birth: str = "",
) -> EligibleVoter:
    """The eligible voter these details (or this postal code) identify, if they have not voted.

    Besides each client's own limit (on the view), a budget accepts only
    TOWNHALL_VOTER_CHECK_FAILURE_RATE failed checks from everyone together: once that many
    codes or register details have not matched, checks pause for the rest of the period
    (core.ratelimit.FormRateLimited), so many clients guessing together get no further.
    """
    ceiling = {
        "group": VOTER_CHECK_FAILURES,
        "key": str(budget.pk),
        "rate": settings.TOWNHALL_VOTER_CHECK_FAILURE_RATE,
    }
    failures_check(
        **ceiling,
        reason=_(
            "Too many codes or details that do not match have been entered for this vote, "
            "so we have paused checking them to keep the vote safe. This is not because of "
            "anything you did."
        ),
    )
    key = (
        voter_code_key(budget, code)
        if code
        else _register_key(budget, surname, postcode, date_of_birth)
    )
    voter = EligibleVoter.objects.filter(budget=budget, key_hash=key).first()
    if voter is None:
        failure_record(**ceiling)
        raise NotEligible(
            _("We could not match those details. Check them, or use the code we posted to you.")
        )
    if Ballot.objects.filter(voter=voter).exists():
        raise AlreadyVoted(_("A ballot has already been cast with these details."))
    return voter


def ballot_cast(*, budget: Budget, voter: EligibleVoter, project_ids: Iterable[int]) -> Ballot:
    """Cast the voter's one ballot: within the budget (knapsack) or up to N projects (approval)."""
    budget.refresh_from_db(fields=["phase"])
    if budget.phase != Phase.VOTING:
        raise BallotInvalid(_("Voting is not open."))
    chosen = list(
        budget.projects.filter(
            pk__in=list(project_ids), assessment=BudgetProject.Assessment.FEASIBLE
        )
    )
    if not chosen:
        raise BallotInvalid(_("Choose at least one project."))
    if budget.ballot_kind == Budget.BallotKind.KNAPSACK:
        total = sum(project.cost_pence for project in chosen)
        if total > budget.total_pence:
            raise BallotInvalid(
                _("Your choices cost %(total)s, more than the %(budget)s budget. Remove a project.")
                % {"total": pounds(total), "budget": pounds(budget.total_pence)}
            )
    elif len(chosen) > budget.approvals_allowed:
        raise BallotInvalid(
            _("Choose up to %(count)d projects.") % {"count": budget.approvals_allowed}
        )
    try:
        with transaction.atomic():
            ballot = Ballot.objects.create(budget=budget, voter=voter)
            ballot.projects.set(chosen)
    except IntegrityError:
        raise AlreadyVoted(_("A ballot has already been cast with these details.")) from None
    return ballot
