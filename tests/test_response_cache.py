"""Response cache: repeated anonymous GETs are served from Django's cache, and every write
(save, delete, many-to-many change, bulk load) makes them stale at once."""

import pickle
import subprocess
import sys
import time

import pytest
from django.core.cache import caches
from django.core.management import call_command

from core.versioning import bump_data_version, data_version
from instruments.models import Instrument
from subjects.models import Subject

DETAIL = "/api/v1/instruments/eu-dir-2009-50/"
LIST = "/api/v1/instruments/?jurisdiction=eu"


def test_second_request_is_a_hit_with_the_same_body(client, cached):
    first = client.get(DETAIL)
    second = client.get(DETAIL)
    assert first["X-Cache"] == "miss"
    assert second["X-Cache"] == "hit"
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second.json()["id"] == "eu-dir-2009-50"


@pytest.mark.parametrize("path", [LIST, "/en/instruments/"])
def test_the_cache_keeps_bytes_and_headers_only(client, cached, path):
    # A REST framework Response pickled its `data` too: every row unpickled again on each hit.
    first = client.get(path)
    (stored,) = list(caches["pages"]._cache.values())
    status, headers, content = pickle.loads(stored)
    assert (status, type(headers).__name__, content) == (200, "ResponseHeaders", first.content)
    assert dict(headers) == {k: v for k, v in first.items() if k != "X-Cache"}
    hit = client.get(path)
    assert hit["X-Cache"] == "hit" and hit.content == first.content and hit["ETag"] == first["ETag"]


def test_a_hit_runs_no_query(client, cached, django_assert_num_queries):
    client.get(LIST)
    with django_assert_num_queries(0):
        assert client.get(LIST)["X-Cache"] == "hit"


def test_save_invalidates(client, cached, django_capture_on_commit_callbacks):
    assert "Renamed for the test" not in client.get(DETAIL).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        instrument = Instrument.objects.get(pk="eu-dir-2009-50")
        instrument.short_title_en = "Renamed for the test"
        instrument.save()
    response = client.get(DETAIL)
    assert response["X-Cache"] == "miss"
    assert response.json()["short_title_en"] == "Renamed for the test"


def test_delete_and_m2m_change_invalidate(client, cached):
    client.get(LIST)
    version = data_version()
    instrument = Instrument.objects.get(pk="eu-dir-2009-50")
    instrument.subjects.add(Subject.objects.exclude(pk__in=instrument.subjects.values("pk")).first())
    assert data_version() != version
    version = data_version()
    Instrument.objects.get(pk="eu-dir-2024-1233").delete()
    assert data_version() != version
    response = client.get(LIST)
    assert response["X-Cache"] == "miss"
    assert "eu-dir-2024-1233" not in [item["id"] for item in response.json()["results"]]


def test_bulk_writers_bump_the_version(kb):
    version = data_version()
    bump_data_version()
    assert data_version() != version
    version = data_version()
    call_command("gen_synthetic", instruments=5, verbosity=0)
    assert data_version() != version


def test_other_requests_bypass_the_cache(client, cached, admin_user):
    client.get(DETAIL)
    assert client.head(DETAIL)["X-Cache"] == "hit"
    # Different Accept or query: a different entry.
    assert client.get(DETAIL + "?format=json")["X-Cache"] == "miss"
    # Logged-in staff never get (or fill) the public cache.
    client.force_login(admin_user)
    assert "X-Cache" not in client.get(DETAIL)
    # The admin and the health checks are never cached.
    assert "X-Cache" not in client.get("/admin/")
    client.logout()
    assert "X-Cache" not in client.get("/healthz")


def test_a_browser_after_a_script_still_gets_cors_headers(client, cached):
    """An answer cached for a request without Origin (curl, a server) is not given to a browser,
    which needs Access-Control-Allow-Origin to read it: the Origin is part of the key."""
    plain = client.get(LIST)
    assert plain["X-Cache"] == "miss" and "Access-Control-Allow-Origin" not in plain
    browser = client.get(LIST, HTTP_ORIGIN="https://notebook.example")
    assert browser["Access-Control-Allow-Origin"] == "*"
    assert browser["X-Cache"] == "miss"
    again = client.get(LIST, HTTP_ORIGIN="https://other.example")
    assert again["X-Cache"] == "hit" and again["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in client.get(LIST)


def test_junk_accept_headers_share_one_entry_per_format(client, cached):
    """The key names the negotiated format, not the raw Accept header."""
    client.get(LIST, HTTP_ACCEPT="application/json")
    for junk in ("application/json, text/x-junk-1", "application/json;q=0.9, image/x-junk-2", "*/*"):
        assert client.get(LIST, HTTP_ACCEPT=junk)["X-Cache"] == "hit"
    assert client.get(LIST, HTTP_ACCEPT="text/csv")["Content-Type"].startswith("text/csv")


def test_errors_are_not_cached(client, cached):
    response = client.get("/api/v1/instruments/?no_such_filter=1")
    assert response.status_code == 400
    assert "X-Cache" not in response


def test_conditional_get_on_a_hit(client, cached):
    client.get(DETAIL)
    hit = client.get(DETAIL)
    assert hit["X-Cache"] == "hit"
    assert client.get(DETAIL, HTTP_IF_NONE_MATCH=hit["ETag"]).status_code == 304


def test_caching_is_off_in_the_test_suite_by_default(client, kb):
    client.get(DETAIL)
    assert "X-Cache" not in client.get(DETAIL)


def test_redis_when_redis_url_is_set_local_memory_otherwise(production_settings):
    def backends(values):
        return [(alias, c["BACKEND"].rsplit(".", 1)[1], c["LOCATION"]) for alias, c in values["CACHES"].items()]

    with_redis = production_settings(DJANGO_SECRET_KEY="x", REDIS_URL="redis://127.0.0.1:6379/3")
    assert backends(with_redis) == [
        ("default", "SharedClientRedisCache", "redis://127.0.0.1:6379/3"),
        ("pages", "AnswerRedisCache", "redis://127.0.0.1:6379/3"),
        ("data_version", "SharedClientRedisCache", "redis://127.0.0.1:6379/3"),
    ]
    without = production_settings(DJANGO_SECRET_KEY="x", DJANGO_DATA_VERSION_DIR="/tmp/kb-version")
    assert backends(without) == [
        ("default", "LocMemCache", "kb-default"),
        ("pages", "BoundedLocMemCache", "kb-pages"),
        ("data_version", "VersionFileCache", "/tmp/kb-version"),
    ]
    production = production_settings(DJANGO_SECRET_KEY="x")
    assert production["KB_RESPONSE_CACHE_SECONDS"] == 600
    assert production["KB_RESPONSE_CACHE_HEADER"] is False
    assert production["STORAGES"]["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_static_files_get_hashed_names_and_gzip_copies(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    production = "whitenoise.storage.CompressedManifestStaticFilesStorage"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": production}}
    call_command("collectstatic", interactive=False, verbosity=0)
    from django.contrib.staticfiles.storage import staticfiles_storage

    css = [p for p in (tmp_path / "css").iterdir() if p.suffix == ".css"]
    hashed = [p for p in css if p.stem.count(".") == 1]
    assert hashed, [p.name for p in css]
    assert (tmp_path / "css" / (hashed[0].name + ".gz")).exists()
    original = hashed[0].name.split(".")[0] + ".css"
    assert staticfiles_storage.url(f"css/{original}").endswith(hashed[0].name)


def test_version_carries_the_time_of_the_last_change(kb):
    import datetime

    from core.versioning import data_last_modified

    before = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    bump_data_version()
    changed = data_last_modified()
    assert before <= changed <= datetime.datetime.now(datetime.UTC)
    assert data_last_modified() == changed  # reading does not change it


def test_version_file_cache_rereads_a_replaced_file_and_honours_expiry(tmp_path, monkeypatch):
    """Its reads are remembered while the file stays the same; a file another process replaced
    (Django renames a new file over it) is read again, and an expired entry is gone."""
    import time

    from django.core.cache.backends.filebased import FileBasedCache

    from kzmigration.cache import VersionFileCache

    ours = VersionFileCache(str(tmp_path), {})
    elsewhere = FileBasedCache(str(tmp_path), {})  # another process's view of the same files
    elsewhere.set("kb:data-version", "first-1", None)
    assert ours.get("kb:data-version") == "first-1"
    assert ours.get("kb:data-version") == "first-1"
    elsewhere.set("kb:data-version", "second-2", None)
    assert ours.get("kb:data-version") == "second-2"
    ours.set("kb:data-version", "third-3", None)
    assert elsewhere.get("kb:data-version") == "third-3"
    elsewhere.delete("kb:data-version")
    assert ours.get("kb:data-version", "gone") == "gone"
    ours.set("short", "lived", 60)
    assert ours.get("short") == "lived"
    later = time.time() + 120
    monkeypatch.setattr(time, "time", lambda: later)
    assert ours.get("short") is None
    assert not ours.has_key("short")


@pytest.mark.slow
def test_version_file_is_shared_by_the_processes_of_a_machine(settings, tmp_path):
    """Without Redis the version lives in a file cache: a write in another process (a management
    command, another worker) is seen at once."""
    file_cache = {"BACKEND": "kzmigration.cache.VersionFileCache", "LOCATION": str(tmp_path)}
    settings.CACHES = {**settings.CACHES, "data_version": file_cache}
    first = data_version()
    assert data_version() == first
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'kzmigration.settings.base'; import django; "
        "django.setup(); from core.versioning import bump_data_version; bump_data_version()"
    )
    subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        env={"DJANGO_SECRET_KEY": "x", "DJANGO_DATA_VERSION_DIR": str(tmp_path), "PATH": ""},
    )
    second = data_version()
    assert second != first
    bump_data_version()
    assert data_version() not in (first, second)


def redis_reachable():
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_reachable(), reason="no Redis server on 127.0.0.1:6379")
def test_responses_and_version_shared_through_redis(client, settings, kb):
    """With Redis, a second app instance (here: a fresh cache connection) sees the same entries,
    and a bump from anywhere makes them stale."""
    redis = {
        "BACKEND": "kzmigration.cache.SharedClientRedisCache",  # as settings/base.py has it
        "LOCATION": "redis://127.0.0.1:6379/9",
        "KEY_PREFIX": "kzmigration-test",
    }
    answers = {**redis, "BACKEND": "kzmigration.cache.AnswerRedisCache"}
    settings.CACHES = {"default": redis, "pages": answers, "data_version": redis}
    settings.KB_RESPONSE_CACHE_SECONDS = 60
    caches["pages"].clear()
    try:
        for url in (DETAIL, LIST):
            assert client.get(url)["X-Cache"] == "miss"
            assert client.get(url)["X-Cache"] == "hit"
        # One redis.Redis client serves every operation (making one per operation was most of a hit).
        redis_client = caches["pages"]._cache.get_client()
        assert caches["pages"]._cache.get_client("any", write=True) is redis_client
        from django.core.cache.backends.redis import RedisCache

        other_instance = RedisCache(redis["LOCATION"], {"KEY_PREFIX": redis["KEY_PREFIX"]})
        assert other_instance.get("kb:data-version") == data_version()
        # A write elsewhere to one record: lists go stale, that record's pages too, no others.
        other_instance.set("kb:data-version", "bumped-elsewhere-0", None)
        assert data_version() == "bumped-elsewhere-0"
        assert client.get(LIST)["X-Cache"] == "miss"
        assert client.get(DETAIL)["X-Cache"] == "hit"
        other_instance.set("kb:record-version:instrument:eu-dir-2009-50", "bumped-elsewhere-1", None)
        assert client.get(DETAIL)["X-Cache"] == "miss"
        # A write elsewhere that any page may show (a source, a country): every page goes stale.
        assert client.get(DETAIL)["X-Cache"] == "hit"
        other_instance.set("kb:shared-version", "bumped-elsewhere-2", None)
        assert client.get(DETAIL)["X-Cache"] == "miss"
    finally:
        caches["pages"].clear()


@pytest.mark.skipif(not redis_reachable(), reason="no Redis server on 127.0.0.1:6379")
def test_answers_read_from_redis_are_kept_in_the_process_for_a_minute_at_most():
    """AnswerRedisCache: an answer another instance stored is read from Redis once, then from
    this process; what Redis no longer holds is kept here for NEAR_SECONDS at most."""
    from django.core.cache.backends.redis import RedisCache

    from kzmigration.cache import AnswerRedisCache

    location, prefix = "redis://127.0.0.1:6379/9", "kzmigration-near-test"
    here = AnswerRedisCache(location, {"KEY_PREFIX": prefix})
    other_instance = RedisCache(location, {"KEY_PREFIX": prefix})
    here.clear()
    try:
        assert here.get("response:v1:abc") is None
        other_instance.set("response:v1:abc", (200, "headers", b"body"), 600)
        assert here.get("response:v1:abc") == (200, "headers", b"body")  # from Redis
        other_instance.delete("response:v1:abc")
        assert here.get("response:v1:abc") == (200, "headers", b"body")  # from this process
        assert here.get("response:v1:abc", version=2) is None  # versions are part of the key
        # In the process for a minute at most, however long Redis keeps it.
        here.set("response:v2:def", b"x", 600)
        assert here._near._expire_info[here._near.make_key("response:v2:def")] <= time.time() + 60
        here.set("response:v2:short", b"x", 5)
        assert here._near._expire_info[here._near.make_key("response:v2:short")] <= time.time() + 5
        here.delete("response:v2:def")
        assert here.get("response:v2:def") is None and other_instance.get("response:v2:def") is None
        # Every thread's instance of the cache shares the process's store.
        assert AnswerRedisCache(location, {"KEY_PREFIX": prefix}).get("response:v2:short") == b"x"
        other_instance.delete("response:v2:short")
        here.clear()
        assert AnswerRedisCache(location, {"KEY_PREFIX": prefix}).get("response:v2:short") is None
    finally:
        here.clear()


@pytest.mark.slow  # a sweep of junk requests: make check leaves it to make test
def test_a_hundred_junk_requests_leave_the_cache_within_a_small_bound(client, cached):
    """Security review, finding M1: junk headers and parameters grew the cache ~0.6 MB a request.

    A hundred requests (it was a thousand): each carries a parameter, Accept, Accept-Language,
    header and (every other one) port of its own, so a cache that stored any one of those
    kinds of junk would hold 25 to 100 more entries, far over the bound of two; the cache
    evicts nothing below MAX_ENTRIES (2,000 in the test settings), so more requests would
    only repeat the same check."""
    pages = caches["pages"]
    client.get("/en/")
    client.get("/en/instruments/?jurisdiction=eu")
    client.get(LIST)
    entries, size = len(pages._cache), pages.size_in_bytes()
    assert entries == 3
    assert client.get("/en/instruments/?jurisdiction=eu&junk=1").get("X-Cache") is None  # not stored
    for i in range(50):
        client.get(
            f"/en/?junk{i}=1",
            HTTP_ACCEPT_LANGUAGE=f"x-junk-{i}",
            HTTP_ACCEPT=f"text/html, application/x-junk-{i}",
            HTTP_X_JUNK=str(i),
            HTTP_HOST=f"127.0.0.1:{10000 + i}" if i % 2 else "127.0.0.1",
        )
        client.get(LIST, HTTP_ACCEPT=f"application/json, text/x-junk-{i}", HTTP_ACCEPT_LANGUAGE=f"x-{i}")
    # Ports of a host are one host to ALLOWED_HOSTS but a distinct key: at most two more pages.
    assert len(pages._cache) <= entries + 2
    assert pages.size_in_bytes() <= 3 * size


def test_a_session_cookie_that_names_no_session_does_not_bypass_the_cache(client, cached):
    client.get(DETAIL)
    client.cookies["sessionid"] = "not-a-session-of-this-site"
    assert client.get(DETAIL)["X-Cache"] == "hit"


def test_the_in_process_cache_is_bounded_in_bytes(settings):
    from kzmigration.cache import BoundedLocMemCache

    cache = BoundedLocMemCache("bounded-test", {"OPTIONS": {"MAX_ENTRIES": 1000, "MAX_BYTES": 100_000}})
    for i in range(50):
        cache.set(f"entry-{i}", "x" * 10_000)
    assert cache.size_in_bytes() <= 100_000
    assert cache.get("entry-49") is not None and cache.get("entry-0") is None
