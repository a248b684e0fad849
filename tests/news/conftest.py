import pytest

from tests.core.factories import AreaFactory
from tests.news.factories import EditorFactory


@pytest.fixture
def editor(db):
    return EditorFactory()


@pytest.fixture
def ward(db):
    return AreaFactory(code="E05999904", name="Riverside", name_cy="Glan yr Afon")
