import pytest

from townhall.core.registry import Manifest, registry

from .factories import OWNER, TableFactory


@pytest.fixture
def readers(monkeypatch):
    """Who may read the tables these tests load (as OWNER): `readers.check` is the owning
    module's datastore_readers, deny-all until a test or fixture sets it."""

    class Readers:
        check = staticmethod(lambda table_id, user: False)

    monkeypatch.setitem(
        registry._manifests,
        OWNER,
        Manifest(
            app_label=OWNER,
            name="DataStore tests",
            datastore_readers=lambda table_id, user: Readers.check(table_id, user),
        ),
    )
    return Readers


@pytest.fixture
def public_tables(readers):
    """Every table the tests load is public, as open data's check says of a published one."""
    readers.check = staticmethod(lambda table_id, user: True)
    return readers


@pytest.fixture
def private_tables(readers):
    return readers


@pytest.fixture
def make_table(db, tmp_path):
    """make_table(rows=..., header=..., type_overrides=...) -> TableInfo of a loaded table."""

    def make(**options):
        return TableFactory(folder=tmp_path, **options)

    return make
