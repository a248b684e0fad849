import pytest

from tests.core.factories import AreaFactory
from tests.leadership.factories import OfficerFactory, PortfolioFactory


@pytest.fixture
def officer(db):
    return OfficerFactory()


@pytest.fixture
def portfolio(db):
    return PortfolioFactory(name="Digital", name_cy="Digidol", slug="digital")


@pytest.fixture
def riverside(db):
    return AreaFactory(code="E05999904", name="Riverside", name_cy="Glan yr Afon")
