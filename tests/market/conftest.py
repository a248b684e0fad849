import pytest

from tests.market.factories import ChallengeFactory, OfficerFactory, SupplierFactory


@pytest.fixture
def officer(db):
    return OfficerFactory()


@pytest.fixture
def supplier(db):
    return SupplierFactory(name="Kestrel Analytics Ltd")


@pytest.fixture
def rival(db):
    return SupplierFactory(name="Harbour Digital Ltd")


@pytest.fixture
def challenge(db):
    return ChallengeFactory(title="Reducing missed bin collections", slug="missed-bins")
