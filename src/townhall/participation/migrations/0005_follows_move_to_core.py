"""Every follow of a proposal or consultation becomes a core subscription, keeping the
person's chosen frequency (and their updates still waiting for a digest) and reading in
their own language; migration 0006 then removes participation's own tables."""

from django.conf import settings
from django.db import migrations
from django.utils import timezone

FOLLOWS = (
    ("proposal", "Follow", "proposal_id"),
    ("consultation", "ConsultationFollow", "consultation_id"),
)


def to_core(apps, schema_editor):
    subscription = apps.get_model("core", "Subscription")
    preference = apps.get_model("core", "NotificationPreference")
    waiting = apps.get_model("core", "PendingNotification")
    user = apps.get_model(settings.AUTH_USER_MODEL)
    chosen = dict(
        apps.get_model("participation", "NotificationPreference").objects.values_list(
            "person_id", "frequency"
        )
    )
    preference.objects.bulk_create(
        [preference(person_id=person, frequency=frequency) for person, frequency in chosen.items()],
        ignore_conflicts=True,
    )
    now = timezone.now()
    for kind, model, field in FOLLOWS:
        follows = apps.get_model("participation", model).objects.order_by("pk")
        for start in range(0, follows.count(), 1000):
            batch = list(follows.values_list("person_id", field)[start : start + 1000])
            languages = dict(
                user.objects.filter(pk__in={person for person, _key in batch}).values_list(
                    "pk", "preferred_language"
                )
            )
            subscription.objects.bulk_create(
                [
                    subscription(
                        person_id=person,
                        kind=kind,
                        key=str(key),
                        frequency=chosen.get(person, "immediately"),
                        language=languages.get(person) or settings.LANGUAGE_CODE,
                        confirmed_at=now,
                    )
                    for person, key in batch
                ],
                ignore_conflicts=True,
            )
    # An update waiting for a digest goes with one of its person's subscriptions: the
    # digest is one email per person, whichever subscription carries it.
    carrier = {}
    for pk, person in subscription.objects.filter(person__isnull=False).values_list(
        "pk", "person_id"
    ):
        carrier.setdefault(person, pk)
    old_waiting = apps.get_model("participation", "PendingNotification").objects.order_by(
        "created_at", "pk"
    )
    waiting.objects.bulk_create(
        [
            waiting(
                subscription_id=carrier[item.person_id], frequency=item.frequency, text=item.text
            )
            for item in old_waiting
            if item.person_id in carrier
        ]
    )


def to_participation(apps, schema_editor):
    subscription = apps.get_model("core", "Subscription")
    followed = subscription.objects.filter(
        person__isnull=False, kind__in=[kind for kind, _model, _field in FOLLOWS]
    )
    for kind, model, field in FOLLOWS:
        apps.get_model("participation", model).objects.bulk_create(
            [
                apps.get_model("participation", model)(person_id=person, **{field: int(key)})
                for person, key in followed.filter(kind=kind).values_list("person_id", "key")
            ],
            ignore_conflicts=True,
        )
    preference = apps.get_model("core", "NotificationPreference")
    apps.get_model("participation", "NotificationPreference").objects.bulk_create(
        [
            apps.get_model("participation", "NotificationPreference")(
                person_id=person, frequency=frequency
            )
            for person, frequency in preference.objects.values_list("person_id", "frequency")
        ],
        ignore_conflicts=True,
    )
    apps.get_model("participation", "PendingNotification").objects.bulk_create(
        [
            apps.get_model("participation", "PendingNotification")(
                person_id=person, frequency=frequency, text=text
            )
            for person, frequency, text in apps.get_model("core", "PendingNotification")
            .objects.filter(subscription__in=followed)
            .order_by("created_at", "pk")
            .values_list("subscription__person_id", "frequency", "text")
        ]
    )
    followed.delete()
    preference.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0004_authors_kept_when_accounts_are_erased"),
        ("core", "0007_subscriptions"),
    ]

    operations = [migrations.RunPython(to_core, to_participation)]
