"""Settings for kzmigration, read from the environment; production is the default.

Everything is strict unless DJANGO_DEBUG=1. The variables (all optional but the secret):

DATABASE_URL                 default: SQLite file under var/ (no server needed)
REDIS_URL                    e.g. redis://127.0.0.1:6379/0: cache, data version and throttles shared
                             by every app instance (default: this process's memory, and a file
                             under var/ for the data version)
DJANGO_SECRET_KEY            required when debug is off
DJANGO_DEBUG                 "1"/"true" turns debug on
DJANGO_ALLOWED_HOSTS         comma-separated; default 127.0.0.1,localhost,[::1]
DJANGO_CSRF_TRUSTED_ORIGINS  comma-separated origins, e.g. https://kb.example.org
DJANGO_HTTPS                 "1" behind HTTPS: redirect to HTTPS, Secure cookies, HSTS
KB_TODAY                     pins "today" for status computations (reproducible runs)
KB_CANONICAL_URL             the public address, e.g. https://kb.example.org: canonical links,
                             og:url, the sitemap and robots.txt (default: the request's own host)
and the others below, each documented where it is read (docs/deploy.md lists them all).
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE as CSP_NONE
from csp.constants import SELF as CSP_SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# --- Core ------------------------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random string "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = "insecure-development-key-only-used-with-DJANGO_DEBUG"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "csp",
    "axes",
    "simple_history",
    # The knowledge base, lowest layer first (the contracts in pyproject.toml check the order).
    "core",
    "api",
    "sources",
    "countries",
    "subjects",
    "instruments",
    "agreements",
    "errata",
    "visuals",
    "compare",
    "synthetic",
    "datafiles",
    "events",
]

# In the order a request passes them (responses pass them backwards):
# - the response cache first, so a hit skips everything below it (kzmigration/cache.py);
#   ConditionalGetMiddleware gives misses their ETag and 304;
# - a lost database is a 503 (DatabaseUnavailableMiddleware); a NUL in the path a 404;
# - CORS before CommonMiddleware, as django-cors-headers requires; django-axes last.
MIDDLEWARE = [
    "kzmigration.cache.ResponseCacheMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "kzmigration.throttles.PageThrottleMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "kzmigration.middleware.DatabaseUnavailableMiddleware",
    "kzmigration.middleware.NulBytePathMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kzmigration.urls"
WSGI_APPLICATION = "kzmigration.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler", "stream": sys.stderr}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# --- Database ---------------------------------------------------------------------------
# PostgreSQL's parallel query speeds one large query on an idle server; a web server runs
# many at once, and on a few cores the extra workers only compete (docs/performance.md).
# DJANGO_PG_PARALLEL_WORKERS sets max_parallel_workers_per_gather ("" keeps the server's).
# Broken connections are never reused (CONN_HEALTH_CHECKS), and an unreachable server
# fails fast (connect_timeout), so an outage is a 503 and recovery needs no restart.

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'kzmigration.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
PG_PARALLEL_WORKERS = os.environ.get("DJANGO_PG_PARALLEL_WORKERS", "0").strip()
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["OPTIONS"] = {"connect_timeout": 5}
    if PG_PARALLEL_WORKERS:
        DATABASES["default"]["OPTIONS"]["options"] = f"-c max_parallel_workers_per_gather={int(PG_PARALLEL_WORKERS)}"
# Parallel test runs on one PostgreSQL server need distinct test database names.
if os.environ.get("DJANGO_TEST_DB_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["DJANGO_TEST_DB_NAME"]}
DATABASE_RETRY_AFTER_SECONDS = int(os.environ.get("DJANGO_RETRY_AFTER_SECONDS", "30"))
# PostgreSQL: the web processes' ceiling on one query, in milliseconds (0: none); past it the
# answer is 503 with Retry-After (kzmigration/database.py). gunicorn's --timeout backs it up.
KB_STATEMENT_TIMEOUT_MS = int(os.environ.get("DJANGO_STATEMENT_TIMEOUT_MS", "3000"))

# --- Languages, static files ------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ru", "Русский"), ("kk", "Қазақша")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Hashed names (cacheable forever) and precompressed copies, served by WhiteNoise.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- The knowledge base -----------------------------------------------------------------

# The site's "today" for status computations; tests pin it.
KB_TODAY = os.environ.get("KB_TODAY", "")
# The article the knowledge base starts from: quotes marked `confidence: article` in the data
# files are checked against it (load_kb, check_data), and skipped with a warning where it is absent.
KB_ARTICLE_PATH = os.environ.get("KB_ARTICLE_PATH", str(BASE_DIR.parent / "shared" / "seed" / "article.md"))

# The base of the addresses the knowledge base names as its own: JSON-LD `@id`s, the URLs in
# citations and the data package, canonical links, og:url, sitemap.xml and robots.txt. One
# deployment, one address per record, whatever Host a request came with; a public deployment sets
# it to its public origin, e.g. https://kb.example.org.
KB_CANONICAL_URL = os.environ.get("KB_CANONICAL_URL", "http://127.0.0.1:8000").rstrip("/")

# Where `manage.py export_kb` writes the release that /data/ lists and serves.
KB_DATA_RELEASE_DIR = os.environ.get("KB_DATA_RELEASE_DIR", str(BASE_DIR / "var" / "release"))

# --- Cache ------------------------------------------------------------------------------
# `pages` holds cached answers (kzmigration/cache.py), keyed by the data version in
# `data_version` (core/versioning.py), which every write replaces. With REDIS_URL every app
# instance shares all three; without it answers and throttle counts stay in each process's
# memory and the data version is a file every process on this machine shares.

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "kzmigration.cache.SharedClientRedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "kb"},
        # The stored answers, each worker keeping those it read lately too (at most 64 MiB).
        "pages": {"BACKEND": "kzmigration.cache.AnswerRedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "kb"},
        "data_version": {
            "BACKEND": "kzmigration.cache.SharedClientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "kb",
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "kb-default"},
        "pages": {
            "BACKEND": "kzmigration.cache.BoundedLocMemCache",
            "LOCATION": "kb-pages",
            # Per worker: at most 2,000 answers and 64 MiB, whatever clients send.
            "OPTIONS": {"MAX_ENTRIES": 2000, "MAX_BYTES": int(os.environ.get("DJANGO_PAGE_CACHE_MAX_BYTES", 64 << 20))},
        },
        "data_version": {
            "BACKEND": "kzmigration.cache.VersionFileCache",
            "LOCATION": os.environ.get("DJANGO_DATA_VERSION_DIR", str(BASE_DIR / "var" / "cache" / "data-version")),
        },
    }
# Seconds a cached answer may live (0 turns the response cache off).
KB_RESPONSE_CACHE_SECONDS = int(os.environ.get("DJANGO_RESPONSE_CACHE_SECONDS", "600"))
# Counts kept per data version and day in the default cache (core/counts.py): the lists' counts and
# facets, the home page's counts and next events.
KB_COUNT_CACHE_SECONDS = int(os.environ.get("DJANGO_COUNT_CACHE_SECONDS", "600"))
# The comparison's records, kept in each process per data version (compare/matrix.py).
KB_KEEP_COMPARISON_RECORDS = env_bool("DJANGO_KEEP_COMPARISON_RECORDS", True)
KB_RESPONSE_CACHE_PREFIXES = ["/api/", "/en/", "/ru/", "/kk/"]
# X-Cache: hit/miss on cached paths: only for debugging (it tells anyone what others asked).
KB_RESPONSE_CACHE_HEADER = env_bool("DJANGO_CACHE_STATUS_HEADER", DEBUG)

# --- REST API (REST framework, filters, schema, CORS, throttling) ------------------------
# Public and read-only under /api/v1/: no login, JSON errors in one shape, strict query
# parameters (docs/api.md). Clients are throttled per address (kzmigration/throttles.py), the
# pages and full CSV exports too, counted in the default cache (shared through Redis with REDIS_URL);
# X-Forwarded-For is only believed behind DJANGO_TRUSTED_PROXIES trusted proxies (0: never) —
# the same address for the throttles and for the admin's lockout.
KB_TRUSTED_PROXIES = int(os.environ.get("DJANGO_TRUSTED_PROXIES", os.environ.get("DJANGO_API_NUM_PROXIES", "0")))


def throttle_rate(name, default):
    """ "<n>/<second|minute|hour|day>", or "off" (None)."""
    value = os.environ.get(name, default).strip()
    return None if value.lower() in {"", "off"} else value


# 429 with Retry-After past these; benchmarks and load tests turn them off.
API_THROTTLE_ANON = throttle_rate("DJANGO_API_THROTTLE_ANON", "300/minute")
KB_PAGE_THROTTLE = throttle_rate("DJANGO_PAGE_THROTTLE", "120/minute")
KB_EXPORT_THROTTLE = throttle_rate("DJANGO_EXPORT_THROTTLE", "30/minute")
# Rows a CSV export of the API may hold (0: no cap); more is a 400 (bench/worst.py says why).
KB_CSV_MAX_ROWS = int(os.environ.get("DJANGO_CSV_MAX_ROWS", "5000"))
# CSV exports one process streams at once (0: no limit); one more is a 503 with Retry-After, so
# exports cannot hold every worker while pages wait (api/exports.py; gunicorn --threads).
KB_EXPORTS_PER_PROCESS = int(os.environ.get("DJANGO_EXPORTS_PER_PROCESS", "1"))
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["api.renderers.OrjsonRenderer"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttles.ApiThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": API_THROTTLE_ANON},
    "EXCEPTION_HANDLER": "api.errors.api_exception_handler",
    "NUM_PROXIES": KB_TRUSTED_PROXIES,
    "UNAUTHENTICATED_USER": None,
}
# Seconds clients and proxies may reuse an API answer without revalidating (ETag/304 after).
API_CACHE_MAX_AGE = int(os.environ.get("DJANGO_API_CACHE_MAX_AGE", "60"))

SPECTACULAR_SETTINGS = {
    "TITLE": "kzmigration API",
    "DESCRIPTION": (
        "Public, read-only API of the kzmigration knowledge base: legal instruments on migration to, from and "
        "through Kazakhstan, and Kazakhstan's readmission agreements. Unknown or malformed query parameters are "
        'refused with a 400 naming them; every error has the shape {"error": {status, code, message, '
        "parameters?}}. See docs/api.md for examples."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Operations tagged and named by resource (`instruments_list`, `agreements_retrieve`), not all
    # "v1": generated clients get a module per resource (openapi-python-client: api/instruments/).
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "InstrumentKindEnum": "instruments.vocabulary.InstrumentKind",
        "PrecisionEnum": "core.lifecycle.Precision",
        "TextKindEnum": "core.i18n.TextKind",
        "SourceKindEnum": "sources.models.SourceKind",
        "RelationshipTypeEnum": "instruments.vocabulary.RelationshipType",
        "AgreementTypeEnum": "agreements.models.AgreementType",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_error_component",
        "api.schema.add_format_operations",
    ],
}

# Any origin may read the API (GET/HEAD/OPTIONS only); nothing else is shared.
CORS_ALLOW_ALL_ORIGINS = True
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Link", "Retry-After", "X-Total-Count", "Content-Disposition"]

# --- Security ---------------------------------------------------------------------------
# A deployment behind HTTPS sets DJANGO_HTTPS=1; the full production environment that passes
# `manage.py check --deploy` is in docs/reliability.md.

HTTPS = env_bool("DJANGO_HTTPS")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", HTTPS)
# Load balancers probe these over plain HTTP; they carry no data.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# e.g. "HTTP_X_FORWARDED_PROTO,https" when a TLS-terminating proxy sets that header (and strips it from clients).
SECURE_PROXY_SSL_HEADER = tuple(env_list("DJANGO_SECURE_PROXY_SSL_HEADER", []))[:2] or None
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# HSTS is only ever sent on HTTPS responses, so it is on by default outside debug.
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", SECURE_HSTS_SECONDS > 0)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4): no inline script or style anywhere; a view that
# truly needs more gets a scoped exception with csp.decorators, never a weaker site policy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [CSP_SELF],
        "script-src": [CSP_SELF],
        "style-src": [CSP_SELF],
        "img-src": [CSP_SELF, "data:"],
        "font-src": [CSP_SELF],
        "connect-src": [CSP_SELF],
        "object-src": [CSP_NONE],
        "base-uri": [CSP_SELF],
        "form-action": [CSP_SELF],
        "frame-ancestors": [CSP_NONE],
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Admin logins: staff only (Django's admin), throttled by django-axes. After 5 failures for
# one username from one address, that pair is locked out for the cool-off time, even with
# the right password; a success resets the count.
AUTHENTICATION_BACKENDS = [
    "kzmigration.backends.RequestOnlyAxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DJANGO_AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The client address the throttles use: behind a proxy, the real client's, so an attacker's
# failures lock the attacker out and not everyone behind the same proxy.
AXES_CLIENT_IP_CALLABLE = "core.clients.client_address"
