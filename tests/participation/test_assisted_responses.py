"""Assisted digital in participation (ADR 0108): a helper fills in a consultation's survey
for a resident who phoned, wrote or called in, on core's shared machinery: core's channel
vocabulary, the response the resident's and never the helper's, core's record and audit
entry, and a double send stored once."""

import pytest
from django.urls import reverse

from townhall.core.models import AssistedSubmission, AuditEntry
from townhall.core.roles import ASSISTED_DIGITAL_HELPER
from townhall.participation.models import Question, Response

from .factories import ConsultationFactory, library_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation():
    return ConsultationFactory()


@pytest.fixture
def survey(consultation):
    return library_survey(consultation)


@pytest.fixture
def helper(person):
    return person(ASSISTED_DIGITAL_HELPER)


def _field(question: Question) -> str:
    return f"q{question.pk}"


def _record_url(consultation) -> str:
    return reverse("participation:manage_record", args=[consultation.slug])


def _answers(survey, **extra):
    return {
        "received_on_day": "3",
        "received_on_month": "2",
        "received_on_year": "2026",
        _field(survey["frequency"]): "Weekly",
        **extra,
    }


def test_a_helper_fills_in_a_survey_for_a_resident_with_the_channel_recorded(
    client, helper, consultation, survey
):
    client.force_login(helper)
    form = client.get(_record_url(consultation)).text
    assert "How did the resident contact the council?" in form
    assert "At a library or partner organisation" in form
    key = "a" * 32

    page = client.post(
        _record_url(consultation), _answers(survey, channel="phone", idempotency_key=key)
    )

    assert page.status_code == 302, page.content
    response = Response.objects.get()
    assert response.channel == Response.Channel.PHONE
    assert response.respondent is None  # the resident's, not the helper's account
    assert response.recorded_by == helper
    record = AssistedSubmission.objects.get()
    assert (record.form, record.channel) == ("participation.survey_response", "phone")
    assert record.object_id == str(response.pk)
    entry = AuditEntry.objects.get(action="core.assisted_submission")
    assert entry.actor == helper
    assert entry.after == {"form": "participation.survey_response", "channel": "phone"}


def test_the_same_assisted_survey_sent_twice_is_stored_once(client, helper, consultation, survey):
    client.force_login(helper)
    data = _answers(survey, channel="paper", idempotency_key="b" * 32)

    first = client.post(_record_url(consultation), data)
    second = client.post(_record_url(consultation), data)

    assert first.status_code == second.status_code == 302
    assert Response.objects.count() == 1
    assert AssistedSubmission.objects.count() == 1


def test_the_assisted_survey_needs_a_channel(client, helper, consultation, survey):
    client.force_login(helper)

    page = client.post(_record_url(consultation), _answers(survey))

    assert page.status_code == 200
    assert "Select how the resident contacted the council" in page.text
    assert not Response.objects.exists()


@pytest.mark.parametrize("role", ["resident", "moderator"])
def test_people_who_may_not_record_responses_cannot_open_the_assisted_survey(
    client, person, consultation, survey, role
):
    client.force_login(person(role))

    assert client.get(_record_url(consultation)).status_code == 403
    assert (
        client.post(_record_url(consultation), _answers(survey, channel="phone")).status_code == 403
    )
    assert not Response.objects.exists()


def test_a_helper_sees_no_other_staff_pages_of_the_consultation(client, helper, consultation):
    client.force_login(helper)

    assert (
        client.get(reverse("participation:manage_results", args=[consultation.slug])).status_code
        == 403
    )


def test_the_residents_survey_pages_carry_the_get_help_link(client, consultation, survey):
    start = client.post(reverse("participation:respond_start", args=[consultation.slug]))

    assert "Need help filling this in?" in client.get(start["Location"]).text


def test_staff_cannot_record_a_response_as_online(officer, consultation, survey):
    from townhall.participation import services

    with pytest.raises(ValueError):
        services.response_record(
            actor=officer, consultation=consultation, channel="online", answers={}
        )
    assert not Response.objects.exists()


def test_a_helpers_back_link_goes_to_help_a_resident(client, helper, consultation, survey):
    client.force_login(helper)

    page = client.get(_record_url(consultation)).text

    assert f'href="{reverse("core:help_a_resident")}" class="govuk-back-link"' in page
