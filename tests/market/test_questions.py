"""Clarification questions: asked privately before their deadline, answered anonymised and
published to everyone at once."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.market.factories import ChallengeFactory, QuestionFactory
from townhall.core.models import AuditEntry
from townhall.core.permissions import PermissionDenied
from townhall.market import selectors, services

pytestmark = pytest.mark.django_db


def test_a_question_is_private_until_answered(client, supplier, challenge):
    services.question_ask(actor=supplier.account, challenge=challenge, text="Who collects?")

    page = client.get(reverse("market:challenge_detail", args=[challenge.slug]))

    assert "Who collects?" not in page.text
    assert not selectors.published_questions(challenge).exists()


def test_a_question_after_its_deadline_is_refused_showing_it(supplier):
    late = ChallengeFactory(
        questions_deadline=timezone.make_aware(timezone.datetime(2026, 3, 2, 12, 0)),
    )

    with pytest.raises(services.DeadlinePassed, match="2 March 2026, midday"):
        services.question_ask(actor=supplier.account, challenge=late, text="Too late?")


def test_the_published_answer_never_shows_who_asked(client, officer, supplier, challenge):
    question = QuestionFactory(challenge=challenge, supplier=supplier, text="Kestrel asks: why?")

    services.question_answer(
        actor=officer,
        question=question,
        published_question="Why?",
        answer="Because.",
        answer_cy="Oherwydd.",
        publish=True,
    )
    page = client.get(reverse("market:challenge_detail", args=[challenge.slug]))

    assert "Why?" in page.text and "Because." in page.text
    assert "Kestrel" not in page.text
    assert AuditEntry.objects.filter(action="market.question_answer").exists()


def test_every_reader_sees_the_same_answers(client, officer, supplier, rival, challenge):
    question = QuestionFactory(challenge=challenge, supplier=supplier)
    services.question_answer(
        actor=officer, question=question, published_question="Q?", answer="A.", publish=True
    )
    seen = []
    for reader in (supplier.account, rival.account, None):
        client.logout()
        if reader:
            client.force_login(reader)
        page = client.get(reverse("market:challenge_detail", args=[challenge.slug]))
        seen.append(page.text.count("A."))

    assert seen[0] == seen[1] == seen[2] >= 1


def test_a_supplier_never_sees_another_suppliers_question(client, supplier, rival, challenge):
    QuestionFactory(challenge=challenge, supplier=rival, text="Rival's private question")
    client.force_login(supplier.account)

    detail = client.get(reverse("market:challenge_detail", args=[challenge.slug]))
    home = client.get(reverse("market:supplier_home"))

    assert "private question" not in detail.text
    assert "private question" not in home.text
    assert not selectors.own_questions(supplier.account).exists()


def test_publishing_is_refused_without_an_answer(officer, challenge):
    question = QuestionFactory(challenge=challenge)

    with pytest.raises(services.QuestionInvalid, match="Write the answer"):
        services.question_answer(
            actor=officer, question=question, published_question="Q?", answer="", publish=True
        )

    question.refresh_from_db()
    assert question.published_at is None


def test_only_the_procurement_team_answers(supplier, challenge):
    question = QuestionFactory(challenge=challenge)

    with pytest.raises(PermissionDenied):
        services.question_answer(
            actor=supplier.account, question=question, published_question="Q", answer="A"
        )


def test_questions_close_before_responses(supplier):
    challenge = ChallengeFactory(questions_deadline=timezone.now() - timedelta(hours=1))

    with pytest.raises(services.DeadlinePassed):
        services.question_ask(actor=supplier.account, challenge=challenge, text="Q?")
    services.response_submit(actor=supplier.account, challenge=challenge, summary="Still fine")
