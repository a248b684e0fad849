"""Demo people to sign in as: made by `townhall demo` under development settings only,
printed at its end, and refused by system checks anywhere else."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from townhall.core.checks import check_demo_accounts_setting, check_no_demo_accounts
from townhall.core.demo import build_demo
from townhall.core.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from townhall.core.models import User

pytestmark = pytest.mark.django_db

STAFF_KINDS = {
    "Administrator", "Data publisher", "Consultation lead", "Moderator", "News editor",
    "Elections officer", "Decisions officer", "Procurement officer", "Directory officer",
    "Assisted digital helper",
}  # fmt: skip


@pytest.fixture
def demo_settings(settings):
    settings.TOWNHALL_DEMO_ACCOUNTS = True
    settings.DEBUG = True
    return settings


def _printed_accounts(output: str) -> list[tuple[str, str, str]]:
    """(kind, email, password) for each person the demo command printed."""
    password = output.split('with the password "', 1)[1].split('"', 1)[0]
    kinds = {account.kind for account in DEMO_ACCOUNTS}
    printed = []
    for line in output.splitlines():
        words = line.split()
        for kind in kinds:
            if line.strip().startswith(kind + " ") and "@" in line:
                printed.append((kind, next(word for word in words if "@" in word), password))
    return printed


def test_demo_prints_sign_in_details_that_work_on_the_real_sign_in_page(demo_settings, client):
    output = call_command_output("demo", "--module", "core")
    printed = _printed_accounts(output)

    assert {kind for kind, _email, _password in printed} == {
        "Administrator", "Data publisher", "Consultation lead", "Moderator", "News editor",
        "Elections officer", "Decisions officer", "Procurement officer", "Directory officer",
        "Supplier", "Directory partner", "Assisted digital helper", "Councillor", "Cabinet member",
        "Resident",
    }  # fmt: skip
    for kind, email, password in printed:
        client.logout()
        signed_in = client.post(reverse("account_login"), {"login": email, "password": password})
        assert signed_in.status_code == 302, kind
        assert signed_in["Location"] == reverse("core:account"), kind
        workspace = client.get(reverse("core:workspace"))
        assert workspace.status_code == (200 if kind in STAFF_KINDS else 403), kind


@pytest.mark.parametrize(
    ("email", "tools"),
    [
        ("demo.news@example.org", ["news:manage_list", "news:manage_services"]),
        (
            "demo.elections@example.org",
            ["elections:manage_list", "elections:stations_list", "elections:stations_import"],
        ),
        ("demo.procurement@example.org", ["market:manage_challenges", "market:manage_pipeline"]),
    ],
)
def test_demo_news_editor_and_elections_officer_reach_their_tools_from_manage(
    demo_settings, client, email, tools
):
    build_demo("small", report=lambda line: None, modules=["core"])
    client.force_login(User.objects.get(email=email))

    workspace = client.get(reverse("core:workspace")).content.decode()

    for tool in tools:
        assert f'href="{reverse(tool)}"' in workspace, tool
        assert client.get(reverse(tool)).status_code == 200, tool


def call_command_output(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_demo_makes_no_accounts_to_sign_in_as_without_the_setting(settings):
    settings.TOWNHALL_DEMO_ACCOUNTS = False

    output = call_command_output("demo", "--module", "core")

    assert DEMO_PASSWORD not in output
    assert not User.objects.filter(email__in=[a.email for a in DEMO_ACCOUNTS]).exists()


def test_demo_accounts_are_made_again_not_twice(demo_settings):
    build_demo("small", report=lambda line: None, modules=["core"])
    build_demo("small", report=lambda line: None, modules=["core"])

    assert User.objects.filter(email__in=[a.email for a in DEMO_ACCOUNTS]).count() == len(
        DEMO_ACCOUNTS
    )


def test_system_check_refuses_demo_accounts_under_production_settings(demo_settings):
    build_demo("small", report=lambda line: None, modules=["core"])
    demo_settings.TOWNHALL_DEMO_ACCOUNTS = False
    demo_settings.DEBUG = False

    [error] = check_no_demo_accounts(None, databases=["default"])

    assert error.id == "townhall.core.E003"
    assert "demo.administrator@example.org" in error.msg


def test_system_check_passes_a_production_database_without_demo_accounts(settings):
    settings.TOWNHALL_DEMO_ACCOUNTS = False

    assert check_no_demo_accounts(None, databases=["default"]) == []


def test_system_check_refuses_the_demo_accounts_setting_on_a_server_others_can_reach(settings):
    settings.TOWNHALL_DEMO_ACCOUNTS = True
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["127.0.0.1", "council.example"]

    [error] = check_demo_accounts_setting(None)

    assert error.id == "townhall.core.E002"


def test_system_check_allows_demo_accounts_on_a_demo_served_to_this_machine_alone(settings):
    settings.TOWNHALL_DEMO_ACCOUNTS = True
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

    assert check_demo_accounts_setting(None) == []


def test_production_settings_refuse_to_serve_a_database_holding_demo_accounts(demo_settings):
    from django.core.management.base import SystemCheckError

    build_demo("small", report=lambda line: None, modules=["core"])
    demo_settings.TOWNHALL_DEMO_ACCOUNTS = False

    with pytest.raises(SystemCheckError, match=r"townhall\.core\.E003"):
        call_command("check", "--database", "default")
