"""The personal-data contract over the real registry: every installed model that points at
a person is declared, every demo person can download all their records and be erased
without a trace, and start-up refuses a module that leaves a gap."""

import json

import pytest
from django.apps import apps
from django.conf import settings
from django.core.checks import Error
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import models
from django.test import override_settings

from townhall.core.checks import check_personal_records_declared
from townhall.core.demo import build_demo
from townhall.core.models import User
from townhall.core.registry import Erasure, PersonalRecords, registry
from townhall.core.services.accounts import (
    AccountIsLastAdministrator,
    account_erase,
    account_export,
)

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField, models.FileField)


@pytest.fixture
def demo(db):
    build_demo(size="small", report=lambda line: None)


def _is_last_administrator(person: User) -> bool:
    administrators = User.objects.filter(is_active=True).filter(
        models.Q(is_superuser=True) | models.Q(groups__name="administrator")
    )
    return set(administrators.values_list("pk", flat=True)) == {person.pk}


def _identifying(person: User) -> set[str]:
    return {text for text in (person.email, person.display_name) if text}


def _stored_text() -> list[tuple[str, str]]:
    """Every text value of every installed model, with where it is, except the records a
    manifest declares kept as they are (Erasure.RETAIN: the append-only audit log)."""
    retained = {
        records.model.lower()
        for records in registry.personal_records()
        if records.erasure == Erasure.RETAIN
    }
    found = []
    for model in apps.get_models():
        if model._meta.label_lower in retained:
            continue
        names = [
            field.attname for field in model._meta.concrete_fields if isinstance(field, TEXT_FIELDS)
        ]
        for row in model._base_manager.values_list(*names) if names else ():
            for name, value in zip(names, row, strict=True):
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                found.append((f"{model._meta.label}.{name}", text))
    return found


def test_every_relation_to_a_person_is_declared_by_the_installed_modules():
    assert check_personal_records_declared(None) == []


def test_every_demo_person_can_be_erased_without_a_trace(demo):
    threads_before = _thread_counts()
    kept, erased = [], set()

    for person in User.objects.order_by("pk"):
        if _is_last_administrator(person):
            with pytest.raises(AccountIsLastAdministrator):
                account_erase(user=person)
            kept.append(person.pk)
            continue
        erased |= _identifying(person)
        account_erase(user=person)

    assert list(User.objects.values_list("pk", flat=True)) == kept
    stored = _stored_text()
    for needle in erased:
        traces = sorted({where for where, text in stored if needle in text})
        assert traces == [], f"{needle} is still stored in {traces}"
    assert _thread_counts() == threads_before


def _thread_counts() -> dict[str, int]:
    """How many proposals, comments, responses and ballots there are: erasing people
    keeps what the council and other residents rely on."""
    return {
        label: apps.get_model(label)._base_manager.count()
        for label in (
            "participation.Proposal",
            "participation.Comment",
            "participation.Response",
            "participation.Ballot",
            "participation.BudgetProject",
        )
    }


def test_every_demo_persons_download_holds_every_module_s_records_about_them(demo):
    found = set()

    for person in User.objects.order_by("pk"):
        download = json.loads(json.dumps(account_export(user=person), ensure_ascii=False))
        for manifest in registry:
            for records in manifest.personal_records:
                held = records.records(person).count()
                if held:
                    assert len(download["modules"][manifest.app_label][records.key]) == held
                    found.add(f"{records.model}.{records.owner_field}")

    assert {
        "participation.Response.respondent",
        "participation.Proposal.author",
        "participation.Comment.author",
        "participation.Support.person",
        "core.Subscription.person",
        "participation.BudgetProject.proposer",
        "participation.Consultation.author",
        "opendata.Dataset.created_by",
        "account.EmailAddress.user",
    } <= found


def test_a_demo_resident_who_commented_finds_the_comment_in_their_download(demo):
    comment = apps.get_model("participation.Comment").objects.exclude(author=None).first()

    download = account_export(user=comment.author)

    bodies = [held["body"] for held in download["modules"]["participation"]["comments"]]
    assert comment.body in bodies


@pytest.fixture
def incomplete_module():
    """A module installed as a council might install one: listed, with a model pointing at
    a person, but with no manifest and so no declaration."""
    module = "tests.core.incomplete_module"
    with override_settings(
        INSTALLED_APPS=[*settings.INSTALLED_APPS, module],
        TOWNHALL_MODULES=[*settings.TOWNHALL_MODULES, module],
    ):
        yield


# Django's own model checks ask the database connection what it supports (JSONField).
@pytest.mark.django_db
def test_start_up_fails_naming_the_model_when_a_module_leaves_a_person_undeclared(
    incomplete_module,
):
    with pytest.raises(SystemCheckError) as failure:
        call_command("check")

    message = str(failure.value)
    assert "townhall.core.E010" in message
    assert "incomplete_module.Note.author points at a person" in message


# Django's own model checks ask the database connection what it supports (JSONField).
@pytest.mark.django_db
def test_start_up_fails_when_a_module_has_no_manifest(incomplete_module):
    with pytest.raises(SystemCheckError) as failure:
        call_command("check")

    assert "townhall.core.E001" in str(failure.value)
    assert "tests.core.incomplete_module has no registered manifest" in str(failure.value)


@pytest.mark.parametrize(
    ("declaration", "problem"),
    [
        (
            PersonalRecords(
                model="participation.Support",
                owner_field="proposal",
                key="x",
                label="X",
                erasure=Erasure.DELETE,
            ),
            "does not point at the user model",
        ),
        (
            PersonalRecords(
                model="opendata.ApiToken",
                owner_field="user",
                key="x",
                label="X",
                erasure=Erasure.ANONYMISE,
                reason="Kept",
            ),
            "the field cannot be empty",
        ),
        (
            PersonalRecords(
                model="nonesuch.Thing",
                owner_field="user",
                key="x",
                label="X",
                erasure=Erasure.DELETE,
            ),
            "not installed",
        ),
        (
            PersonalRecords(
                model="core.AuditEntry",
                owner_field="actor",
                key="x",
                label="X",
                erasure=Erasure.RETAIN,
            ),
            "no reason",
        ),
        (
            PersonalRecords(
                model="participation.Support",
                owner_field="person",
                key="x",
                label="X",
                erasure=Erasure.CUSTOM,
            ),
            "no erase callable",
        ),
    ],
    ids=["not-a-person", "anonymise-not-null", "unknown-model", "retain-no-reason", "custom"],
)
def test_start_up_fails_on_a_declaration_that_cannot_work(monkeypatch, declaration, problem):
    from townhall.core.registry import Manifest

    monkeypatch.setitem(
        registry._manifests,
        "careless",
        Manifest(app_label="careless", name="Careless", personal_records=(declaration,)),
    )

    errors = [
        error for error in check_personal_records_declared(None) if error.id == "townhall.core.E011"
    ]

    assert len(errors) >= 1 and all(isinstance(error, Error) for error in errors)
    assert any(problem in error.msg for error in errors)
