"""Response caching invalidated on every write, through one data-version key.

Every save, delete or many-to-many change of any model (except sessions, logins and the
like, which no public page shows) replaces the data version. Cached responses are keyed by
that version, so a write makes every older entry unreachable at once, whatever the number
of app instances: with Redis (REDIS_URL) they all share the version and the responses;
without it the version lives in a small file cache under var/ that every worker and
management command on the machine shares, and responses stay in each process's memory.

`bump_data_version()` is public: code that writes with bulk_create, QuerySet.update() or
raw SQL (which send no signals) calls it once afterwards. An API ETag can be derived from
`data_version()` and the URL, and Last-Modified from `data_last_modified()`, so
revalidation needs no database query at all.
"""

import datetime
import hashlib
import os
import tempfile
import time
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe

VERSION_KEY = "kb:data-version"
VERSION_CACHE = "data_version"
# Writes to these apps change nothing a public page or API response shows.
IGNORED_APPS = {"sessions", "admin", "auth", "axes", "contenttypes", "migrations"}
MAX_CACHED_BYTES = 2 * 1024 * 1024


def _version_cache():
    return caches[VERSION_CACHE if VERSION_CACHE in settings.CACHES else "default"]


def _new_version():
    # A random token (unique across processes and restarts) and the time of the change.
    return f"{uuid.uuid4().hex[:12]}-{int(time.time())}"


class _VersionFile:
    """The version in a small file (no Redis): every process of the machine reads the same.

    A read costs one stat(); the file is only read again when its inode, size or mtime
    changed, and writes replace it atomically (new inode), so no change is ever missed.
    """

    def __init__(self):
        self.seen = None
        self.value = None

    def get(self, path):
        try:
            stat = os.stat(path)
        except FileNotFoundError:
            return self.set(path, _new_version(), exclusive=True)
        key = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
        if key != self.seen:
            with open(path, encoding="ascii") as handle:
                self.value = handle.read().strip()
            self.seen = key
        return self.value

    def set(self, path, value, exclusive=False):
        directory = os.path.dirname(path)
        os.makedirs(directory, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=directory, prefix=".data-version-")
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(value)
        if exclusive:
            try:
                os.link(temporary, path)  # only if nobody created it meanwhile
            except FileExistsError:
                pass
            os.unlink(temporary)
            return self.get(path)
        os.replace(temporary, path)
        return value


_version_file = _VersionFile()


def data_version():
    """The current data version, e.g. "3f9c2a7b1d04-1764151200", created on first use.

    No database query: an API can build its ETag from this and the URL.
    """
    path = getattr(settings, "KB_DATA_VERSION_FILE", None)
    if path:
        return _version_file.get(path)
    cache = _version_cache()
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _new_version(), None)
        version = cache.get(VERSION_KEY) or _new_version()
    return version


def data_last_modified():
    """When the data last changed (as far as this cache knows: a lost version key counts as a
    change now), as an aware datetime — for Last-Modified headers."""
    seconds = int(data_version().rsplit("-", 1)[1])
    return datetime.datetime.fromtimestamp(seconds, tz=datetime.timezone.utc)


def bump_data_version():
    """Make every cached response (and ETag derived from the version) stale."""
    path = getattr(settings, "KB_DATA_VERSION_FILE", None)
    if path:
        _version_file.set(path, _new_version())
    else:
        _version_cache().set(VERSION_KEY, _new_version(), None)


def _bump_after_commit():
    bump_data_version()


def _data_changed(sender, using=DEFAULT_DB_ALIAS):
    if sender._meta.app_label in IGNORED_APPS:
        return
    # Now, so that this connection (and a test inside a transaction) never reads a stale
    # response; and again after commit, so that a response cached by another request
    # between the two from the not yet committed state is never served.
    bump_data_version()
    connection = connections[using]
    if connection.in_atomic_block:
        pending = getattr(connection, "run_on_commit", [])
        if any(callback is _bump_after_commit for _sids, callback, *_rest in pending):
            return
    transaction.on_commit(_bump_after_commit, using=using)


@receiver(post_save, dispatch_uid="kb-cache-post-save")
@receiver(post_delete, dispatch_uid="kb-cache-post-delete")
def _on_save_or_delete(sender, using=DEFAULT_DB_ALIAS, raw=False, **kwargs):
    # loaddata's raw saves come by the thousand; load_kb and import_kb bump once at the end.
    if raw:
        return
    _data_changed(sender, using)


@receiver(m2m_changed, dispatch_uid="kb-cache-m2m")
def _on_m2m_changed(sender, action, using=DEFAULT_DB_ALIAS, **kwargs):
    if action.startswith("post_"):
        _data_changed(sender, using)


class ResponseCacheMiddleware:
    """Serve repeated anonymous GETs of public pages and API responses from the cache.

    First in MIDDLEWARE, so a hit skips every middleware below it and the view; it answers
    If-None-Match / If-Modified-Since on a hit itself. Only 200 responses without cookies, with a body under 2 MiB and not marked
    private or no-store are stored; requests with a session (logged-in staff) or a pending
    message bypass the cache. The key holds the data version, the scheme, host, full path,
    and the Accept header and language where they can change the response.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = getattr(settings, "KB_RESPONSE_CACHE_SECONDS", 0)
        if seconds <= 0 or not self._cacheable_request(request):
            return self.get_response(request)
        cache = caches["default"]
        key = self._key(request)
        stored = cache.get(key)
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status)
            # The stored headers were validated when first set: restore them in one step.
            response.headers._store = dict(headers)
            response.headers._store["x-cache"] = ("X-Cache", "hit")
            if "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META:
                return self._conditional(request, response)
            return response
        response = self.get_response(request)
        if request.method == "GET" and self._cacheable_response(request, response):
            headers = {lower: pair for lower, pair in response.headers._store.items() if lower != "x-cache"}
            cache.set(key, (response.status_code, headers, response.content), seconds)
            response.headers["X-Cache"] = "miss"
        return response

    @staticmethod
    def _conditional(request, response):
        """304 for a hit the client already has (ConditionalGetMiddleware, below this one, does
        the same for misses and set the ETag that was stored)."""
        last_modified = response.get("Last-Modified")
        return get_conditional_response(
            request, etag=response.get("ETag"),
            last_modified=parse_http_date_safe(last_modified) if last_modified else None, response=response)

    @staticmethod
    def _cacheable_request(request):
        if request.method not in ("GET", "HEAD"):
            return False
        if not request.path.startswith(tuple(getattr(settings, "KB_RESPONSE_CACHE_PREFIXES", ()))):
            return False
        cookies = request.COOKIES
        if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
            return False
        return "HTTP_AUTHORIZATION" not in request.META

    @staticmethod
    def _cacheable_response(request, response):
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return False  # the body holds a CSRF token meant for this client only
        cache_control = response.get("Cache-Control", "").lower()
        if "private" in cache_control or "no-store" in cache_control:
            return False
        return len(response.content) <= MAX_CACHED_BYTES

    @staticmethod
    def _key(request):
        language_in_path = request.path[1:3] in {code for code, _name in settings.LANGUAGES} and request.path[3:4] == "/"
        parts = [
            request.scheme,
            request.META.get("HTTP_HOST", ""),
            request.get_full_path(),
            request.META.get("HTTP_ACCEPT", ""),
            "" if language_in_path else request.META.get("HTTP_ACCEPT_LANGUAGE", ""),
            "" if language_in_path else request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""),
        ]
        digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
        return f"kb:response:{data_version()}:{digest}"
