"""A published decision that is changed keeps its history in view: its page says when it
changed, what changed and what it said before. Drafts have no history."""

from datetime import date

import pytest

from townhall.leadership import services

pytestmark = pytest.mark.django_db


def _fields(portfolio, **changes):
    return {
        "portfolio": portfolio,
        "maker": "cabinet",
        "maker_name": "Cabinet",
        "decided_on": date(2026, 6, 1),
        "status": "made",
        "title": "Clean air zone",
        "summary": "A zone for buses.",
        "options": "None; a zone.",
        "reasons": "Nitrogen dioxide is over the limit.",
        **changes,
    }


def test_a_change_to_a_published_decision_shows_on_its_page_with_what_it_said_before(
    client, officer, portfolio
):
    decision = services.decision_create(actor=officer, **_fields(portfolio))
    services.decision_publish(actor=officer, decision=decision)

    services.decision_edit(
        actor=officer,
        decision=decision,
        **_fields(portfolio, status="called_in", call_in="Called in by scrutiny."),
    )

    history = client.get(f"/leadership/decisions/{decision.slug}/").text.split('id="history"')[1]
    assert "Changed: call-in, status" in history
    assert ">Made</dd>" in history
    assert "Called in by scrutiny." not in history  # the new text is on the page, not here


def test_changes_to_a_draft_or_a_save_that_changes_nothing_leave_no_history(
    client, officer, portfolio
):
    decision = services.decision_create(actor=officer, **_fields(portfolio))
    services.decision_edit(actor=officer, decision=decision, **_fields(portfolio, title="New"))
    services.decision_publish(actor=officer, decision=decision)
    services.decision_edit(actor=officer, decision=decision, **_fields(portfolio, title="New"))

    page = client.get(f"/leadership/decisions/{decision.slug}/").text

    assert 'id="history"' not in page


def test_the_history_is_in_welsh(client, officer, portfolio):
    decision = services.decision_create(actor=officer, **_fields(portfolio))
    services.decision_publish(actor=officer, decision=decision)
    services.decision_edit(actor=officer, decision=decision, **_fields(portfolio, reasons="New."))

    page = client.get(f"/cy/leadership/decisions/{decision.slug}/").text

    assert "Newidiadau ers ei gyhoeddi" in page
    assert "Newidiwyd: rhesymau" in page
    assert "Nitrogen dioxide is over the limit." in page
