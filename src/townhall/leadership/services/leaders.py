"""Who leads digital, and the cabinet portfolios decisions belong to."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from townhall.core.permissions import require

from ..models import (
    Leader,
    Portfolio,
)
from ._common import (
    MANAGE_DECISIONS,
    MANAGE_LEADERS,
    LeaderInvalid,
    PortfolioInvalid,
    _set_translated,
    _unique_slug,
    _validated,
)

LEADER_TEXT = ("job_title", "directorate", "remit")


def leader_create(*, actor: Any, **fields: Any) -> Leader:
    """Add someone who leads digital. `fields` are the leader form's: kind, name, email,
    position, and job_title, directorate and remit each with its `_cy` twin."""
    require(actor, MANAGE_LEADERS)
    with transaction.atomic():
        leader = Leader()
        _fill_leader(leader, fields)
        leader.save()
        return leader


def leader_edit(*, actor: Any, leader: Leader, **fields: Any) -> Leader:
    """Change a leader's details (the fields are leader_create's)."""
    require(actor, MANAGE_LEADERS)
    with transaction.atomic():
        leader = Leader.objects.select_for_update().get(pk=leader.pk)
        _fill_leader(leader, fields)
        leader.save()
        return leader


def leader_remove(*, actor: Any, leader: Leader) -> None:
    """Take someone off the list of who leads digital (the audit log keeps the record)."""
    require(actor, MANAGE_LEADERS)
    with transaction.atomic():
        leader.delete()


def _fill_leader(leader: Leader, fields: dict[str, Any]) -> None:
    leader.kind = fields["kind"]
    leader.name = " ".join((fields.get("name") or "").split())
    leader.email = (fields.get("email") or "").strip()
    leader.position = fields.get("position") or 0
    _set_translated(
        leader,
        {name: fields.get(name, "") for base in LEADER_TEXT for name in (base, f"{base}_cy")},
    )
    if leader.kind == Leader.Kind.CHAMPION and not leader.directorate_en_gb:
        raise LeaderInvalid(_("Enter the directorate this person champions"), field="directorate")
    _validated(leader, LeaderInvalid)


def portfolio_create(*, actor: Any, name: str, name_cy: str = "") -> Portfolio:
    """Add a cabinet portfolio decisions can belong to; its address comes from its name."""
    require(actor, MANAGE_DECISIONS)
    with transaction.atomic():
        portfolio = Portfolio()
        _set_translated(portfolio, {"name": name, "name_cy": name_cy})
        if not portfolio.name_en_gb:
            raise PortfolioInvalid(_("Enter the portfolio's name in English"), field="name")
        portfolio.slug = _unique_slug(Portfolio, portfolio.name_en_gb, fallback="portfolio")
        _validated(portfolio, PortfolioInvalid)
        portfolio.save()
        return portfolio
