"""Assisted digital (issue #11 item 6, ADRs 0107 to 0109): staff with the assisted digital
helper role complete residents' forms on their behalf with the channel recorded, never as
their own account; everyone else is refused assisted mode; and every resident form that
any module declares carries a "Need help filling this in?" link to help nearby, which
falls back to the council's contact page when no module offers help nearby."""

import dataclasses
import re

import pytest
from django.template.loader import get_template
from django.urls import reverse

from tests.participation.factories import ConsultationFactory
from townhall.core.assisted import Channel
from townhall.core.models import AssistedSubmission, AuditEntry, Subscription
from townhall.core.permissions import PermissionDenied, can
from townhall.core.registry import registry
from townhall.core.roles import ASSISTED_DIGITAL_HELPER
from townhall.core.selectors.assisted import help_link
from townhall.core.services.assisted import assisted_submission_record
from townhall.core.services.subscriptions import subscription_create_for_resident

pytestmark = pytest.mark.django_db

HELP_PAGE = reverse("core:help_a_resident")
ALL_NEWS = reverse("core:follow", args=["news", "all"])


@pytest.fixture
def helper(person):
    return person(ASSISTED_DIGITAL_HELPER, email="helper@example.org")


def _follow_for_resident(client, url=ALL_NEWS, **data):
    return client.post(
        f"{url}?assisted=1",
        {"channel": "phone", "email": "ann@example.org", **data},
    )


# Who may help ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (ASSISTED_DIGITAL_HELPER, True),
        ("administrator", True),
        ("officer", False),
        ("consultation_lead", False),
        ("moderator", False),
        ("resident", False),
    ],
)
def test_only_helpers_and_administrators_may_assist_residents(person, role, allowed):
    assert can(person(role), "core.assist_residents") is allowed


def test_the_helper_role_is_a_staff_role_declared_by_core():
    role = registry.roles()[ASSISTED_DIGITAL_HELPER]

    assert role.staff
    assert str(role.name) == "Assisted digital helper"


def test_a_helper_reaches_help_a_resident_from_the_staff_workspace(client, helper):
    client.force_login(helper)

    workspace = client.get(reverse("core:workspace")).text
    page = client.get(HELP_PAGE)

    assert f'href="{HELP_PAGE}"' in workspace
    assert page.status_code == 200
    assert "Get reminders to register and to vote" in page.text
    assert "Respond to a consultation" in page.text
    assert f'href="{ALL_NEWS}?assisted=1"' in page.text
    # Forms nobody completes for a resident are listed with the reason.
    assert "Vote in a participatory budget" in page.text
    assert "postal voting code" in page.text


def test_help_a_resident_links_to_each_open_consultations_survey(client, helper):
    consultation = ConsultationFactory(title="Library opening hours")
    client.force_login(helper)

    page = client.get(HELP_PAGE).text

    assert "Library opening hours" in page
    assert reverse("participation:manage_record", args=[consultation.slug]) in page


@pytest.mark.parametrize("role", ["resident", "officer", "moderator"])
def test_people_without_the_helper_role_cannot_open_help_a_resident(client, person, role):
    client.force_login(person(role))

    assert client.get(HELP_PAGE).status_code == 403


def test_help_a_resident_asks_anonymous_visitors_to_sign_in(client):
    assert client.get(HELP_PAGE).status_code == 302


# Assisted mode on a form -----------------------------------------------------------------


def test_a_helper_signs_a_resident_up_for_news_with_the_channel_recorded(
    client, helper, django_capture_on_commit_callbacks
):
    client.force_login(helper)
    form = client.get(f"{ALL_NEWS}?assisted=1").text
    assert "How did the resident contact the council?" in form
    assert "The resident&#x27;s email address" in form

    with django_capture_on_commit_callbacks(execute=True):
        answer = _follow_for_resident(client, channel="partner")

    assert "Check your email" in answer.text
    subscription = Subscription.objects.get(kind="news")
    assert subscription.email == "ann@example.org"
    assert subscription.confirmed_at is None  # the resident confirms from their own inbox
    record = AssistedSubmission.objects.get()
    assert (record.form, record.channel) == ("news.subscriptions", Channel.PARTNER)
    assert (record.object_type, record.object_id) == ("core.subscription", str(subscription.pk))


def test_an_assisted_submission_is_never_attributed_to_the_helpers_account(client, helper):
    client.force_login(helper)

    _follow_for_resident(client)

    assert not Subscription.objects.filter(person=helper).exists()
    assert not Subscription.objects.filter(email=helper.email).exists()
    assert Subscription.objects.get().person is None


def test_the_audit_log_records_who_helped_by_which_channel_without_the_residents_address(
    client, helper
):
    client.force_login(helper)

    _follow_for_resident(client, channel="in_person")

    entry = AuditEntry.objects.get(action="core.assisted_submission")
    assert entry.actor == helper
    assert entry.after == {"form": "news.subscriptions", "channel": "in_person"}
    assert "ann@example.org" not in f"{entry.object_label} {entry.after} {entry.before}"


def test_assisted_mode_needs_a_channel(client, helper):
    client.force_login(helper)

    page = _follow_for_resident(client, channel="")

    assert page.status_code == 200
    assert "Select how the resident contacted the council" in page.text
    assert not Subscription.objects.exists()


def test_sending_the_same_assisted_form_twice_records_it_once(client, helper):
    client.force_login(helper)

    _follow_for_resident(client)
    _follow_for_resident(client)

    assert Subscription.objects.count() == 1
    assert AssistedSubmission.objects.count() == 1
    assert AuditEntry.objects.filter(action="core.assisted_submission").count() == 1


@pytest.mark.parametrize("role", ["resident", "officer"])
def test_people_without_the_helper_role_are_refused_assisted_mode(client, person, role):
    client.force_login(person(role))

    assert client.get(f"{ALL_NEWS}?assisted=1").status_code == 403
    assert _follow_for_resident(client).status_code == 403
    assert not Subscription.objects.exists()
    assert not AssistedSubmission.objects.exists()


def test_anonymous_visitors_are_refused_assisted_mode(client):
    assert _follow_for_resident(client).status_code == 403
    assert not Subscription.objects.exists()


def test_a_signed_in_helper_is_offered_assisted_mode_and_others_are_not(client, helper, person):
    client.force_login(helper)
    assert f'href="{ALL_NEWS}?assisted=1"' in client.get(ALL_NEWS).text

    client.force_login(person("officer"))
    assert "?assisted=1" not in client.get(ALL_NEWS).text


def test_the_service_refuses_people_who_may_not_assist(person):
    with pytest.raises(PermissionDenied):
        subscription_create_for_resident(
            actor=person("officer"),
            kind="news",
            key="all",
            email="ann@example.org",
            channel="phone",
        )
    assert not Subscription.objects.exists()


def test_the_record_refuses_a_channel_outside_the_vocabulary_and_undeclared_forms(helper):
    subscription = Subscription.objects.create(kind="news", key="all", email="ann@example.org")

    with pytest.raises(ValueError):
        assisted_submission_record(
            actor=helper, form="news.subscriptions", channel="carrier_pigeon", instance=subscription
        )
    with pytest.raises(LookupError):
        assisted_submission_record(
            actor=helper, form="news.nonsense", channel="phone", instance=subscription
        )
    assert not AssistedSubmission.objects.exists()


def test_the_channel_vocabulary_is_the_one_the_issue_names():
    assert Channel.values == ["phone", "in_person", "paper", "partner", "email", "other"]


# Need help filling this in? --------------------------------------------------------------


def _get_help(page: str) -> str:
    """The "Need help filling this in?" details component of a page."""
    return re.search(
        r'<details class="govuk-details th-get-help">.*?</details>', page, re.S
    ).group()


def _declared_templates():
    return sorted(
        {(form.key, name) for form in registry.resident_forms() for name in form.templates}
    )


def test_the_inventory_declares_the_resident_forms_of_every_module():
    keys = {form.key for form in registry.resident_forms()}

    assert {
        "core.follow",
        "core.sign_up",
        "elections.reminders",
        "news.subscriptions",
        "participation.survey_response",
        "participation.budget_vote",
    } <= keys
    for form in registry.resident_forms():
        assert form.templates, form.key
        assert form.assisted is not None or form.not_assisted, form.key


@pytest.mark.parametrize(("key", "template"), _declared_templates())
def test_every_declared_resident_form_shows_the_get_help_link(key, template):
    """A new resident form must be declared in its module's manifest (ResidentForm) and
    carry `{% get_help %}`: this walks the inventory."""
    assert "{% get_help" in get_template(template).template.source, f"{key}: {template}"


def test_the_link_finds_help_with_council_services_near_the_residents_postcode():
    link = help_link("NB1 1AA")

    assert link.nearby
    assert link.url.startswith(reverse("inclusion:find_help") + "?postcode=NB1+1AA")
    assert help_link("").url == reverse("inclusion:find_help")


def test_a_resident_form_shows_the_link_to_help_nearby(client):
    page = client.get(ALL_NEWS).text

    assert "Need help filling this in?" in page
    assert f'href="{reverse("inclusion:find_help")}"' in page
    assert '<details class="govuk-details th-get-help">' in page


def test_the_link_is_in_welsh_on_a_welsh_page(client):
    page = client.get("/cy" + ALL_NEWS).text

    assert "Angen help i lenwi hwn?" in page


@pytest.fixture
def without_help_nearby():
    """The platform as it is when no installed module offers help nearby (inclusion is
    not installed)."""
    replaced = {
        manifest.app_label: manifest for manifest in registry if manifest.help_nearby is not None
    }
    for manifest in replaced.values():
        registry.register(dataclasses.replace(manifest, help_nearby=None))
    yield
    for manifest in replaced.values():
        registry.register(manifest)


def test_without_help_nearby_the_link_goes_to_the_councils_contact_page(
    client, without_help_nearby
):
    contact = reverse("core:page", args=["contact"])

    assert help_link("NB1 1AA").url == contact
    details = _get_help(client.get(ALL_NEWS).text)
    assert "Need help filling this in?" in details
    assert f'<a class="govuk-link" href="{contact}">Contact the council</a>' in details
    assert reverse("inclusion:find_help") not in details


def test_the_link_shows_on_the_sign_up_page(client):
    assert "Need help filling this in?" in client.get(reverse("account_signup")).text


def test_the_demo_helper_filled_in_forms_for_residents_by_several_channels(settings):
    from django.core.management import call_command

    settings.TOWNHALL_DEMO_ACCOUNTS = True
    settings.DEBUG = True
    call_command("demo", "--module", "core", "--module", "news", verbosity=0)

    records = AssistedSubmission.objects.filter(form="news.subscriptions")
    assert set(records.values_list("channel", flat=True)) == {
        "phone",
        "in_person",
        "partner",
        "paper",
    }
    assert not Subscription.objects.filter(person__email="demo.helper@example.org").exists()


def test_a_made_up_idempotency_key_is_refused(client, helper):
    client.force_login(helper)

    page = _follow_for_resident(client, idempotency_key="someone-elses-key")

    assert page.status_code == 200
    assert not Subscription.objects.exists()


def test_the_audit_entry_names_the_form_in_english_on_a_welsh_page(client, helper):
    client.force_login(helper)

    client.post("/cy" + ALL_NEWS + "?assisted=1", {"channel": "phone", "email": "ann@example.org"})

    assert AuditEntry.objects.get(action="core.assisted_submission").object_label == (
        "Get news by email"
    )


def test_every_followable_kind_a_resident_form_names_is_declared():
    for form in registry.resident_forms():
        for kind in form.followable_kinds:
            assert registry.followable(kind), f"{form.key} names {kind}"


def test_following_a_consultation_for_a_resident_is_recorded_as_participations_form(client, helper):
    consultation = ConsultationFactory()
    client.force_login(helper)

    _follow_for_resident(client, reverse("core:follow", args=["consultation", consultation.pk]))

    assert AssistedSubmission.objects.get().form == "participation.follow"
