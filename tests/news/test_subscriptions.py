"""Publishing an update tells the people following all news, its services or its wards."""

import pytest
from django.core import mail

from tests.news.factories import ServiceFactory
from townhall.core.models import PendingNotification
from townhall.core.services.subscriptions import notification_preference_set, subscription_create
from townhall.news import services


@pytest.fixture
def publish(editor, django_capture_on_commit_callbacks):
    def run(**tags):
        update = services.update_create(
            actor=editor,
            title_en="Bins on Monday",
            title_cy="Biniau ddydd Llun",
            summary_en="A change of day.",
            body_en="Details.",
            **tags,
        )
        with django_capture_on_commit_callbacks(execute=True):
            services.update_publish(actor=editor, update=update)
        return update

    return run


def test_followers_of_all_news_a_service_and_a_ward_are_emailed(person, ward, publish):
    bins = ServiceFactory(slug="bins")
    everyone, bin_fan, neighbour, other = (person() for _ in range(4))
    subscription_create(kind="news", key="all", person=everyone)
    subscription_create(kind="news_service", key="bins", person=bin_fan)
    subscription_create(kind="news_ward", key=ward.code, person=neighbour)
    subscription_create(kind="news_service", key=ServiceFactory().slug, person=other)
    update = publish(services=[bins], ward_codes=[ward.code])
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [everyone.email, bin_fan.email, neighbour.email]
    )
    assert f"/news/{update.slug}/" in mail.outbox[0].body
    assert "List-Unsubscribe" in mail.outbox[0].extra_headers


def test_someone_following_several_matching_things_is_emailed_once(person, ward, publish):
    bins = ServiceFactory(slug="bins")
    fan = person()
    subscription_create(kind="news", key="all", person=fan)
    subscription_create(kind="news_ward", key=ward.code, person=fan)
    subscription_create(kind="news_service", key="bins", person=fan)
    publish(services=[bins], ward_codes=[ward.code])
    assert [message.to for message in mail.outbox] == [[fan.email]]


def test_followers_are_told_in_their_own_language(person, publish):
    welsh = person(preferred_language="cy")
    subscription_create(kind="news", key="all", person=welsh)
    publish()
    assert "Biniau ddydd Llun" in mail.outbox[0].subject
    assert "/cy/news/" in mail.outbox[0].body


def test_a_daily_follower_gets_it_in_the_digest(person, publish):
    follower = person()
    subscription_create(kind="news", key="all", person=follower)
    notification_preference_set(actor=follower, frequency="daily")
    publish()
    assert mail.outbox == []
    assert PendingNotification.objects.filter(subscription__person=follower).count() == 1


def test_a_resident_follows_a_ward_by_email_from_the_news_page(
    client, ward, django_capture_on_commit_callbacks
):
    page = client.get("/news/", {"ward": ward.code}).text
    assert f'action="/follow/news_ward/{ward.code}/"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/follow/news_ward/{ward.code}/", {"email": "me@example.org"})
    assert response.status_code == 200
    assert "Confirm" in mail.outbox[0].subject


def test_an_unknown_ward_or_service_cannot_be_followed(client, db):
    assert client.get("/follow/news_ward/E05000000/").status_code == 404
    assert client.get("/follow/news_service/nothing/").status_code == 404
