"""Reminders: a resident, with no account, asks on the where-to-vote answer to be emailed
before the registration deadline and on polling day; the worker's job sends each reminder
once, at its time, in the subscriber's language, naming the station as it is then."""

import re
import threading
from datetime import date, datetime, time, timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tests.elections.factories import BallotFactory, ElectionFactory, PollingStationFactory
from townhall.core.models import Subscription
from townhall.core.registry import registry
from townhall.core.services.subscriptions import subscription_create
from townhall.elections import selectors
from townhall.elections.models import PollingAddress, ReminderSent
from townhall.elections.services import reminders_purge, reminders_send_due

pytestmark = pytest.mark.django_db

URL = reverse("elections:where_to_vote")
LINK = re.compile(r"https?://\S+")
DEADLINE = date(2027, 4, 19)
POLL_DATE = date(2027, 5, 6)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A moment in the council's time (Europe/London)."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.fixture
def election(riverside):
    election = ElectionFactory(name="Northbridge local elections 2027")
    election.name_cy = "Etholiadau lleol Northbridge 2027"
    election.save()
    BallotFactory(election=election, ward_code=riverside.code, ward_name="Riverside")
    return election


def _subscribe(key: str, *, email: str = "ann@example.org", language: str = "en-gb"):
    """A confirmed subscription by address alone, as the confirmation link leaves it."""
    subscription = subscription_create(
        kind="election_reminders", key=key, email=email, language=language
    )
    Subscription.objects.filter(pk=subscription.pk).update(confirmed_at=timezone.now())
    subscription.refresh_from_db()
    return subscription


def _follow_path(page: str) -> str:
    """Where the answer's "Get reminders by email" link goes (a link: the answer page
    carries no form, so it can be kept for everyone)."""
    return re.search(r'<a href="(/follow/election_reminders/[^"]+)" role="button"', page).group(1)


def test_a_single_station_answer_offers_reminders_that_an_address_confirms_by_email(
    client, stations, election, django_capture_on_commit_callbacks
):
    page = client.get(URL, {"postcode": "NB1 1AA"}).text
    assert "Get reminders by email" in page
    follow = _follow_path(page)
    assert follow == reverse("core:follow", args=["election_reminders", "2027-05-06:NB11AA"])
    form_page = client.get(follow).text
    assert "Reminders to vote on 6 May 2027 at NB1 1AA" in form_page
    assert '<h1 class="govuk-heading-l">Get reminders by email</h1>' in form_page
    assert "a week before the deadline to register to vote (19 April)" in form_page
    assert 'name="email"' in form_page and "csrfmiddlewaretoken" in form_page

    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(follow, {"email": "Ann@Example.org"})

    assert "Check your email" in answer.text
    assert "Reminders to vote on 6 May 2027 at NB1 1AA" in answer.text
    [confirmation] = mail.outbox
    assert confirmation.to == ["ann@example.org"]
    client.post(urlsplit(LINK.search(confirmation.body).group()).path)
    assert Subscription.objects.get(kind="election_reminders").confirmed_at is not None


def test_the_welsh_answer_offers_reminders_in_welsh(client, stations, election):
    page = client.get("/cy" + URL, {"postcode": "NB1 1AA"}).text

    assert "Cael nodiadau atgoffa drwy e-bost" in page
    assert "wythnos cyn y dyddiad cau i gofrestru i bleidleisio (19 Ebrill)" in page
    follow = re.search(r'<a href="(/cy/follow/election_reminders/[^"]+)"', page).group(1)
    form_page = client.get(follow).text
    assert '<h1 class="govuk-heading-l">Cael nodiadau atgoffa drwy e-bost</h1>' in form_page
    assert "wythnos cyn y dyddiad cau i gofrestru i bleidleisio (19 Ebrill)" in form_page


def test_a_split_postcode_offers_reminders_only_once_the_address_is_picked(
    client, stations, election
):
    assert "Get reminders by email" not in client.get(URL, {"postcode": "NB1 2AB"}).text

    page = client.get(reverse("elections:where_to_vote_at", args=["77"])).text

    assert _follow_path(page) == reverse(
        "core:follow", args=["election_reminders", "2027-05-06:77"]
    )


def test_each_reminder_is_sent_once_at_its_time_and_not_before(stations, election):
    _subscribe("2027-05-06:NB11AA")
    moments = [
        (at(DEADLINE - timedelta(days=8), 12), 0),
        (at(DEADLINE - timedelta(days=7), 9), 1),
        (at(DEADLINE - timedelta(days=7), 9, 5), 0),
        (at(DEADLINE - timedelta(days=1), 9), 1),
        (at(DEADLINE, 23, 55), 0),
        (at(POLL_DATE, 5, 55), 0),
        (at(POLL_DATE, 6, 0), 1),
        (at(POLL_DATE, 6, 5), 0),
    ]

    assert [reminders_send_due(now=now) for now, _sent in moments] == [s for _n, s in moments]

    week, day, polling = mail.outbox
    assert week.subject == "Register to vote by 19 April"
    assert "11:59pm on Monday 19 April 2027" in week.body
    assert "https://www.gov.uk/register-to-vote" in day.body
    assert polling.subject == "Today is polling day: where you vote"
    assert "St Peter's Hall\nChurch Lane\nNB1 1AB" in polling.body
    assert "You need to show photo ID" in polling.body
    assert "/elections/where-to-vote/?postcode=NB1+1AA" in polling.body


def test_a_late_subscriber_gets_only_the_reminders_still_to_come(stations, election):
    _subscribe("2027-05-06:NB11AA")

    assert reminders_send_due(now=at(DEADLINE, 18)) == 1
    assert ReminderSent.objects.get().reminder == ReminderSent.Reminder.REGISTER_DAY


def test_a_reminder_is_sent_once_when_two_runs_find_it_due(stations, election, monkeypatch):
    _subscribe("2027-05-06:NB11AA")
    now = at(POLL_DATE, 7)
    # A second worker read the due reminders before the first one recorded sending them.
    read_before = list(selectors.reminders_due(now))

    assert reminders_send_due(now=now) == 1
    monkeypatch.setattr(selectors, "reminders_due", lambda now: iter(read_before))
    assert reminders_send_due(now=now) == 0
    assert len(mail.outbox) == 1 and ReminderSent.objects.count() == 1


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's in-memory test database locks whole tables between threads at once, "
    "where a deployment's WAL file waits its busy timeout; the PostgreSQL run covers it",
)
@pytest.mark.django_db(transaction=True)
def test_two_workers_running_the_job_at_the_same_moment_send_each_reminder_once(
    stations, election, monkeypatch
):
    _subscribe("2027-05-06:NB11AA")
    now = at(POLL_DATE, 7)
    read_due = selectors.reminders_due
    both_have_read = threading.Barrier(2, timeout=10)

    def read_then_wait(moment):
        due = list(read_due(moment))
        both_have_read.wait()
        return iter(due)

    monkeypatch.setattr(selectors, "reminders_due", read_then_wait)
    sent = []

    def worker():
        try:
            sent.append(reminders_send_due(now=now))
        finally:
            connection.close()

    workers = [threading.Thread(target=worker) for _ in range(2)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()

    assert sorted(sent) == [0, 1]
    reminders = [m for m in mail.outbox if m.subject == "Today is polling day: where you vote"]
    assert len(reminders) == 1


def test_a_run_that_fails_midway_sends_the_rest_next_time_and_none_twice(
    stations, election, monkeypatch
):
    for email in ("ann@example.org", "bob@example.org", "cai@example.org"):
        _subscribe("2027-05-06:NB11AA", email=email)
    from django.core.mail.backends.locmem import EmailBackend

    real_send = EmailBackend.send_messages

    def fail_on_bob(self, messages):
        if messages[0].to == ["bob@example.org"]:
            raise ConnectionError("The mail server went away")
        return real_send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", fail_on_bob)
    with pytest.raises(ConnectionError):
        reminders_send_due(now=at(POLL_DATE, 7))
    monkeypatch.setattr(EmailBackend, "send_messages", real_send)

    assert reminders_send_due(now=at(POLL_DATE, 7, 5)) == 2
    assert [m.to[0] for m in mail.outbox] == [
        "ann@example.org",
        "bob@example.org",
        "cai@example.org",
    ]


def test_a_welsh_subscriber_gets_reminders_in_welsh(stations, election):
    _subscribe("2027-05-06:NB11AA", language="cy")

    reminders_send_due(now=at(POLL_DATE, 7))

    [email] = mail.outbox
    assert email.subject == "Heddiw yw'r diwrnod pleidleisio: ble i bleidleisio"
    assert "Etholiadau lleol Northbridge 2027" in email.body
    assert "/cy/elections/where-to-vote/" in email.body


def test_a_subscriber_whose_station_changed_is_told_the_new_one(stations, election):
    _subscribe("2027-05-06:77")
    school = PollingStationFactory(address="Mill Road Community Centre")
    PollingAddress.objects.filter(uprn="77").update(station=school)

    reminders_send_due(now=at(POLL_DATE, 7))

    assert "Mill Road Community Centre" in mail.outbox[0].body
    assert "Riverside School" not in mail.outbox[0].body


def test_one_click_unsubscribe_stops_the_reminders(client, stations, election):
    _subscribe("2027-05-06:NB11AA")
    reminders_send_due(now=at(DEADLINE - timedelta(days=7), 10))
    [email] = mail.outbox
    link = email.extra_headers["List-Unsubscribe"].strip("<>")
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    client.post(urlsplit(link).path, {"List-Unsubscribe": "One-Click"})

    assert not Subscription.objects.exists() and not ReminderSent.objects.exists()
    assert reminders_send_due(now=at(POLL_DATE, 7)) == 0


def test_a_past_election_sends_nothing_and_cannot_be_followed(client, stations, riverside):
    past = ElectionFactory(
        identifier="local.northbridge.2023-05-04",
        poll_date=date(2023, 5, 4),
        notice_of_election=date(2023, 3, 27),
        registration_deadline=date(2023, 4, 17),
        postal_vote_deadline=date(2023, 4, 18),
        proxy_vote_deadline=date(2023, 4, 25),
    )
    BallotFactory(election=past, ward_code=riverside.code, ward_name="Riverside")
    Subscription.objects.create(
        kind="election_reminders",
        key="2023-05-04:NB11AA",
        email="ann@example.org",
        confirmed_at=timezone.now(),
    )

    assert reminders_send_due() == 0
    assert reminders_send_due(now=at(date(2023, 5, 5), 7)) == 0
    follow = reverse("core:follow", args=["election_reminders", "2023-05-04:NB11AA"])
    assert client.post(follow, {"email": "bob@example.org"}).status_code == 404
    assert reminders_purge() == 1
    assert not Subscription.objects.exists()


def test_reminders_are_forgotten_the_day_after_polling_day_and_not_before(stations, election):
    _subscribe("2027-05-06:NB11AA")
    reminders_send_due(now=at(POLL_DATE, 7))

    assert reminders_purge() == 0
    Subscription.objects.update(key="2025-05-01:NB11AA")
    assert reminders_purge() == 1
    assert not ReminderSent.objects.exists()


def test_a_bad_email_address_gets_a_clear_message_and_stores_nothing(client, stations, election):
    follow = reverse("core:follow", args=["election_reminders", "2027-05-06:NB11AA"])

    answer = client.post(follow, {"email": "not an address"})

    assert "Enter an email address in the correct format" in answer.text
    assert not Subscription.objects.exists() and not mail.outbox


def test_asking_twice_keeps_one_subscription_and_sends_one_reminder(
    client, stations, election, django_capture_on_commit_callbacks
):
    follow = reverse("core:follow", args=["election_reminders", "2027-05-06:NB11AA"])
    for _time in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(follow, {"email": "ann@example.org"})
    Subscription.objects.update(confirmed_at=timezone.now())

    assert Subscription.objects.count() == 1
    assert reminders_send_due(now=at(POLL_DATE, 7)) == 1


def test_an_address_not_on_the_register_cannot_be_followed(client, stations, election):
    follow = reverse("core:follow", args=["election_reminders", "2027-05-06:123456"])

    assert client.get(follow).status_code == 404


def test_a_person_downloads_the_reminders_sent_to_them_and_erasure_removes_them(stations, election):
    from tests.core.factories import UserFactory

    person = UserFactory()
    subscription_create(kind="election_reminders", key="2027-05-06:NB11AA", person=person)
    reminders_send_due(now=at(POLL_DATE, 7))

    [sent] = registry.personal_data(person)["elections"]["reminders_sent"]
    assert sent["for"] == "2027-05-06:NB11AA" and sent["reminder"] == "polling_day"
    registry.erase(person)
    assert not ReminderSent.objects.exists()


def test_the_worker_housekeeping_sends_due_reminders(stations, election, monkeypatch):
    _subscribe("2027-05-06:NB11AA")
    monkeypatch.setattr(timezone, "now", lambda: at(POLL_DATE, 8))

    put_right = sum(job() for job in registry.housekeeping())

    assert put_right >= 1
    assert [m.subject for m in mail.outbox] == ["Today is polling day: where you vote"]
