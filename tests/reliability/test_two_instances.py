"""Two app instances, one database and one Redis: an edit made through instance A's admin is
seen by instance B at once, on the HTML page and in the API, although B had the old answers
in the response cache a moment before (docs/deploy.md, "How caching stays correct").

Each instance is a gunicorn of its own (production settings, response cache on, two workers)
on a free port. They share the database — on SQLite one database file, a copy of the
session's test database (migrated and loaded); on PostgreSQL the session's test database —
and Redis at 127.0.0.1:6379 on a database number of this run (REDIS_URL): the response
cache and the data version. Without Redis the test skips, except in CI (CI=true), where it fails.

On PostgreSQL the edit lands in the session's test database, which later tests read: the test
puts back the title and the row's `updated_at`, and deletes the history rows, the user, its
session and its login records it made.
"""

import http.cookiejar
import json
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest

from tests.web.conftest import server_database_url

from .support import PRODUCTION_ENV, REDIS, Gunicorn, clean_env, manage, require_redis
from .test_admin_security import form_data

PASSWORD = "two instances, one truth 42"
APP_NAME = "kz-two-instances"  # application_name of the instances' PostgreSQL sessions (PGAPPNAME)


class Browser:
    """An HTTP client of one instance with its own cookies (urllib follows no redirect here)."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), self._NoRedirect)

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers={"Host": "127.0.0.1"})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.headers, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode("utf-8", "replace")

    def cookie(self, name):
        return next((cookie.value for cookie in self.cookies if cookie.name == name), None)


def log_in(browser, username):
    status, _headers, _body = browser.request("/admin/login/?next=/admin/")
    assert status == 200
    status, headers, body = browser.request(
        "/admin/login/?next=/admin/",
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": browser.cookie("csrftoken")},
    )
    assert status == 302 and headers["Location"] == "/admin/", f"staff login on instance A failed: {body[:2000]}"


def change_title_through_the_admin(browser, pk, title):
    url = f"/admin/instruments/instrument/{pk}/change/"
    status, _headers, page = browser.request(url)
    assert status == 200, page[:2000]
    data = form_data(page, "instrument_form")
    data["title_en"] = [title]
    status, headers, body = browser.request(url, data)
    assert status == 302, f"instance A's admin refused the change ({status}): {body[:3000]}"


def fetch_twice(browser, path):
    """The answer and the X-Cache of a second request for `path`."""
    for _ in range(2):
        status, headers, body = browser.request(path)
        assert status == 200, (path, status, body[:1000])
    return body, headers.get("X-Cache")


def fetch(browser, path):
    status, headers, body = browser.request(path)
    assert status == 200, (path, status, body[:1000])
    return body, headers.get("X-Cache")


@pytest.mark.slow
def test_an_edit_through_instance_a_is_seen_by_instance_b_at_once(kb, tmp_path, kb_sqlite_copy):
    require_redis()
    from django.core.cache.backends.redis import RedisCache
    from django.db import connection

    from core.versioning import VERSION_KEY
    from instruments.models import Instrument

    database_url, prepare = server_database_url(connection, tmp_path)
    # A Redis database no other test of the suite uses (3, 9, 14; the load test's 8).
    redis_url = f"redis://{REDIS[0]}:{REDIS[1]}/13"
    env = clean_env(
        **{**PRODUCTION_ENV, "DJANGO_HTTPS": "0", "DJANGO_ALLOWED_HOSTS": "127.0.0.1"},
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        DJANGO_SECRET_KEY="two-instances-" + secrets.token_urlsafe(40),  # the same on both
        DJANGO_CACHE_STATUS_HEADER="1",
        DJANGO_API_THROTTLE_ANON="off",
        DJANGO_PAGE_THROTTLE="off",
        DJANGO_CONN_MAX_AGE="60",
        PGAPPNAME=APP_NAME,
    )
    if prepare:  # a copy of the session's test database, migrated and loaded (tests/kb_snapshot.py)
        kb_sqlite_copy(tmp_path / "browser-server.sqlite3")
    # A data version of this run, so that no answer another run left in this Redis database is reachable.
    shared = RedisCache(redis_url, {"KEY_PREFIX": "kb"})
    shared.set(VERSION_KEY, f"{uuid.uuid4().hex[:12]}-{int(time.time())}", None)

    username = f"editor-{secrets.token_hex(4)}"
    started, servers, browser_a, original = time.time(), [], None, None
    try:
        manage(
            "createsuperuser",
            "--noinput",
            "--username",
            username,
            "--email",
            f"{username}@example.org",
            env={**env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD},
        )
        servers += [Gunicorn(env, workers=2), Gunicorn(env, workers=2)]
        a, b = Browser(servers[0].base), Browser(servers[1].base)
        browser_a = a
        listed = json.loads(fetch(b, "/api/v1/instruments/?page_size=1")[0])
        assert listed["count"] > 100, "instance B serves no knowledge base"
        pk = listed["results"][0]["id"]
        if not prepare:  # committed data, which this test's transaction reads too
            original = Instrument.objects.filter(pk=pk).values("pk", "title_en", "updated_at").get()
        page, api = f"/en/instruments/{pk}/", f"/api/v1/instruments/{pk}/"
        old_title = json.loads(fetch(a, api)[0])["title_en"]
        marker = f"changed through instance A, {secrets.token_hex(3)}"  # nothing HTML would escape
        new_title = f"{old_title} ({marker})"

        # B answers both from the shared cache before the edit, with the old title.
        for path in (page, api):
            body, cached = fetch_twice(b, path)
            assert cached == "hit", f"instance B did not cache {path}"
            assert marker not in body
        assert json.loads(body)["title_en"] == old_title
        before = shared.get(VERSION_KEY)

        log_in(a, username)
        change_title_through_the_admin(a, pk, new_title)

        assert shared.get(VERSION_KEY) != before, "the admin's save did not replace the shared data version"
        body, cached = fetch(b, page)
        assert cached == "miss"
        assert marker in body, f"instance B's page still shows the old title after the edit on A: {old_title!r}"
        body, cached = fetch(b, api)
        assert cached == "miss"
        assert json.loads(body)["title_en"] == new_title
        # And B caches the new answer again: the next request is a hit with the new title.
        body, cached = fetch(b, api)
        assert cached == "hit" and json.loads(body)["title_en"] == new_title
    finally:
        for server in servers:
            server.stop()
        if not prepare:
            session = browser_a.cookie("sessionid") if browser_a else None
            done = {"original": original, "started": started, "username": username, "session": session}
            restore_the_test_database(connection, env, done)


# Run in a process of its own: this test's own connection is inside the transaction the test
# runs in (pytest-django's `db`), which is rolled back, and what must be undone was committed.
RESTORE = """
import datetime, json
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from core.versioning import bump_data_version
from instruments.models import Instrument

done = json.loads({done!r})
if done["original"]:  # the row as it was; update() writes no history row of its own
    original = done["original"]
    Instrument.objects.filter(pk=original.pop("pk")).update(**original)
since = datetime.datetime.fromtimestamp(done["started"], tz=datetime.UTC)
Instrument.history.filter(history_date__gte=since).delete()
Session.objects.filter(session_key=done["session"]).delete()
for name in ("AccessAttempt", "AccessLog", "AccessFailureLog"):
    try:
        apps.get_model("axes", name).objects.filter(username=done["username"]).delete()
    except LookupError:
        pass
get_user_model().objects.filter(username=done["username"]).delete()  # and its admin log entries
bump_data_version()
"""


def restore_the_test_database(connection, env, done):
    """Undo on PostgreSQL what the instances committed to the session's test database."""
    manage("shell", "-c", RESTORE.format(done=json.dumps(done, default=str)), env=env)
    deadline = time.monotonic() + 15
    # The stopped instances' sessions end a moment after they exit; until then the test
    # database could not be dropped at the end of the run.
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = %s",
                [APP_NAME],
            )
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.1)
