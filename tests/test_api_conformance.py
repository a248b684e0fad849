"""The API against its own OpenAPI document, by schemathesis: every operation is called with
requests generated from the document, and must answer without a server error, with a
status code the document lists for it, and a body that fits the schema it gives.

Requests go straight to the WSGI application, in the test's transaction, with a published
dataset whose table is in the DataStore and a data publisher's API token, so half the
generated requests name things that exist and reach the code behind them.
"""

import itertools

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.opendata.factories import DatasetFactory, OrganisationFactory, ThemeFactory, upload
from townhall.core.api import api
from townhall.opendata import services

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 15


@pytest.fixture(autouse=True)
def _connection_kept_between_calls():
    """The WSGI handler closes the database connection after each request, as it should
    between requests in production; here it would close the test's transaction. Django's
    test client keeps it open the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(person, settings, tmp_path):
    """What the generated requests may name: a dataset, its resource and table, a token."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.TOWNHALL_API_RATE = "100000/m"
    publisher = person("data_publisher", is_staff=True)
    OrganisationFactory(slug="finance")
    ThemeFactory(slug="money")
    dataset = DatasetFactory(slug="recycling", published=True)
    resource = upload(publisher, dataset).resource
    _token, secret = services.api_token_create(actor=publisher, name="conformance")
    return {
        "ids": {
            "dataset_id": dataset.slug,
            "resource_id": str(resource.pk),
            "table_id": str(resource.pk),
        },
        # Schemathesis calls the WSGI application directly and reads bodies as sent, so it
        # asks for them uncompressed (pages are gzipped for clients that accept it).
        "headers": {"Authorization": f"Token {secret}", "Accept-Encoding": "identity"},
    }


schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = get_wsgi_application()
calls = itertools.count()


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.django_db
def test_api_answers_as_its_openapi_document_says(case, seeded):
    if next(calls) % 2:
        for name, value in seeded["ids"].items():
            if name in (case.path_parameters or {}):
                case.path_parameters[name] = value
    case.call_and_validate(headers=seeded["headers"], checks=CHECKS)
