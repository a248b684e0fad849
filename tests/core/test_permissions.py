"""The permission gate: who may do what, as a matrix of roles and actions."""

import pytest

from townhall.core.permissions import PermissionDenied, UnknownAction, can, require
from townhall.core.registry import Action, Manifest, registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def probe_actions():
    """A throwaway module declaring actions, so the gate is tested apart from real modules."""

    def owns(user, obj):
        return obj is not None and obj.get("owner") == user.pk

    registry.register(
        Manifest(
            app_label="probe",
            name="Probe",
            actions=(
                Action(name="probe.read", description="Read", roles=("public",)),
                Action(name="probe.moderate", description="Moderate", roles=("moderator",)),
                Action(
                    name="probe.edit_own", description="Edit own", roles=("resident",), check=owns
                ),
            ),
        )
    )
    yield
    registry._manifests.pop("probe")


@pytest.mark.parametrize(
    ("roles", "action", "allowed"),
    [
        ((), "probe.read", True),
        ((), "probe.moderate", False),
        (("resident",), "probe.moderate", False),
        (("moderator",), "probe.moderate", True),
        (("administrator",), "probe.moderate", True),
        (("officer",), "probe.moderate", False),
    ],
)
def test_gate_allows_only_the_roles_an_action_names(person, probe_actions, roles, action, allowed):
    assert can(person(*roles), action) is allowed


def test_gate_lets_anonymous_visitors_do_only_public_actions(probe_actions):
    from django.contrib.auth.models import AnonymousUser

    assert can(AnonymousUser(), "probe.read")
    assert not can(AnonymousUser(), "probe.moderate")
    assert not can(None, "probe.moderate")


def test_gate_denies_a_deactivated_administrator(person, probe_actions):
    admin = person("administrator", is_active=False)
    assert not can(admin, "probe.moderate")


def test_gate_applies_the_actions_object_check(person, probe_actions):
    resident = person("resident")
    assert can(resident, "probe.edit_own", {"owner": resident.pk})
    assert not can(resident, "probe.edit_own", {"owner": resident.pk + 1})


def test_gate_refuses_to_answer_for_an_undeclared_action(person, probe_actions):
    with pytest.raises(UnknownAction):
        can(person("administrator"), "probe.launch_rockets")


def test_require_raises_permission_denied_naming_the_action(person, probe_actions):
    with pytest.raises(PermissionDenied) as denied:
        require(person("resident"), "probe.moderate")
    assert denied.value.action == "probe.moderate"


def test_every_declared_role_exists_as_a_group():
    from django.contrib.auth.models import Group

    from townhall.core.roles import ROLE_SLUGS

    assert set(Group.objects.values_list("name", flat=True)) >= ROLE_SLUGS


def test_every_action_names_only_known_roles():
    from townhall.core.roles import ROLE_SLUGS

    for action in registry.actions().values():
        assert set(action.roles) <= ROLE_SLUGS | {"public"}, action.name


def test_a_view_that_is_refused_answers_403_not_an_error(rf, person, probe_actions):
    from django.core.handlers.exception import response_for_exception

    request = rf.get("/probe/")
    request.user = person("resident")
    try:
        require(request.user, "probe.moderate")
    except PermissionDenied as denied:
        response = response_for_exception(request, denied)
    assert response.status_code == 403


@pytest.mark.parametrize("action", sorted(registry.actions()))
@pytest.mark.parametrize("role", ["resident", "officer", "administrator"])
def test_every_declared_action_is_decided_by_its_roles(person, action, role):
    declared = registry.actions()[action]
    expected = (
        role == "administrator"
        or "public" in declared.roles
        or (role in declared.roles and declared.check is None)
    )
    if declared.check is not None and role != "administrator" and "public" not in declared.roles:
        pytest.skip("decided per object by the action's own check")
    assert can(person(role), action) is expected
