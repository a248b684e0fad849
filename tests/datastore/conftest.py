import pytest

from townhall.datastore import services

from .factories import TableFactory


@pytest.fixture
def public_tables():
    """Every DataStore table is public while the test runs, as open data's check would say."""
    previous = services.register_visibility(lambda table_id, user: True)
    yield
    services.register_visibility(previous)


@pytest.fixture
def private_tables():
    previous = services.register_visibility(lambda table_id, user: False)
    yield
    services.register_visibility(previous)


@pytest.fixture
def make_table(db, tmp_path):
    """make_table(rows=..., header=..., type_overrides=...) -> TableInfo of a loaded table."""

    def make(**options):
        return TableFactory(folder=tmp_path, **options)

    return make
