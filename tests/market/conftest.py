import json

import pytest
from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

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


@pytest.fixture(scope="module")
def ocds_schemas(standards_dir):
    folder = standards_dir / "ocds-1.1.5"
    if not folder.exists():
        pytest.skip(f"The OCDS 1.1.5 schemas are not in {folder}")
    resources = {}
    for path in folder.glob("*.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources[schema["id"]] = Resource.from_contents(schema, default_specification=DRAFT4)
    registry = Registry().with_resources(resources.items())

    def validator(name: str) -> Draft4Validator:
        schema = json.loads((folder / name).read_text(encoding="utf-8"))
        return Draft4Validator(schema, registry=registry, format_checker=FormatChecker())

    return {
        "releases": validator("release-package-schema.json"),
        "records": validator("record-package-schema.json"),
    }
