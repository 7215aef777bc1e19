"""A process streams at most KB_EXPORTS_PER_PROCESS CSV exports at once (api/exports.py): one more
is a 503 with Retry-After at once, pages and JSON lists are answered beside it, and the slot comes
back when the response is closed — read to the end or not (bench/worst.py: eight clients exporting
without pause kept an ordinary page waiting 25–39 s)."""

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections

import api.exports

from .common import error_of

pytestmark = pytest.mark.django_db

EXPORT = "/api/v1/instruments/?format=csv&jurisdiction=eu"


def close(response):
    """Close a response as the server does, but keep the test's database connection: closing
    sends request_finished, whose close_old_connections would end the test's transaction (the
    test client disconnects it around its own requests the same way)."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


@pytest.fixture
def one_slot(settings):
    settings.KB_EXPORTS_PER_PROCESS = 1
    api.exports.reset()
    yield
    api.exports.reset()


def test_a_second_export_while_one_streams_is_503_with_retry_after(client, one_slot):
    first = client.get(EXPORT)
    assert first.status_code == 200 and first.streaming
    second = client.get("/api/v1/agreements/?format=csv")
    error = error_of(second, 503)
    assert error["code"] == "exports_busy"
    assert "data release" in error["message"]
    assert second["Retry-After"] == str(api.exports.RETRY_AFTER_SECONDS)
    close(first)


def test_pages_and_json_lists_are_answered_while_an_export_streams(client, one_slot):
    first = client.get(EXPORT)
    assert client.get("/api/v1/instruments/?jurisdiction=eu").status_code == 200
    assert client.get("/en/instruments/").status_code == 200
    close(first)


def test_the_slot_comes_back_when_the_export_is_read_to_the_end(client, one_slot):
    first = client.get(EXPORT)
    body = b"".join(first.streaming_content).decode()
    assert body.startswith("id,")
    assert client.get(EXPORT).status_code == 200  # the test client closed the first when it was read


def test_the_slot_comes_back_when_an_unread_export_is_closed(client, one_slot):
    first = client.get(EXPORT)
    close(first)  # a client that went away: the server closes the response unread
    second = client.get(EXPORT)
    assert second.status_code == 200
    close(second)


def test_two_slots_admit_two_exports_and_0_turns_the_limit_off(client, settings):
    settings.KB_EXPORTS_PER_PROCESS = 2
    api.exports.reset()
    try:
        held = [client.get(EXPORT), client.get(EXPORT)]
        assert [r.status_code for r in held] == [200, 200]
        error_of(client.get(EXPORT), 503)
        for response in held:
            close(response)
        settings.KB_EXPORTS_PER_PROCESS = 0
        api.exports.reset()
        held = [client.get(EXPORT) for _ in range(3)]
        assert [r.status_code for r in held] == [200, 200, 200]
    finally:
        api.exports.reset()
