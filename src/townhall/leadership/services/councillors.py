"""Which of elections' councillors a person's account belongs to (their councillor's home
shows their ward from it)."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from townhall.core import permissions, roles
from townhall.core.permissions import require

from ..models import CouncillorAccount
from ..selectors import serving_councillor
from ._common import MANAGE_DECISIONS, LeadershipError


class CouncillorInvalid(LeadershipError):
    """A link between a councillor and an account that cannot be made."""


def councillor_account_link(*, actor: Any, councillor_id: int, member: Any) -> None:
    """Link a serving councillor to their account (None unlinks it). An account belongs to
    one councillor: linking it again moves the link. Kept by those who keep portfolios.

    Raises CouncillorInvalid for a councillor not serving today (or elections not
    installed) and for an account that is not an active councillor's.
    """
    require(actor, MANAGE_DECISIONS)
    if serving_councillor(councillor_id) is None:
        raise CouncillorInvalid(_("Choose a councillor serving today"), field="councillor")
    if member is not None and (
        not member.is_active or roles.COUNCILLOR not in permissions.roles_of(member)
    ):
        raise CouncillorInvalid(
            _("Choose the account of a councillor who can sign in"), field="account"
        )
    with transaction.atomic():
        CouncillorAccount.objects.filter(councillor_id=councillor_id).delete()
        if member is not None:
            CouncillorAccount.objects.update_or_create(
                user=member, defaults={"councillor_id": councillor_id}
            )
