"""Cached answers for anonymous GETs of public pages and the API, in Django's `pages` cache.

Every key starts with a version (core.versioning): a record's own page (HTML or API) with
that record's version, which only writes touching the record replace; every other answer
with the data version, which every write replaces. So a write makes every older answer it
may change unreachable at once in every app instance that shares the cache, and leaves the
other records' pages cached. The rest of the key is built from validated values only: the scheme, the host as
ALLOWED_HOSTS validated it, the path and query string, and one value for each header the
response varies on — the API's negotiated format for `Accept`, whether an `Origin` was sent
(CORS answers differ by that alone), the resolved language for `Accept-Language`. A
response that varies on any other header is not stored.

Why not Django's UpdateCacheMiddleware/FetchFromCacheMiddleware: they key on the raw value
of every Vary header, so any client could add entries at will by sending new Accept or
Accept-Language values, and they tie the server's cache lifetime to the client's max-age.

Only 200 responses without cookies, not streamed, not private or no-store, at most
MAX_CACHED_BYTES long are stored; a page (not the API, which refuses unknown parameters with a
400) with a query string only when its view vouched that it knows every parameter. Requests
with a valid session (staff), a pending message or credentials are never answered from the
cache; a session cookie that names no session does not bypass it. The in-process cache is
bounded in bytes as well as entries (BoundedLocMemCache); Redis by its maxmemory. Conditional requests on a hit
get their 304 from Django's get_conditional_response, as ConditionalGetMiddleware gives
misses theirs.
"""

import functools
import hashlib
import os
import pickle
import re
import time
import zlib

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.utils.cache import cc_delim_re, get_conditional_response
from django.utils.http import parse_http_date_safe
from django.utils.module_loading import import_string
from django.utils.translation import get_language_from_request

from core.versioning import data_version, record_page_version

MAX_CACHED_BYTES = 2 * 1024 * 1024
API_PREFIX = "/api/"
# The formats the API negotiates; a key names the one the client's Accept header prefers.
API_MEDIA_TYPES = ["application/json", "text/csv", "application/ld+json", "text/html"]
# The headers a stored response may vary on: each has a validated stand-in in the key.
KEYED_HEADERS = {"accept", "origin", "accept-language", "cookie"}
# The pages of one record, keyed by that record's version (core.versioning), not the data's.
RECORD_PAGE = re.compile(r"^/(?:en|ru|kk|api/v1)/(?P<kind>instruments|agreements)/(?P<pk>[\w-]+)/$")
RECORD_LABELS = {"instruments": "instrument", "agreements": "agreement"}
MISSING = object()


class ResponseCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.KB_RESPONSE_CACHE_SECONDS
        key = self.key(request) if seconds > 0 and self.cacheable_request(request) else None
        if key is None:
            return self.get_response(request)
        cache = caches["pages"]
        stored = cache.get(key)
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status)
            response.headers = headers  # validated when the response was made
            self.mark(response, "hit")
            if "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META:
                last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
                return get_conditional_response(
                    request, etag=response.get("ETag"), last_modified=last_modified, response=response
                )
            return response
        response = self.get_response(request)
        if request.method == "GET" and self.cacheable_response(request, response):
            cache.set(key, self.stored(response), seconds)
            self.mark(response, "miss")
        return response

    @staticmethod
    def stored(response):
        """What the cache keeps of a response: its status, headers and bytes. A REST framework
        Response would pickle its `data` too, every row as Python objects (90 µs to unpickle a
        page of 50 instruments); a plain HttpResponse takes 19 µs, these 7 µs. The headers are
        kept as Django's ResponseHeaders: made anew from strings, each is checked again (15 µs)."""
        return response.status_code, response.headers, response.content

    @staticmethod
    def mark(response, state):
        # Off in production: it would tell anyone what others asked for lately.
        if settings.KB_RESPONSE_CACHE_HEADER:
            response["X-Cache"] = state

    @staticmethod
    def cacheable_request(request):
        if request.method not in ("GET", "HEAD"):
            return False
        if not request.path.startswith(tuple(settings.KB_RESPONSE_CACHE_PREFIXES)):
            return False
        cookies = request.COOKIES
        if "messages" in cookies or "HTTP_AUTHORIZATION" in request.META:
            return False
        session = cookies.get(settings.SESSION_COOKIE_NAME)
        return not session or not import_string(settings.SESSION_ENGINE + ".SessionStore")().exists(session)

    @staticmethod
    def cacheable_response(request, response):
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return False  # the body holds a CSRF token meant for this client only
        cache_control = response.get("Cache-Control", "").lower()
        if "private" in cache_control or "no-store" in cache_control:
            return False
        varies = {header.lower() for header in cc_delim_re.split(response.get("Vary", "")) if header}
        if "*" in varies or not varies <= KEYED_HEADERS:
            return False
        if request.GET and not request.path.startswith(API_PREFIX) and not getattr(request, "query_is_known", False):
            return False
        return len(response.content) <= MAX_CACHED_BYTES

    @staticmethod
    def key(request):
        """The cache key from validated values, or None when the host is not an allowed one."""
        try:
            host = request.get_host()
        except DisallowedHost:
            return None
        if request.path.startswith(API_PREFIX):
            # The API speaks one language; its answer depends on the format and on CORS.
            variant = [
                preferred_api_type(request.META.get("HTTP_ACCEPT", "")),
                "origin" if "HTTP_ORIGIN" in request.META else "",
            ]
        else:
            # A page under /en/, /ru/ or /kk/ is in that language; elsewhere the resolved one.
            variant = [get_language_from_request(request, check_path=True)]
        parts = [request.scheme, host, request.get_full_path(), *variant]
        digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
        record = RECORD_PAGE.match(request.path)
        if record:
            # One record's page: stale when that record (or what every page shows) changes.
            version = record_page_version(RECORD_LABELS[record["kind"]], record["pk"])
        else:
            version = data_version()
        return f"response:{version}:{digest}"


@functools.lru_cache(maxsize=256)
def preferred_api_type(accept):
    """The API format an Accept header prefers ("" for none), as Django negotiates it: parsing
    the header was a fifth of a cache hit; clients send a handful of distinct ones."""
    request = HttpRequest()
    request.META["HTTP_ACCEPT"] = accept
    return request.get_preferred_type(API_MEDIA_TYPES) or ""


class BoundedLocMemCache(LocMemCache):
    """Django's in-process cache, bounded in bytes (OPTIONS MAX_BYTES) as well as in entries:
    past the budget the least recently used entries go first."""

    def __init__(self, name, params):
        super().__init__(name, params)
        self._max_bytes = int(params.get("OPTIONS", {}).get("MAX_BYTES", 64 * 1024 * 1024))

    def _set(self, key, value, timeout=None):
        super()._set(key, value, timeout)
        total = sum(len(stored) for stored in self._cache.values())
        while total > self._max_bytes and len(self._cache) > 1:
            oldest, stored = self._cache.popitem()  # newest entries are kept at the front
            self._expire_info.pop(oldest, None)
            total -= len(stored)

    def size_in_bytes(self):
        with self._lock:
            return sum(len(stored) for stored in self._cache.values())


class SharedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis cache client, with one redis.Redis object per server rather than one per
    operation: making one (redis-py builds its table of response callbacks each time) cost
    more than the round trip itself, about 150 µs of a 700 µs cache hit. A redis.Redis takes a
    connection from its pool for each command, so threads may share it (redis-py's own advice)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class SharedClientRedisCache(RedisCache):
    """Django's RedisCache with SharedClientRedisCacheClient."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient


class AnswerRedisCache(SharedClientRedisCache):
    """The stored answers in Redis, each process keeping the ones it read lately as well
    (bounded like the local cache without Redis): a hit then costs one Redis round trip, for
    the version tokens, not two. Those were the gap between PostgreSQL with Redis and the
    framework's ceiling (0.34-0.56 of it, 3 December 2026).

    A copy kept here cannot show data older than Redis would: an answer's key names the data
    or record version it was made under (core.versioning), and a write moves the versions on
    rather than changing what a key holds. What another process deletes, or what expires in
    Redis first, this process may keep for at most NEAR_SECONDS."""

    NEAR_SECONDS = 60
    NEAR_OPTIONS = {"MAX_ENTRIES": 2000, "MAX_BYTES": 64 << 20}  # as the local cache without Redis

    def __init__(self, server, params):
        super().__init__(server, params)
        # One store per process and server, whichever thread's instance of this cache asks.
        self._near = BoundedLocMemCache(f"near-answers:{server}:{self.key_prefix}", {"OPTIONS": self.NEAR_OPTIONS})

    def _near_timeout(self, timeout):
        timeout = self.default_timeout if timeout is DEFAULT_TIMEOUT else timeout
        return self.NEAR_SECONDS if timeout is None else min(timeout, self.NEAR_SECONDS)

    def get(self, key, default=None, version=None):
        value = self._near.get(key, MISSING, version)
        if value is MISSING:
            value = super().get(key, MISSING, version)
            if value is MISSING:
                return default
            self._near.set(key, value, self.NEAR_SECONDS, version)
        return value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        super().set(key, value, timeout, version)
        self._near.set(key, value, self._near_timeout(timeout), version)

    def delete(self, key, version=None):
        self._near.delete(key, version)
        return super().delete(key, version)

    def clear(self):
        self._near.clear()
        return super().clear()


class VersionFileCache(FileBasedCache):
    """Django's file cache, for the tokens of core.versioning that every cached answer reads
    (without Redis): an unchanged file costs one stat(), not an open, two unpickles and a zlib
    decompression. Those were 60 µs of a 240 µs cache hit on a record's page, which reads two
    tokens (3 December 2026; the hit took 140 µs before the house).

    Django writes every entry to a new file renamed over the old one, so a write by any
    process gives the file a new inode and mtime, and the next read here sees it. Writes
    through this instance forget what was seen at once. The one miss possible: another
    process replaces a token twice within one filesystem timestamp tick and the second file
    reuses the inode of one read here in that same tick."""

    MAX_SEEN = 10_000  # tokens remembered per process (one per record page asked for)

    def __init__(self, dir, params):
        super().__init__(dir, params)
        self._seen = {}  # (key, version) -> (file name, (inode, size, mtime), expiry, value)

    def get(self, key, default=None, version=None):
        seen = self._seen.get((key, version))
        fname = seen[0] if seen else self._key_to_file(key, version)  # the name costs an md5
        try:
            stat = os.stat(fname)
            signature = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
            if seen is None or seen[1] != signature:
                with open(fname, "rb") as file:  # as FileBasedCache.get reads it
                    expiry = pickle.load(file)
                    seen = (fname, signature, expiry, pickle.loads(zlib.decompress(file.read())))
                if len(self._seen) >= self.MAX_SEEN:
                    self._seen.clear()
                self._seen[key, version] = seen
        except FileNotFoundError:
            return default
        if seen[2] is not None and seen[2] < time.time():
            return super().get(key, default, version)  # expired: Django's get removes the file
        return seen[3]

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._seen.pop((key, version), None)
        super().set(key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        self._seen.pop((key, version), None)
        return super().touch(key, timeout, version)

    def delete(self, key, version=None):
        self._seen.pop((key, version), None)
        return super().delete(key, version)

    def clear(self):
        self._seen.clear()
        super().clear()
