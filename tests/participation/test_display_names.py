"""A resident without a display name is asked for one before their first public
contribution, and what they write is shown with that name, never their email address."""

import pytest
from django.urls import reverse

from townhall.participation import services
from townhall.participation.models import Comment, Proposal, ProposalProcess

pytestmark = pytest.mark.django_db


@pytest.fixture
def process():
    return ProposalProcess.objects.create(slug="parks-ideas", title="Ideas for our parks")


@pytest.fixture
def nameless(person):
    return person("resident", display_name="", email="jo.bloggs@example.org")


def _name_page(next_url: str) -> str:
    from urllib.parse import urlencode

    return f"{reverse('core:display_name')}?{urlencode({'next': next_url})}"


def test_a_resident_without_a_name_is_asked_for_one_before_proposing(client, nameless, process):
    client.force_login(nameless)
    new = reverse("participation:proposal_new", args=[process.slug])

    asked = client.get(new)
    back = client.post(reverse("core:display_name"), {"display_name": "Jo", "next": new})

    assert asked["Location"] == _name_page(new)
    assert back["Location"] == new
    assert client.get(new).status_code == 200


def test_a_resident_without_a_name_is_asked_for_one_before_commenting(
    client, nameless, person, process
):
    proposal = services.proposal_submit(
        actor=person("resident"), process=process, title="Benches", body="More benches."
    )
    detail = reverse("participation:proposal_detail", args=[process.slug, proposal.pk])
    client.force_login(nameless)

    page = client.get(detail)
    posted = client.post(
        reverse("participation:proposal_act", args=[process.slug, proposal.pk, "comment"]),
        {"body": "Yes please"},
    )

    assert f'href="{_name_page(detail)}"' in page.text
    assert "Post comment" not in page.text
    assert posted["Location"] == _name_page(detail)
    assert not Comment.objects.exists()


def test_the_services_refuse_public_contributions_without_a_name(nameless, person, process):
    with pytest.raises(services.DisplayNameNeeded):
        services.proposal_submit(actor=nameless, process=process, title="T", body="B")
    proposal = services.proposal_submit(
        actor=person("resident"), process=process, title="T", body="B"
    )
    with pytest.raises(services.DisplayNameNeeded) as refused:
        services.comment_add(actor=nameless, proposal=proposal, body="Hello")
    assert refused.value.code == "display_name_required"


def test_proposals_and_comments_show_the_authors_chosen_name_not_their_email(
    client, person, process
):
    author = person("resident", display_name="Jo Bloggs", email="jo.bloggs@example.org")
    proposal = services.proposal_submit(actor=author, process=process, title="T", body="B")
    services.comment_add(actor=author, proposal=proposal, body="A comment")
    Proposal.objects.filter(pk=proposal.pk).update()

    page = client.get(reverse("participation:proposal_detail", args=[process.slug, proposal.pk]))

    assert "Jo Bloggs" in page.text
    assert "jo.bloggs" not in page.text
