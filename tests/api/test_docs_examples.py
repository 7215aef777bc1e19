"""The Python examples of docs/api.md that use requests run against the test client, as written."""

import contextlib
import io
import re
from urllib.parse import urlsplit

import pytest
import requests
from django.conf import settings
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

pytestmark = pytest.mark.django_db

DOC = settings.BASE_DIR / "docs" / "api.md"
EXAMPLES = [block for block in re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
            if "import requests" in block]  # fmt: skip


class TestClientAdapter(BaseAdapter):
    """requests' transport, answered by Django's test client; every answer is kept."""

    def __init__(self, client):
        super().__init__()
        self.client, self.answers = client, []

    def send(self, request, **kwargs):
        url = urlsplit(request.url)
        headers = {
            f"HTTP_{name.upper().replace('-', '_')}": value
            for name, value in request.headers.items()
            if name.lower() not in ("host", "content-length")
        }
        answer = self.client.generic(
            request.method, url.path + (f"?{url.query}" if url.query else ""), HTTP_HOST=url.netloc, **headers
        )
        response = requests.Response()
        response.status_code = answer.status_code
        response._content = b"".join(answer.streaming_content) if answer.streaming else answer.content
        response._content_consumed = True
        response.headers = CaseInsensitiveDict(answer.headers)
        response.encoding = "utf-8"
        response.url, response.request, response.reason = request.url, request, answer.reason_phrase
        self.answers.append((request.url, answer.status_code))
        return response

    def close(self):
        pass


def test_there_are_requests_examples():
    assert len(EXAMPLES) >= 4


@pytest.mark.parametrize("code", EXAMPLES, ids=[f"example-{n}" for n in range(1, len(EXAMPLES) + 1)])
def test_documented_example_runs(client, kb, monkeypatch, code):
    adapter = TestClientAdapter(client)
    monkeypatch.setattr(requests.Session, "get_adapter", lambda self, url: adapter)
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(compile(code, str(DOC), "exec"), {"__name__": "docs_example"})
    assert adapter.answers, "the example made no request"
    failed = [(url, status) for url, status in adapter.answers if status >= 400 and status != 404]
    assert not failed
    assert output.getvalue().strip()


def test_examples_print_what_the_docs_say(client, kb, monkeypatch):
    adapter = TestClientAdapter(client)
    monkeypatch.setattr(requests.Session, "get_adapter", lambda self, url: adapter)
    light = next(code for code in EXAMPLES if "fields=*" in code)
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(compile(light, str(DOC), "exec"), {"__name__": "docs_example"})
    assert "id,partners,partners_alpha3,partner_names,status" in output.getvalue()
    assert "no_longer_in_force ['eu-dir-2021-1883']" in output.getvalue()
