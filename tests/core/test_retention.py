"""Personal data is kept no longer than the retention periods say."""

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from townhall.core.models import User
from townhall.core.services.accounts import accounts_purge_unverified

pytestmark = pytest.mark.django_db


def _sign_up(email: str, *, days_ago: int, verified: bool, **fields) -> User:
    user = User.objects.create_user(email, "a long enough password", **fields)
    User.objects.filter(pk=user.pk).update(
        date_joined=timezone.now() - timezone.timedelta(days=days_ago)
    )
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


def test_sign_ups_never_verified_are_erased_after_the_retention_period():
    _sign_up("stale@example.org", days_ago=31, verified=False)
    assert accounts_purge_unverified(older_than_days=30) == 1
    assert not User.objects.filter(email="stale@example.org").exists()
    assert not EmailAddress.objects.filter(email="stale@example.org").exists()


@pytest.mark.parametrize(
    ("days_ago", "verified", "fields"),
    [
        (29, False, {}),
        (400, True, {}),
        (400, False, {"is_staff": True}),
    ],
    ids=["still-within-the-period", "verified", "staff"],
)
def test_retention_keeps_accounts_it_has_no_reason_to_erase(days_ago, verified, fields):
    _sign_up("kept@example.org", days_ago=days_ago, verified=verified, **fields)
    assert accounts_purge_unverified(older_than_days=30) == 0
    assert User.objects.filter(email="kept@example.org").exists()
