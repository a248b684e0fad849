import pytest

from tests.participation.factories import LeadFactory


@pytest.fixture
def lead(db):
    return LeadFactory()


@pytest.fixture
def approver(db):
    return LeadFactory()


@pytest.fixture
def officer(person):
    return person("officer", is_staff=True)
