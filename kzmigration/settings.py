"""Settings for kzmigration, read from the environment.

DATABASE_URL        default: SQLite file under var/ (no server needed)
DJANGO_DEBUG        "1"/"true" turns debug on; off otherwise
DJANGO_SECRET_KEY   required when debug is off
DJANGO_ALLOWED_HOSTS comma-separated; default 127.0.0.1,localhost
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


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


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "insecure-development-key-only-used-with-DJANGO_DEBUG"
    else:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random string "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DJANGO_DEBUG=1 for local development."
        )

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
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "simple_history",
    "instruments",
    "agreements",
    "datafiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "kzmigration.urls"

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

WSGI_APPLICATION = "kzmigration.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'kzmigration.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "0")),
    )
}
# PostgreSQL's parallel query speeds one large query on an otherwise idle server; a web
# server runs many at once, and on a few cores the extra worker processes only compete
# (docs/performance.md: point-in-time list at 100,000 instruments on 2 cores, 11 → 20
# requests/s with it off). DJANGO_PG_PARALLEL_WORKERS sets it per query ("" keeps the
# server's own setting).
PG_PARALLEL_WORKERS = os.environ.get("DJANGO_PG_PARALLEL_WORKERS", "0").strip()
if DATABASES["default"].get("ENGINE", "").endswith("postgresql") and PG_PARALLEL_WORKERS:
    options = DATABASES["default"].setdefault("OPTIONS", {})
    parallel = f"-c max_parallel_workers_per_gather={int(PG_PARALLEL_WORKERS)}"
    options["options"] = f"{options.get('options', '')} {parallel}".strip()
# Parallel test runs on one PostgreSQL server need distinct test database names.
if os.environ.get("DJANGO_TEST_DB_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["DJANGO_TEST_DB_NAME"]}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("ru", "Русский"),
    ("kk", "Қазақша"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

# The site's "today" for status computations; tests may pin it.
KB_TODAY = os.environ.get("KB_TODAY", "")
# The article the knowledge base starts from: quotes marked `confidence: article` in the data
# files are checked against it (load_kb, check_data), and skipped with a warning where it is absent.
KB_ARTICLE_PATH = os.environ.get("KB_ARTICLE_PATH", str(BASE_DIR.parent / "shared" / "seed" / "article.md"))

REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "kzmigration API",
    "DESCRIPTION": "Legal instruments governing migration to, from and through Kazakhstan.",
    "VERSION": "1.0.0",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler", "stream": sys.stderr}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# --- API (REST framework, filters, schema, CORS, throttling) ---------------------------
# Public, read-only API under /api/v1/: no login, JSON errors in one shape, strict query
# parameters (see instruments/api_support.py and docs/api.md).
INSTALLED_APPS += ["corsheaders", "drf_spectacular_sidecar"]
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.common.CommonMiddleware"), "corsheaders.middleware.CorsMiddleware")
REST_FRAMEWORK.update({
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["instruments.renderers.OrjsonRenderer"],
    "DEFAULT_SCHEMA_CLASS": "instruments.api_support.AutoSchema",
    "EXCEPTION_HANDLER": "instruments.api_support.api_exception_handler",
    "UNAUTHENTICATED_USER": None,
    # Throttling identifies clients by address. X-Forwarded-For is only believed behind this many
    # trusted proxies (0: never), so a client cannot dodge the limit by inventing that header.
    "NUM_PROXIES": int(os.environ.get("DJANGO_API_NUM_PROXIES", "0")),
})
# Anonymous clients per address: "<n>/<second|minute|hour|day>", or "off". The default is
# generous so the test suite and local benchmarks never trip it; a public deployment should
# set something like DJANGO_API_THROTTLE_ANON=120/minute (429 with Retry-After past it).
API_THROTTLE_ANON = os.environ.get("DJANGO_API_THROTTLE_ANON", "20000/minute")
# Seconds clients and proxies may reuse an API response without revalidating (ETag/304 after).
API_CACHE_MAX_AGE = int(os.environ.get("DJANGO_API_CACHE_MAX_AGE", "60"))
SPECTACULAR_SETTINGS.update({
    "DESCRIPTION": (
        "Public, read-only API of the kzmigration knowledge base: legal instruments on migration to, from and "
        "through Kazakhstan, and Kazakhstan's readmission agreements. Unknown or malformed query parameters are "
        "refused with a 400 naming them; every error has the shape {\"error\": {status, code, message, "
        "parameters?}}. See docs/api.md for examples."
    ),
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "InstrumentKindEnum": "instruments.models.Kind",
        "PrecisionEnum": "instruments.lifecycle.Precision",
        "TextKindEnum": "instruments.models.TextKind",
        "SourceKindEnum": "instruments.api_support.SOURCE_KIND_CHOICES",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "instruments.api_support.add_error_component",
    ],
})
# CORS: any origin may read the API (GET/HEAD/OPTIONS only); nothing else is shared.
CORS_ALLOW_ALL_ORIGINS = True
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Link", "Retry-After", "X-Total-Count", "Content-Disposition"]


# --- Web UI (i18n, templates, static assets) ------------------------------------------

# --- Performance (cache, full-text search) -------------------------------------------
# Responses are cached through Django's cache and keyed by a data version that every write
# replaces (instruments/cache.py). REDIS_URL (e.g. redis://127.0.0.1:6379/0) shares cache
# and version between all app instances; without it responses stay in each process's
# memory and the version lives in a small file under var/ shared on this machine.
RUNNING_TESTS = "pytest" in sys.modules or sys.argv[1:2] == ["test"]
REDIS_URL = os.environ.get("REDIS_URL", "")
KB_DATA_VERSION_FILE = None  # with Redis (or in tests), the version is a cache key instead
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                    "KEY_PREFIX": "kzmigration"},
    }
    CACHES["data_version"] = CACHES["default"]
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "kzmigration",
                    "OPTIONS": {"MAX_ENTRIES": 5000}},
        # One test process must not see the writes of another running on the same machine.
        "data_version": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                         "LOCATION": "kzmigration-data-version"},
    }
    if not RUNNING_TESTS:
        KB_DATA_VERSION_FILE = os.environ.get("DJANGO_DATA_VERSION_FILE", str(BASE_DIR / "var" / "data-version"))
# Seconds a cached response may live (0 turns response caching off). Off in the test suite,
# whose rolled-back transactions never announce themselves; tests of the cache turn it on.
KB_RESPONSE_CACHE_SECONDS = int(os.environ.get("DJANGO_RESPONSE_CACHE_SECONDS", "0" if RUNNING_TESTS else "600"))
KB_RESPONSE_CACHE_PREFIXES = ["/api/", "/en/", "/ru/", "/kk/"]
# Outermost: a cache hit skips every other middleware. ConditionalGetMiddleware just below
# gives misses an ETag (stored with the response) and 304s; the cache answers 304 for hits.
MIDDLEWARE[0:0] = ["instruments.cache.ResponseCacheMiddleware", "django.middleware.http.ConditionalGetMiddleware"]
# Static files: hashed names (cacheable forever) and precompressed .gz copies, served by WhiteNoise.
# The test suite uses plain storage so it does not depend on a fresh collectstatic.
STATIC_PRODUCTION_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage" if RUNNING_TESTS
                    else STATIC_PRODUCTION_STORAGE},
}

# --- Security and reliability ---------------------------------------------------------
# Production is the default: everything below is strict unless DJANGO_DEBUG=1. A deployment
# behind HTTPS sets DJANGO_HTTPS=1 (redirect to HTTPS, Secure cookies); the full production
# environment that passes `manage.py check --deploy` is listed in docs/reliability.md.
from datetime import timedelta  # noqa: E402

from csp.constants import NONE as CSP_NONE, SELF as CSP_SELF  # noqa: E402

HTTPS = env_bool("DJANGO_HTTPS")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", HTTPS)
# Load balancers probe these over plain HTTP; they carry no data.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
if os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER"):
    # e.g. "HTTP_X_FORWARDED_PROTO,https" when a TLS-terminating proxy sets that header (and strips it from clients).
    SECURE_PROXY_SSL_HEADER = tuple(env_list("DJANGO_SECURE_PROXY_SSL_HEADER", []))[:2]
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
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "csp.middleware.CSPMiddleware")
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
INSTALLED_APPS += ["csp", "axes"]

# A lost database answers 503 (JSON under /api/, a page elsewhere) instead of a 500 with
# a traceback; reconnection is automatic because broken connections are never reused.
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                  "instruments.middleware.DatabaseUnavailableMiddleware")
MIDDLEWARE.insert(MIDDLEWARE.index("instruments.middleware.DatabaseUnavailableMiddleware") + 1,
                  "instruments.middleware.NulBytePathMiddleware")
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Fail fast (then 503) rather than hang when the server is unreachable.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
DATABASE_RETRY_AFTER_SECONDS = int(os.environ.get("DJANGO_RETRY_AFTER_SECONDS", "30"))
# The API's own handler turns every unexpected error into a 500; outages go to the middleware first.
API_EXCEPTION_HANDLER = REST_FRAMEWORK.get("EXCEPTION_HANDLER", "rest_framework.views.exception_handler")
REST_FRAMEWORK["EXCEPTION_HANDLER"] = "instruments.middleware.api_exception_handler"

# Admin logins: staff only (Django's admin), throttled by django-axes. After 5 failures
# for one username from one address, that pair is locked out for the cool-off time, even
# with the right password; a success resets the count.
AUTHENTICATION_BACKENDS = [
    "instruments.middleware.RequestOnlyAxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
MIDDLEWARE.append("axes.middleware.AxesMiddleware")  # last, as django-axes requires
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DJANGO_AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
