import pytest

from tests.elections.factories import OfficerFactory, riverside_stations, riverside_ward


@pytest.fixture
def elections_officer(db):
    return OfficerFactory()


@pytest.fixture
def riverside(db):
    return riverside_ward()


@pytest.fixture
def stations(riverside):
    return riverside_stations()
