import pytest

from tests.elections.factories import OfficerFactory


@pytest.fixture
def elections_officer(db):
    return OfficerFactory()
