"""Who may do what in leadership: the permission matrix, through the services and pages."""

from datetime import date

import pytest

from tests.leadership.factories import DecisionFactory, LeaderFactory
from townhall.core.permissions import PermissionDenied, can
from townhall.leadership import services

pytestmark = pytest.mark.django_db

ROLES = ("decisions_officer", "chief_digital_officer", "administrator", "councillor", "resident")


@pytest.mark.parametrize(
    ("action", "allowed"),
    [
        ("leadership.manage_decisions", {"decisions_officer", "administrator"}),
        ("leadership.manage_board", {"decisions_officer", "administrator"}),
        ("leadership.see_councillor_briefing", {"councillor", "administrator"}),
        (
            "leadership.manage_leaders",
            {"decisions_officer", "chief_digital_officer", "administrator"},
        ),
    ],
)
@pytest.mark.parametrize("role", ROLES)
def test_the_gate_allows_each_action_to_its_roles_only(person, action, allowed, role):
    assert can(person(role), action) is (role in allowed)


def test_an_anonymous_visitor_may_do_nothing(db):
    from django.contrib.auth.models import AnonymousUser

    assert not can(AnonymousUser(), "leadership.manage_decisions")


@pytest.mark.parametrize("role", ["councillor", "resident", "chief_digital_officer"])
def test_the_services_refuse_people_who_may_not_keep_decisions(person, portfolio, role):
    with pytest.raises(PermissionDenied):
        services.decision_create(
            actor=person(role),
            portfolio=portfolio,
            maker="cabinet",
            maker_name="Cabinet",
            decided_on=date(2026, 6, 1),
            status="made",
            title="T",
            summary="S",
            options="O",
            reasons="R",
        )
    with pytest.raises(PermissionDenied):
        services.decision_publish(actor=person(role), decision=DecisionFactory(published=False))


@pytest.mark.parametrize("role", ["councillor", "resident"])
def test_the_services_refuse_people_who_may_not_keep_leaders(person, role):
    with pytest.raises(PermissionDenied):
        services.leader_remove(actor=person(role), leader=LeaderFactory())


@pytest.mark.parametrize(
    "path",
    [
        "/leadership/manage/decisions/",
        "/leadership/manage/decisions/new/",
        "/leadership/manage/portfolios/",
        "/leadership/manage/leaders/",
        "/leadership/manage/leaders/new/",
    ],
)
def test_staff_pages_send_visitors_to_sign_in_and_refuse_residents(client, resident, path):
    assert client.get(path).status_code == 302
    client.force_login(resident)
    assert client.get(path).status_code == 403


def test_the_workspace_lists_the_tools_to_a_decisions_officer(client, officer):
    client.force_login(officer)

    page = client.get("/manage/").text

    assert "Decisions register" in page
    assert "Who leads digital" in page
