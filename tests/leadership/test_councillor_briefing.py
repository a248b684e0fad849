"""A councillor who signs in sees something of their own: the decisions coming up and the
key decisions of the past year that cite no data. A resident sees neither."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.leadership.factories import DecisionFactory, citing_dataset
from tests.opendata.factories import DatasetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def decisions(db):
    today = timezone.localdate()
    DecisionFactory(
        title="Choose a contact system", status="forthcoming", decided_on=today + timedelta(30)
    )
    DecisionFactory(title="Intranet without data", decided_on=today - timedelta(60))
    citing_dataset(
        DecisionFactory(title="Clean air with data", decided_on=today - timedelta(90)),
        DatasetFactory(published=True).pk,
    )
    DecisionFactory(title="Too old to list", decided_on=today - timedelta(500))


def test_a_councillors_account_lists_decisions_coming_up_and_key_decisions_without_data(
    client, person, decisions
):
    client.force_login(person("councillor"))

    page = client.get("/account/").text

    coming = page.split("Decisions coming up")[1].split("cite no data")[0]
    assert "Choose a contact system" in coming
    without = page.split("Key decisions of the past year that cite no data")[1]
    assert "Intranet without data" in without
    assert "Clean air with data" not in without
    assert "Too old to list" not in without
    assert "50% of the key decisions made in the past year cite data." in without


def test_a_residents_account_has_no_councillor_briefing(client, resident, decisions):
    client.force_login(resident)

    assert "Decisions coming up" not in client.get("/account/").text


def test_the_briefing_is_in_welsh(client, person, decisions):
    client.force_login(person("councillor"))

    page = client.get("/cy/account/").text

    assert "Penderfyniadau sydd i ddod" in page
    assert "Mae 50% o’r penderfyniadau allweddol" in page
