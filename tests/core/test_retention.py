"""Personal data is kept no longer than the retention periods say."""

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from townhall.core.models import User
from townhall.core.services.accounts import accounts_purge_unverified, person_create

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


def _joined_days_ago(user: User, days: int) -> None:
    User.objects.filter(pk=user.pk).update(
        date_joined=timezone.now() - timezone.timedelta(days=days)
    )


def test_retention_keeps_a_person_created_without_any_email_address_record():
    """Accounts made by `createsuperuser`-like tools or before allauth: not sign-ups."""
    user = User.objects.create_user("made.by.hand@example.org")
    _joined_days_ago(user, 400)

    assert accounts_purge_unverified(older_than_days=30) == 0
    assert User.objects.filter(pk=user.pk).exists()


def test_retention_keeps_a_person_an_administrator_added(administrator):
    added = person_create(actor=administrator, email="councillor@northbridge.example")
    _joined_days_ago(added, 400)

    assert accounts_purge_unverified(older_than_days=30) == 0
    assert User.objects.filter(pk=added.pk).exists()


def test_retention_keeps_a_person_with_one_confirmed_address_among_unconfirmed_ones():
    user = _sign_up("two@example.org", days_ago=400, verified=True)
    EmailAddress.objects.create(user=user, email="second@example.org", verified=False)

    assert accounts_purge_unverified(older_than_days=30) == 0
    assert User.objects.filter(pk=user.pk).exists()
