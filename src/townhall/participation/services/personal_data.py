"""What erasing a person does to participation's records where a plain delete or
anonymisation is not enough (see the personal_records in manifest.py)."""

from django.db.models import F, QuerySet

from ..models import Answer, Proposal, Question, Response, Support
from .records import response_reference_renew


def responses_detach(responses: QuerySet[Response]) -> None:
    """Keep the person's responses in the consultations' results, without the person.

    The answers stay (they are evidence for the decision each consultation informs, and
    the tallies count them), but the link to the account goes, and so do the answers
    most likely to identify someone: the full postcode (the response keeps only its
    ward) and any files they uploaded. Each response gets a new reference, so the
    reference and secret link in the person's receipt no longer lead to it.
    """
    answers = Answer.objects.filter(response__in=responses)
    for answer in answers.exclude(file=""):
        answer.file.delete(save=False)
    answers.exclude(file="").update(file="")
    answers.filter(question__kind=Question.Kind.POSTCODE).update(choice="", text="")
    for response in responses:
        response_reference_renew(response=response)
    responses.update(respondent=None)


def supports_withdraw(supports: QuerySet[Support]) -> None:
    """Withdraw the person's supports, so that each proposal's count still equals the
    supports it holds."""
    for proposal_id in supports.values_list("proposal_id", flat=True):
        Proposal.objects.filter(pk=proposal_id).update(support_count=F("support_count") - 1)
    supports.delete()
