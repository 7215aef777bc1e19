"""Schema fuzzing: schemathesis generates requests from /api/v1/schema/ and calls the WSGI
app in-process. No server errors, and every response must match the documented schema
(status code, body shape), including the error responses."""

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from kzmigration.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
# The CSV and JSON-LD operations at the suffixed addresses (`/api/v1/instruments.csv`) are the JSON
# operations' views with the format fixed, and the JSON operations already fuzz `format`; fuzzing them
# too took 3 more minutes (schemathesis' coverage phase tries every parameter's edge values whatever
# max_examples says). tests/api/test_schema_for_clients.py checks that they answer their media type.
SUFFIXED = r"\.(csv|jsonld)$"


@pytest.fixture(autouse=True)
def _keep_the_test_database_connection():
    """Calling the WSGI app fires request_finished → close_old_connections, which would close
    the connection that holds pytest-django's test transaction (PostgreSQL then fails with
    "connection already closed"). Django's test client disconnects these handlers too."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    cache.clear()  # a fresh throttling window
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.slow
@pytest.mark.django_db
@schema.exclude(path_regex=SUFFIXED).parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_matches_its_schema(case):
    case.headers = {**(case.headers or {}), "Host": "127.0.0.1"}
    case.call_and_validate(checks=[not_a_server_error, response_schema_conformance, status_code_conformance])
