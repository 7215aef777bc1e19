"""Secure by default: settings from the environment (read in this process; Django's own start-up
checks in fresh processes), and the security headers every response carries."""

import re
import secrets
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured

from .support import PRODUCTION_ENV, ROOT, clean_env, manage


def strong_key():
    return secrets.token_urlsafe(50)


def test_settings_refuse_a_missing_secret_key_outside_debug(production_settings):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY is not set") as error:
        production_settings()
    assert "DJANGO_DEBUG=1" in str(error.value)  # the message says how to run locally


@pytest.mark.slow
def test_refuses_to_start_without_a_secret_key_outside_debug():
    result = manage("check", env=clean_env(), check=False)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr
    assert "DJANGO_DEBUG=1" in result.stderr  # the message says how to run locally


def test_debug_is_off_unless_asked_for(production_settings):
    assert production_settings(DJANGO_SECRET_KEY=strong_key())["DEBUG"] is False
    assert production_settings(DJANGO_SECRET_KEY=strong_key(), DJANGO_DEBUG="yes-please")["DEBUG"] is False
    debug = production_settings(DJANGO_DEBUG="1")  # debug needs no key
    assert debug["DEBUG"] is True
    assert debug["SECURE_HSTS_SECONDS"] == 0


def test_hosts_and_trusted_origins_come_from_the_environment(production_settings):
    values = production_settings(
        DJANGO_SECRET_KEY=strong_key(),
        DJANGO_ALLOWED_HOSTS="kb.example.org, www.kb.example.org",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://kb.example.org",
    )
    assert values["ALLOWED_HOSTS"] == ["kb.example.org", "www.kb.example.org"]
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://kb.example.org"]


def test_local_defaults_work_over_plain_http_but_keep_hsts_on(production_settings):
    values = production_settings(DJANGO_SECRET_KEY=strong_key())
    assert values["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost", "[::1]"]
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600  # only ever sent over HTTPS
    assert values["X_FRAME_OPTIONS"] == "DENY"


def test_https_switch_turns_on_redirect_and_secure_cookies(production_settings):
    values = production_settings(DJANGO_SECRET_KEY=strong_key(), DJANGO_HTTPS="1", DJANGO_HSTS_SECONDS="600")
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is True and values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] == 600
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True


@pytest.mark.slow
def test_deploy_check_passes_under_the_documented_production_environment():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=clean_env(DJANGO_SECRET_KEY=strong_key(), **PRODUCTION_ENV),
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.slow
def test_deploy_check_catches_a_production_run_without_https():
    """The check is real: leave out DJANGO_HTTPS and it names what is missing."""
    env = {**PRODUCTION_ENV, "DJANGO_HTTPS": "0"}
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=clean_env(DJANGO_SECRET_KEY=strong_key(), **env),
        check=False,
    )
    assert result.returncode != 0
    for warning in ("security.W008", "security.W012", "security.W016"):  # redirect, session and CSRF cookies
        assert warning in result.stderr + result.stdout


def test_documented_production_environment_matches_the_tests():
    text = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")
    for name, value in PRODUCTION_ENV.items():
        assert re.search(rf"^{name}={re.escape(value)}$", text, re.M), (
            f"{name}={value} missing from docs/reliability.md"
        )


# --------------------------------------------------------------------------- response headers


EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "frame-ancestors": "'none'",
    "object-src": "'none'",
}


def parse_csp(header):
    return {part.split()[0]: " ".join(part.split()[1:]) for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("path", ["/en/", "/en/instruments/", "/healthz", "/admin/login/"])
def test_security_headers_on_every_kind_of_response(kb, client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = parse_csp(response["Content-Security-Policy"])
    for directive, value in EXPECTED_CSP.items():
        assert policy[directive] == value
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_hsts_on_https_responses(kb, client):
    response = client.get("/healthz", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "Strict-Transport-Security" not in client.get("/healthz")  # never over plain HTTP


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<style\b|<[^>]+\sstyle\s*=", re.I)


@pytest.mark.parametrize("path", ["/en/", "/en/instruments/", "/en/agreements/", "/ru/", "/kk/agreements/"])
def test_pages_need_no_inline_script_or_style(kb, client, path):
    """The CSP forbids inline code; a page that relied on it would silently break in browsers."""
    html = client.get(path).content.decode()
    # JSON-LD data blocks are not executed, so the CSP allows them.
    html = re.sub(r'<script type="application/ld\+json">.*?</script>', "", html, flags=re.S)
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html).group(0)
    assert not INLINE_HANDLER.search(html), INLINE_HANDLER.search(html).group(0)
    assert not INLINE_STYLE.search(html), INLINE_STYLE.search(html).group(0)


def test_api_docs_exception_is_scoped_to_its_page_and_styles(kb, client):
    """Swagger UI needs one inline style block; its page alone may have it, and never inline script."""
    response = client.get("/api/docs/")
    assert response.status_code == 200
    policy = parse_csp(response["Content-Security-Policy"])
    assert policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html)
    assert "unsafe-inline" not in client.get("/en/instruments/")["Content-Security-Policy"]


@pytest.mark.postgres
def test_postgresql_sessions_run_without_parallel_query_workers(db):
    """Set per connection by settings (DJANGO_PG_PARALLEL_WORKERS, default 0): on a few cores
    under concurrent requests, parallel workers compete with the requests themselves."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"


@pytest.mark.parametrize(
    "path", ["//evil.example/en/instruments/", "//evil.example/", "/en//evil.example/instruments/"]
)
def test_double_slash_paths_link_nowhere_off_site(client, settings, path):
    # The test client would read "//evil.example" as a host; the raw path is what a server receives.
    response = client.get("/", PATH_INFO=path)
    assert response.status_code == 404
    links = re.findall(r'(?:href|action)="([^"]*)"', response.content.decode())
    assert links, "the 404 page has its language switcher and navigation"
    assert not [
        link
        for link in links
        if link.startswith("//")
        or urlsplit(link).netloc not in ("", "testserver", urlsplit(settings.KB_CANONICAL_URL).netloc)
    ]


def test_options_on_the_docs_and_trace_anywhere_are_not_errors(client):
    for path in ("/api/docs/", "/api/v1/schema/", "/en/", "/en/instruments/"):
        assert client.options(path).status_code in (200, 204, 405), path
    assert client.generic("TRACE", "/en/").status_code == 405
