"""Participation's part of a person's download and erasure: what goes, what stays without
them, and how content whose author has gone is shown."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from townhall.core.services.accounts import account_erase, account_export
from townhall.participation import services
from townhall.participation.models import (
    Answer,
    Consultation,
    Moderated,
    ProposalProcess,
    Question,
    Response,
    Support,
)

from .factories import ConsultationFactory, QuestionFactory, answer_online, library_survey

pytestmark = pytest.mark.django_db
Visibility = Moderated.Visibility


@pytest.fixture
def process():
    return ProposalProcess.objects.create(slug="ideas", title="Ideas for our parks")


@pytest.fixture
def proposal(process, person):
    author = person("resident", display_name="Ada Lovelace")
    return services.proposal_submit(actor=author, process=process, title="Benches", body="More")


def _detail(proposal):
    return reverse("participation:proposal_detail", args=[proposal.process.slug, proposal.pk])


def test_erased_authors_proposals_and_comments_stay_by_a_former_participant(
    client, proposal, resident
):
    comment = services.comment_add(actor=proposal.author, proposal=proposal, body="First!")
    services.comment_add(actor=resident, proposal=proposal, body="Agreed", parent=comment)

    account_erase(user=proposal.author)

    page = client.get(_detail(proposal)).text
    assert "Ada Lovelace" not in page
    assert page.count("A former participant") == 3  # the proposal, the comment, the reply's
    assert "First!" in page and "Agreed" in page
    comment.refresh_from_db()
    assert comment.author is None


def test_nobody_passes_for_the_missing_author_of_a_hidden_proposal(client, proposal, person):
    moderator = person("moderator", is_staff=True)
    services.moderation_decide(actor=moderator, item=proposal, publish=False, reason="Off topic")
    account_erase(user=proposal.author)
    proposal.refresh_from_db()

    assert client.get(_detail(proposal)).status_code == 404
    with pytest.raises(services.ParticipationError):
        services.appeal_submit(actor=None, item=proposal, text="Put it back")


def test_erasing_a_supporter_withdraws_their_support_from_the_count(proposal, resident):
    services.proposal_support(actor=resident, proposal=proposal)

    account_erase(user=resident)

    proposal.refresh_from_db()
    assert proposal.support_count == 0 == Support.objects.filter(proposal=proposal).count()


@pytest.fixture
def consultation():
    return ConsultationFactory()


def test_erasing_a_respondent_keeps_their_answers_without_them_or_their_postcode_and_files(
    client, consultation, resident
):
    survey = library_survey(consultation)
    client.force_login(resident)
    answer_online(
        client,
        consultation,
        {f"q{survey['frequency'].pk}": "Weekly"},
        {f"q{survey['comments'].pk}": "More events", f"q{survey['postcode'].pk}": "NB1 1AA"},
    )
    response = Response.objects.get(respondent=resident)
    upload = QuestionFactory(page=survey["comments"].page, kind=Question.Kind.FILE, text="File")
    evidence = Answer.objects.create(
        response=response, question=upload, file=ContentFile(b"%PDF-1.4", name="evidence.pdf")
    )
    stored_file = evidence.file.name

    account_erase(user=resident)

    response.refresh_from_db()
    assert response.respondent is None
    answers = {answer.question_id: answer for answer in response.answers.all()}
    assert answers[survey["frequency"].pk].choice == "Weekly"
    assert answers[survey["comments"].pk].text == "More events"
    assert answers[survey["postcode"].pk].choice == ""
    assert answers[upload.pk].file.name == ""
    assert not default_storage.exists(stored_file)


def test_download_holds_the_persons_responses_with_their_answers(client, consultation, resident):
    survey = library_survey(consultation)
    client.force_login(resident)
    answer_online(
        client,
        consultation,
        {f"q{survey['frequency'].pk}": "Weekly"},
        {f"q{survey['comments'].pk}": "Mwy o ddigwyddiadau ŵyn ŷd"},
    )

    [held] = account_export(user=resident)["modules"]["participation"]["responses"]

    assert held["consultation"] == consultation.title
    texts = {answer["question"]: answer["choice"] or answer["text"] for answer in held["answers"]}
    assert texts["How often do you visit?"] == "Weekly"
    assert texts["Anything else?"] == "Mwy o ddigwyddiadau ŵyn ŷd"


def test_erased_consultation_lead_is_shown_as_a_former_member_of_staff(client, lead, person):
    consultation = ConsultationFactory(author=lead)
    colleague = person("consultation_lead", is_staff=True)

    account_erase(user=lead)

    client.force_login(colleague)
    page = client.get(reverse("participation:manage_detail", args=[consultation.slug])).text
    assert "A former member of staff" in page
    assert Consultation.objects.get(pk=consultation.pk).author is None


def test_your_data_page_lists_a_comment_with_each_detail_named(client, proposal):
    services.comment_add(actor=proposal.author, proposal=proposal, body="More bins, please")
    client.force_login(proposal.author)

    page = client.get(reverse("core:account_data")).text

    assert "More bins, please" in page
    assert "<strong>Proposal:</strong> Benches" in page
    assert "<strong>Visibility:</strong> Published" in page  # the choice's label, not "visible"
