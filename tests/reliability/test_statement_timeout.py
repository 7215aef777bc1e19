"""A query past the ceiling is cancelled and answered 503 with Retry-After (security review:
expensive searches held workers for seconds)."""

import pytest
from django.db import OperationalError, connection, transaction
from django.test import RequestFactory

from kzmigration.database import set_statement_timeout
from kzmigration.middleware import DatabaseUnavailableMiddleware


@pytest.mark.django_db
def test_a_query_past_the_ceiling_is_cancelled_and_answered_503(settings):
    if connection.vendor != "postgresql":
        pytest.skip("statement_timeout is PostgreSQL's")
    settings.KB_STATEMENT_TIMEOUT_MS = 200
    set_statement_timeout(sender=None, connection=connection)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            assert cursor.fetchone()[0] == "200ms"
            with pytest.raises(OperationalError) as cancelled, transaction.atomic():
                cursor.execute("SELECT pg_sleep(2)")
        assert "statement timeout" in str(cancelled.value)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")
    request = RequestFactory().get("/api/v1/instruments/", HTTP_HOST="127.0.0.1")
    response = DatabaseUnavailableMiddleware(lambda r: None).process_exception(request, cancelled.value)
    assert response.status_code == 503
    assert response["Retry-After"] == str(settings.DATABASE_RETRY_AFTER_SECONDS)
