"""Upgrading keeps every follow: participation's follows become core subscriptions,
with each person's frequency, language and updates waiting for a digest."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [
    ("participation", "0004_authors_kept_when_accounts_are_erased"),
    ("core", "0007_subscriptions"),
]
AFTER = [("participation", "0006_remove_follows_now_in_core")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_latest(transactional_db):
    """Whatever the test does to the schema, the next test finds it fully migrated."""
    yield
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_existing_follows_become_subscriptions_keeping_frequency_and_language(back_to_latest):
    old = _migrate(BEFORE)
    now = timezone.now()
    user = old.get_model("core", "User")
    welsh = user.objects.create(email="cy@example.org", preferred_language="cy")
    english = user.objects.create(email="en@example.org")
    author = user.objects.create(email="lead@example.org")
    consultation = old.get_model("participation", "Consultation").objects.create(
        slug="parks", title="Parks", author=author, opens_at=now, closes_at=now + timedelta(days=1)
    )
    process = old.get_model("participation", "ProposalProcess").objects.create(
        slug="ideas", title="Ideas"
    )
    proposal = old.get_model("participation", "Proposal").objects.create(
        process=process, title="Benches", body="More", author=english
    )
    old.get_model("participation", "ConsultationFollow").objects.create(
        consultation=consultation, person=welsh
    )
    old.get_model("participation", "Follow").objects.create(proposal=proposal, person=english)
    old.get_model("participation", "NotificationPreference").objects.create(
        person=welsh, frequency="weekly"
    )
    old.get_model("participation", "PendingNotification").objects.create(
        person=welsh, frequency="weekly", text="Parks has closed"
    )

    new = _migrate(AFTER)

    subscriptions = new.get_model("core", "Subscription").objects.order_by("kind")
    assert [
        (s.kind, s.key, s.person_id, s.frequency, s.language, s.confirmed_at is not None)
        for s in subscriptions
    ] == [
        ("consultation", str(consultation.pk), welsh.pk, "weekly", "cy", True),
        ("proposal", str(proposal.pk), english.pk, "immediately", "en-gb", True),
    ]
    waiting = new.get_model("core", "PendingNotification").objects.get()
    assert (waiting.subscription.person_id, waiting.text) == (welsh.pk, "Parks has closed")
    assert new.get_model("core", "NotificationPreference").objects.get().person_id == welsh.pk

    _migrate(BEFORE)
    assert old.get_model("participation", "ConsultationFollow").objects.count() == 1
    assert old.get_model("participation", "Follow").objects.count() == 1
    assert old.get_model("participation", "PendingNotification").objects.count() == 1
