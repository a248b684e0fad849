"""Pre-election periods under Manage: consultation leads keep them without the admin
site; the services refuse overlaps, keep a started period's hold on today, and let
approved consultations lose their warning only once the lead confirms them."""

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.participation.factories import ConsultationFactory
from townhall.core.models import AuditEntry
from townhall.core.permissions import PermissionDenied
from townhall.core.selectors.workspace import staff_tools_for
from townhall.participation import services
from townhall.participation.models import Consultation, PreElectionPeriod

pytestmark = pytest.mark.django_db

LIST = reverse("participation:pre_election_list")
ADD = reverse("participation:pre_election_add")


def _today() -> date:
    return timezone.localdate()


def _period(name="Borough elections", start=10, end=40) -> PreElectionPeriod:
    """A period `start` to `end` days from today (negative: in the past)."""
    today = _today()
    return PreElectionPeriod.objects.create(
        name=name, starts_on=today + timedelta(days=start), ends_on=today + timedelta(days=end)
    )


def _dates(name: str, starts_on: date, ends_on: date, **extra) -> dict:
    return {
        "name": name,
        "starts_on_day": starts_on.day,
        "starts_on_month": starts_on.month,
        "starts_on_year": starts_on.year,
        "ends_on_day": ends_on.day,
        "ends_on_month": ends_on.month,
        "ends_on_year": ends_on.year,
        **extra,
    }


def _approved_in(period: PreElectionPeriod, **fields) -> Consultation:
    """An approved consultation that would run during the period."""
    opens = timezone.make_aware(datetime.combine(period.starts_on + timedelta(days=1), time(9)))
    return ConsultationFactory(
        approved=True, opens_at=opens, closes_at=opens + timedelta(days=5), **fields
    )


def _edit(period):
    return reverse("participation:pre_election_edit", args=[period.pk])


def _delete(period):
    return reverse("participation:pre_election_delete", args=[period.pk])


# Who may use the pages ------------------------------------------------------------------


def test_pre_election_pages_send_anonymous_visitors_to_sign_in(client):
    period = _period()
    for url in (LIST, ADD, _edit(period), _delete(period)):
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response.url


@pytest.mark.parametrize("role", ["resident", "officer", "moderator", "data_publisher"])
def test_pre_election_pages_are_refused_to_anyone_who_may_not_manage_consultations(
    client, person, role
):
    period = _period()
    client.force_login(person(role, is_staff=role != "resident"))

    for url in (LIST, ADD, _edit(period), _delete(period)):
        assert client.get(url).status_code == 403
    assert client.post(_delete(period)).status_code == 403
    assert PreElectionPeriod.objects.filter(pk=period.pk).exists()


def test_the_services_refuse_anyone_who_may_not_manage_consultations(person):
    officer = person("officer", is_staff=True)

    with pytest.raises(PermissionDenied):
        services.pre_election_period_create(
            actor=officer, name="X", starts_on=_today(), ends_on=_today()
        )


def test_the_workspace_and_the_consultations_list_lead_to_the_periods(client, lead):
    client.force_login(lead)

    labels = [str(tool.label) for group in staff_tools_for(lead) for tool in group.tools]
    assert "Pre-election periods" in labels
    assert f'href="{LIST}"' in client.get(reverse("core:workspace")).text
    assert f'href="{LIST}"' in client.get(reverse("participation:manage_list")).text


# The list and what each period affects --------------------------------------------------


def test_the_list_sorts_periods_into_now_coming_up_and_past(client, lead):
    _period("Running now", start=-3, end=3)
    _period("Next May", start=100, end=140)
    _period("Last year", start=-400, end=-360)
    client.force_login(lead)

    page = client.get(LIST).text

    assert page.index("Running now") < page.index("Next May") < page.index("Last year")


def test_the_list_shows_the_consultations_a_period_holds_back(client, lead):
    period = _period()
    _approved_in(period, title="Library hours")
    _approved_in(period, title="Bin collections")
    ConsultationFactory(
        draft=True,
        title="Parking draft",
        opens_at=timezone.now(),
        closes_at=timezone.now() + timedelta(days=5),
    )
    client.force_login(lead)

    page = client.get(LIST).text

    assert "2 approved consultations would run during this period" in page
    assert "Library hours" in page and "Bin collections" in page
    assert "Parking draft" not in page  # it closes before the period starts


# Adding ---------------------------------------------------------------------------------


def test_a_lead_adds_a_period_and_it_is_audited(client, lead):
    client.force_login(lead)
    start = _today() + timedelta(days=30)

    response = client.post(ADD, _dates("County elections", start, start + timedelta(days=42)))

    assert response.status_code == 302
    period = PreElectionPeriod.objects.get()
    assert (period.name, period.starts_on) == ("County elections", start)
    assert AuditEntry.objects.filter(
        actor=lead, operation="create", object_type="participation.preelectionperiod"
    ).exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "This field is required"),
        ("   ", "This field is required"),
        ("x" * 201, "200 characters"),
        ("Borough\x00elections", "control characters"),
        ("Borough\nelections", "line breaks"),
    ],
)
def test_a_period_with_a_bad_name_is_refused(client, lead, name, message):
    client.force_login(lead)
    start = _today() + timedelta(days=30)

    response = client.post(ADD, _dates(name, start, start))

    assert response.status_code == 200
    assert message in response.text
    assert "govuk-error-summary" in response.text
    assert not PreElectionPeriod.objects.exists()


def test_a_period_ending_before_it_starts_is_refused(client, lead):
    client.force_login(lead)
    start = _today() + timedelta(days=30)

    response = client.post(ADD, _dates("Backwards", start, start - timedelta(days=1)))

    assert "The end date must be on or after the start date" in response.text
    assert not PreElectionPeriod.objects.exists()


def test_an_impossible_date_is_refused(client, lead):
    client.force_login(lead)
    data = _dates("Nonsense", _today(), _today(), starts_on_month="13")

    response = client.post(ADD, data)

    assert response.status_code == 200
    assert not PreElectionPeriod.objects.exists()


def test_a_period_overlapping_another_is_refused_naming_it(client, lead):
    _period("Borough elections", start=10, end=40)
    client.force_login(lead)
    today = _today()

    response = client.post(
        ADD, _dates("By-election", today + timedelta(days=40), today + timedelta(days=50))
    )

    assert "These dates overlap “Borough elections”" in response.text
    assert PreElectionPeriod.objects.count() == 1


def test_periods_may_follow_each_other_without_a_gap(lead):
    first = _period(start=10, end=40)

    services.pre_election_period_create(
        actor=lead,
        name="Next",
        starts_on=first.ends_on + timedelta(days=1),
        ends_on=first.ends_on + timedelta(days=9),
    )

    assert PreElectionPeriod.objects.count() == 2


# Changing -------------------------------------------------------------------------------


def test_a_lead_renames_and_moves_an_upcoming_period_and_it_is_audited(client, lead):
    period = _period(start=10, end=40)
    client.force_login(lead)
    new_start = _today() + timedelta(days=20)

    response = client.post(_edit(period), _dates("Mayoral elections", new_start, period.ends_on))

    assert response.status_code == 302
    period.refresh_from_db()
    assert (period.name, period.starts_on) == ("Mayoral elections", new_start)
    entry = AuditEntry.objects.get(operation="update", object_id=str(period.pk))
    assert entry.before["name"] == "Borough elections"
    assert entry.after["name"] == "Mayoral elections"


def test_a_started_period_cannot_be_moved_to_start_after_today(client, lead):
    period = _period(start=-5, end=20)
    client.force_login(lead)

    response = client.post(
        _edit(period), _dates(period.name, _today() + timedelta(days=1), period.ends_on)
    )

    assert "cannot be moved to start after today" in response.text
    period.refresh_from_db()
    assert period.starts_on == _today() - timedelta(days=5)


def test_a_started_period_may_start_earlier_or_end_today(lead):
    period = _period(start=-5, end=20)

    services.pre_election_period_update(
        actor=lead,
        period=period,
        name=period.name,
        starts_on=period.starts_on - timedelta(days=2),
        ends_on=_today(),
    )

    period.refresh_from_db()
    assert period.ends_on == _today()


def test_a_running_period_cannot_end_before_today(lead):
    period = _period(start=-5, end=20)

    with pytest.raises(services.PreElectionPeriodInvalid, match="cannot end before today"):
        services.pre_election_period_update(
            actor=lead,
            period=period,
            name=period.name,
            starts_on=period.starts_on,
            ends_on=_today() - timedelta(days=1),
        )


def test_a_past_period_keeps_its_dates_but_may_be_renamed(lead):
    period = _period(start=-60, end=-30)

    with pytest.raises(services.PreElectionPeriodInvalid, match="kept as a record"):
        services.pre_election_period_update(
            actor=lead,
            period=period,
            name=period.name,
            starts_on=period.starts_on,
            ends_on=period.ends_on + timedelta(days=1),
        )
    services.pre_election_period_update(
        actor=lead,
        period=period,
        name="2026 elections",
        starts_on=period.starts_on,
        ends_on=period.ends_on,
    )

    period.refresh_from_db()
    assert period.name == "2026 elections"


def test_moving_a_period_off_approved_consultations_asks_to_confirm_them(client, lead):
    period = _period(start=10, end=40)
    held = _approved_in(period, title="Library hours")
    client.force_login(lead)
    moved = _dates(period.name, period.starts_on + timedelta(days=20), period.ends_on)

    asked = client.post(_edit(period), moved)

    assert asked.status_code == 200
    assert "could open without the pre-election warning" in asked.text
    assert "Library hours" in asked.text
    period.refresh_from_db()
    assert period.starts_on == _today() + timedelta(days=10)

    confirmed = client.post(
        _edit(period), {**moved, "released": str(held.pk), "acknowledge_release": "on"}
    )

    assert confirmed.status_code == 302
    period.refresh_from_db()
    assert period.starts_on == _today() + timedelta(days=30)
    entry = AuditEntry.objects.get(action="participation.pre_election_period_release")
    assert entry.actor == lead and entry.after == {"released_consultations": [held.slug]}


def test_a_confirmation_covers_only_the_consultations_the_lead_was_shown(lead):
    period = _period(start=10, end=40)
    shown = _approved_in(period)
    _approved_in(period)  # approved after the page was shown

    with pytest.raises(services.PreElectionPeriodRelease) as refused:
        services.pre_election_period_update(
            actor=lead,
            period=period,
            name=period.name,
            starts_on=period.starts_on + timedelta(days=20),
            ends_on=period.ends_on,
            released_confirmed=[shown.pk],
        )

    assert len(refused.value.consultations) == 2


def test_a_consultation_another_period_still_holds_back_is_not_released(lead):
    period = _period(start=10, end=20)
    _approved_in(period)
    PreElectionPeriod.objects.create(
        name="Parish elections",
        starts_on=period.ends_on + timedelta(days=1),
        ends_on=period.ends_on + timedelta(days=10),
    )
    consultation = Consultation.objects.get()
    consultation.closes_at = consultation.closes_at + timedelta(days=10)
    consultation.save()

    services.pre_election_period_delete(actor=lead, period=period)

    assert not PreElectionPeriod.objects.filter(pk=period.pk).exists()


def test_changing_a_period_someone_deleted_meanwhile_says_so(client, lead):
    period = _period()
    client.force_login(lead)
    stale = PreElectionPeriod.objects.get(pk=period.pk)
    period.delete()

    with pytest.raises(services.PreElectionPeriodGone):
        services.pre_election_period_update(
            actor=lead, period=stale, name="X", starts_on=stale.starts_on, ends_on=stale.ends_on
        )
    assert client.get(_edit(stale)).status_code == 404


# Deleting -------------------------------------------------------------------------------


def test_deleting_asks_for_confirmation_and_names_what_it_releases(client, lead):
    period = _period()
    held = _approved_in(period, title="Library hours")
    client.force_login(lead)

    page = client.get(_delete(period)).text
    response = client.post(_delete(period), {"released": [str(held.pk)]})

    assert "Once it is deleted, 1 approved consultation could open" in page
    assert "Library hours" in page
    assert response.status_code == 302
    assert not PreElectionPeriod.objects.exists()
    assert AuditEntry.objects.filter(operation="delete", object_id=str(period.pk)).exists()
    assert AuditEntry.objects.filter(action="participation.pre_election_period_release").exists()


def test_deleting_without_the_consultations_shown_is_refused(client, lead):
    period = _period()
    _approved_in(period)
    client.force_login(lead)

    response = client.post(_delete(period))

    assert response.status_code == 200
    assert PreElectionPeriod.objects.filter(pk=period.pk).exists()


def test_a_running_period_cannot_be_deleted(client, lead):
    period = _period(start=-1, end=5)
    client.force_login(lead)

    page = client.get(_delete(period)).text
    client.post(_delete(period))

    assert "cannot be deleted" in page
    assert PreElectionPeriod.objects.filter(pk=period.pk).exists()


def test_deleting_a_period_already_deleted_says_so(client, lead):
    period = _period()
    client.force_login(lead)
    period_id = period.pk
    stale = PreElectionPeriod.objects.get(pk=period_id)
    period.delete()

    with pytest.raises(services.PreElectionPeriodGone):
        services.pre_election_period_delete(actor=lead, period=stale)
    assert client.post(_delete(stale)).status_code == 404


# Welsh ----------------------------------------------------------------------------------


def test_the_pre_election_pages_render_in_welsh(client, lead):
    period = _period()
    _approved_in(period)
    client.force_login(lead)

    for url in (LIST, ADD, _edit(period), _delete(period)):
        response = client.get(f"/cy{url}")
        assert response.status_code == 200
        assert 'lang="cy"' in response.text
    assert "Cyfnodau cyn etholiad" in client.get(f"/cy{LIST}").text
