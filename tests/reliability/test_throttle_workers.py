"""The throttle counts in the shared cache: two gunicorn workers admit 10 requests of a
10/minute limit between them, not 10 each (security review: 20 of 30 passed with 2 workers)."""

import pytest

from .support import PRODUCTION_ENV, REDIS, Gunicorn, clean_env, require_redis


@pytest.mark.slow
def test_a_limit_of_10_a_minute_admits_10_requests_across_two_workers(tmp_path):
    require_redis()
    # A Redis database of its own (the suite's others: 3, 9 and 13; the load test's 8), flushed
    # before and after, so neither earlier runs nor a test on another worker count.
    database = 14
    env = clean_env(
        **{**PRODUCTION_ENV, "DJANGO_HTTPS": "0", "DJANGO_ALLOWED_HOSTS": "127.0.0.1"},
        DATABASE_URL=f"sqlite:///{tmp_path / 'kb.sqlite3'}",
        DJANGO_SECRET_KEY="throttle-test-" + "x" * 50,
        REDIS_URL=f"redis://{REDIS[0]}:{REDIS[1]}/{database}",
        DJANGO_API_THROTTLE_ANON="10/minute",
        DJANGO_RESPONSE_CACHE_SECONDS="0",
    )
    import redis

    redis.Redis(host=REDIS[0], port=REDIS[1], db=database).flushdb()
    server = Gunicorn(env, workers=2)
    try:
        # The API root needs no tables: only the throttle is under test.
        answers = [server.get("/api/v1/") for _ in range(30)]
    finally:
        server.stop()
        redis.Redis(host=REDIS[0], port=REDIS[1], db=database).flushdb()
    statuses = [status for status, _headers, _body in answers]
    assert statuses.count(200) == 10, statuses
    assert statuses.count(429) == 20
    assert all(0 < int(headers["Retry-After"]) <= 60 for status, headers, _body in answers if status == 429)
