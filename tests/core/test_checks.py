"""Start-up checks on the module contract: the manifests must agree with one another."""

import pytest

from townhall.core.checks import check_actions_name_declared_roles, check_roles_declared_once
from townhall.core.registry import Action, Manifest, Role, registry


@pytest.fixture
def install():
    """Register throwaway manifests for one test, then take them away again."""
    labels = []

    def register(manifest: Manifest) -> None:
        labels.append(manifest.app_label)
        registry.register(manifest)

    yield register
    for label in labels:
        registry._manifests.pop(label)


def test_installed_modules_pass_the_role_checks():
    assert check_actions_name_declared_roles(None) == []
    assert check_roles_declared_once(None) == []


def test_check_fails_when_an_action_names_a_role_no_manifest_declares(install):
    install(
        Manifest(
            app_label="ferry",
            name="Ferry",
            actions=(Action(name="ferry.sail", description="Sail", roles=("ferry_captain",)),),
        )
    )
    errors = check_actions_name_declared_roles(None)
    assert [error.id for error in errors] == ["townhall.core.E013"]
    assert "ferry.sail" in errors[0].msg and "ferry_captain" in errors[0].msg


def test_check_fails_when_two_modules_declare_the_same_role(install):
    install(Manifest(app_label="ferry", name="Ferry", roles=(Role(slug="moderator", name="M"),)))
    errors = check_roles_declared_once(None)
    assert [error.id for error in errors] == ["townhall.core.E014"]
    assert "ferry" in errors[0].msg and "participation" in errors[0].msg
