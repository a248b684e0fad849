"""Who leads digital: a public page in English and Welsh, kept by staff from Manage."""

import pytest

from tests.leadership.factories import LeaderFactory
from townhall.core.models import AuditEntry
from townhall.leadership import selectors

pytestmark = pytest.mark.django_db


def test_the_public_page_groups_leaders_under_their_roles(client):
    LeaderFactory(kind="champion", name="Tom Richards", directorate="Place")
    LeaderFactory(kind="cabinet_member", name="Cllr Gareth Price", job_title="Cabinet member")

    page = client.get("/leadership/who-leads-digital/").text

    assert page.index("Cabinet member for digital") < page.index("Cllr Gareth Price")
    assert page.index("Digital champions") < page.index("Tom Richards")
    assert "Place" in page
    assert "Digital board" not in page  # no one on it yet


def test_the_public_page_is_in_welsh_with_english_marked_where_there_is_no_welsh(client):
    LeaderFactory(job_title="Chief digital officer", job_title_cy="Prif swyddog digidol")

    page = client.get("/cy/leadership/who-leads-digital/").text

    assert "Pwy sy’n arwain digidol yma" in page
    assert "Prif swyddog digidol" in page
    assert '<span lang="en">Owns the digital strategy.</span>' in page


def test_the_public_page_says_when_no_one_is_listed(client):
    page = client.get("/leadership/who-leads-digital/").text

    assert "The council has not yet said who leads digital." in page


def test_the_page_is_a_click_from_the_digital_leadership_section_in_the_navigation(client, db):
    home = client.get("/").text
    section = client.get("/leadership/").text

    assert '<a class="govuk-service-navigation__link" href="/leadership/">' in home
    assert 'href="/leadership/who-leads-digital/"' in section
    assert 'href="/leadership/decisions/"' in section


def test_an_officer_adds_a_leader_from_manage(client, officer):
    client.force_login(officer)

    response = client.post(
        "/leadership/manage/leaders/new/",
        {
            "kind": "champion",
            "name": "Leah Morgan",
            "job_title": "Digital champion",
            "directorate": "People",
            "directorate_cy": "Pobl",
            "remit": "Housing and libraries.",
        },
    )

    assert response.status_code == 302
    [leader] = selectors.leaders()
    assert (leader.name, leader.directorate_cy) == ("Leah Morgan", "Pobl")


def test_a_champion_without_a_directorate_is_refused_with_the_reason(client, officer):
    client.force_login(officer)

    response = client.post(
        "/leadership/manage/leaders/new/",
        {"kind": "champion", "name": "Leah", "job_title": "Champion", "remit": "Housing."},
    )

    assert "Enter the directorate this person champions" in response.text
    assert not selectors.leaders().exists()


def test_an_officer_changes_and_removes_a_leader(client, officer):
    leader = LeaderFactory(name="Anita Shah")
    client.force_login(officer)
    fields = {"kind": "chief_digital_officer", "job_title": "CDO", "remit": "Strategy."}

    client.post(f"/leadership/manage/leaders/{leader.public_id}/", {**fields, "name": "A Shah"})
    assert selectors.leaders().get().name == "A Shah"
    client.post(f"/leadership/manage/leaders/{leader.public_id}/remove/")
    assert not selectors.leaders().exists()


def test_removing_a_leader_reaches_the_audit_log(client, officer):
    leader = LeaderFactory(name="Anita Shah")
    client.force_login(officer)

    client.post(f"/leadership/manage/leaders/{leader.public_id}/remove/")

    entry = AuditEntry.objects.get(operation="delete")
    assert entry.before["name"] == "Anita Shah"
