"""The staff workspace ("Manage"): each person sees the tools their roles allow, from every
module's manifest, and the work waiting for them; nobody else gets the link."""

import pytest
from django.urls import reverse

from townhall.core.registry import Manifest, StaffTool, WorkItem, WorkWaiting, registry
from townhall.core.selectors.workspace import staff_tools_for, work_waiting_for

pytestmark = pytest.mark.django_db

MANAGE_LINK = f'href="{reverse("core:workspace")}"'


def _tool_labels(person) -> set[str]:
    return {tool.label for group in staff_tools_for(person) for tool in group.tools}


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        ("administrator", {"People and roles", "Datasets", "Consultations", "Moderation queue"}, set()),
        ("data_publisher", {"Datasets", "Transparency Code", "API tokens"}, {"People and roles", "Consultations"}),
        ("consultation_lead", {"Consultations", "New consultation", "Proposals", "New participatory budget"}, {"Moderation queue", "Datasets"}),
        ("moderator", {"Moderation queue"}, {"Consultations", "People and roles"}),
        ("officer", {"Consultations"}, {"New consultation", "Datasets"}),
    ],
)  # fmt: skip
def test_workspace_lists_the_tools_each_role_allows(person, role, shown, hidden):
    labels = _tool_labels(person(role))

    assert shown <= labels
    assert not hidden & labels


@pytest.mark.parametrize("role", ["resident", "councillor"])
def test_people_without_staff_tools_get_no_manage_link_and_no_workspace(client, person, role):
    client.force_login(person(role))

    assert MANAGE_LINK not in client.get(reverse("core:home")).text
    assert client.get(reverse("core:workspace")).status_code == 403


def test_workspace_asks_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("core:workspace"))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_consultation_lead_gets_manage_in_the_service_navigation(client, person):
    client.force_login(person("consultation_lead"))

    home = client.get(reverse("core:home")).text
    page = client.get(reverse("core:workspace"))

    assert MANAGE_LINK in home
    assert page.status_code == 200
    assert f'href="{reverse("participation:manage_list")}"' in page.text
    assert '<h1 class="govuk-heading-xl">Manage</h1>' in page.text


def test_workspace_is_served_in_welsh_with_welsh_links(client, person):
    client.force_login(person("consultation_lead"))

    page = client.get("/cy/manage/")

    assert page.status_code == 200
    assert '<html lang="cy"' in page.text
    assert 'href="/cy/consultations/manage/"' in page.text
    assert "Rheoli" in page.text


def test_work_waiting_is_counted_only_for_people_the_gate_allows(person, monkeypatch):
    counted = []

    def count(who):
        counted.append(who)
        return [WorkItem(count=2, label="2 things", url="/")]

    monkeypatch.setattr(
        registry,
        "_manifests",
        {
            "core": registry.get("core"),
            "extra": Manifest(
                app_label="extra",
                name="Extra",
                staff_tools=(
                    StaffTool(label="Thing", url_name="core:home", action="core.manage_people"),
                ),
                work_waiting=(WorkWaiting(action="core.manage_people", items=count),),
            ),
        },
    )
    moderator, administrator = person("moderator"), person("administrator")

    assert work_waiting_for(moderator) == []
    assert [item.label for item in work_waiting_for(administrator)] == ["2 things"]
    assert counted == [administrator]


def test_nothing_waiting_says_so(client, person):
    client.force_login(person("officer"))

    assert "Nothing is waiting for you." in client.get(reverse("core:workspace")).text


def test_every_staff_tool_of_every_installed_module_is_a_townhall_page_not_the_admin_site():
    tools = [tool for _manifest, listed in registry.staff_tools() for tool in listed]

    assert tools
    assert [tool.url_name for tool in tools if tool.url_name.startswith("admin:")] == []
    for tool in tools:
        assert reverse(tool.url_name)
