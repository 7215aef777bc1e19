"""The data version: one token that every write to the knowledge base replaces.

Cached responses and API ETags are keyed by it, so a write makes every older cached answer
unreachable at once, in every app instance that shares the `data_version` cache (Redis when
REDIS_URL is set; otherwise a file cache under var/ that every worker and management
command on the machine shares). Reading it costs no database query.

`bump_data_version()` is public: code that writes with bulk_create, QuerySet.update() or
raw SQL (which send no signals) calls it once afterwards.
"""

import datetime
import time
import uuid

from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_KEY = "kb:data-version"
# Writes to these apps change nothing a public page or API response shows.
IGNORED_APPS = {"sessions", "admin", "auth", "axes", "contenttypes", "migrations", "datafiles"}


def _cache():
    return caches["data_version"]


def _new_version():
    # A random token (unique across processes and restarts) and the time of the change.
    return f"{uuid.uuid4().hex[:12]}-{int(time.time())}"


def data_version():
    """The current data version, e.g. "3f9c2a7b1d04-1764151200", created on first use."""
    version = _cache().get(VERSION_KEY)
    if version is None:
        _cache().add(VERSION_KEY, _new_version(), None)
        version = _cache().get(VERSION_KEY) or _new_version()
    return version


def data_last_modified():
    """When the data last changed (a lost version counts as a change now), as an aware datetime."""
    seconds = int(data_version().rsplit("-", 1)[1])
    return datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)


def bump_data_version():
    """Make every cached response (and every ETag derived from the version) stale."""
    _cache().set(VERSION_KEY, _new_version(), None)


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
        if any(callback is bump_data_version for _sids, callback, *_rest in pending):
            return
    transaction.on_commit(bump_data_version, using=using)


def _on_save_or_delete(sender, using=DEFAULT_DB_ALIAS, raw=False, **kwargs):
    # Raw saves (loaddata, import_kb) come by the thousand; those commands bump once at the end.
    if not raw:
        _data_changed(sender, using)


def _on_m2m_changed(sender, action, using=DEFAULT_DB_ALIAS, **kwargs):
    if action.startswith("post_"):
        _data_changed(sender, using)


def connect_signals():
    post_save.connect(_on_save_or_delete, dispatch_uid="kb-version-post-save")
    post_delete.connect(_on_save_or_delete, dispatch_uid="kb-version-post-delete")
    m2m_changed.connect(_on_m2m_changed, dispatch_uid="kb-version-m2m")
