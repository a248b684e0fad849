import json

import pytest
from jsonschema import Draft7Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from tests.core.factories import PostcodeFactory

#: Where the standard's OpenAPI document says its schemas are; the registry serves the
#: local copies at these addresses, so nothing is fetched.
PUBLISHED = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"


@pytest.fixture(scope="session")
def openreferral(standards_dir):
    """Validates a response body against the schema the standard's OpenAPI document gives
    for a path: `openreferral("/services/{id}", body)` raises on the first mismatch."""
    folder = standards_dir / "openreferral-uk-3.0" / "schema"
    if not folder.is_dir():
        pytest.skip(f"Open Referral UK 3.0 schemas are not in {folder}")
    resources = []
    for path in folder.rglob("*.json"):
        contents = json.loads(path.read_text())
        address = PUBLISHED + path.relative_to(folder).as_posix()
        resources.append((address, Resource.from_contents(contents, default_specification=DRAFT7)))
    registry = Registry().with_resources(resources)
    openapi = json.loads((folder / "openapi.json").read_text())
    components = {"components": openapi["components"]}

    def validate(path: str, body: dict) -> None:
        schema = openapi["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        schema = {**schema["schema"], **components}
        validator = Draft7Validator(schema, registry=registry, format_checker=FormatChecker())
        validator.validate(body)

    return validate


@pytest.fixture
def postcode(db):
    """NB1 1AA, where the factories put their places."""
    return PostcodeFactory(postcode="NB1 1AA", latitude=53.05, longitude=-1.55)
