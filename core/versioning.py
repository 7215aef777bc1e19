"""The data version: one token that every write to the knowledge base replaces, and the
versions of each record's own pages, which only writes touching that record replace.

Cached responses are keyed by them (kzmigration/cache.py): a list, search, map or compare
page by the data version, so any write makes it stale; a record's page (HTML or API) by the
shared version and its record's version, so an edit of one instrument leaves every other
record's page cached. Each app registers which records' pages a write to each of its models
changes (`register_record_pages`); a write to a model nobody registered — a source, a
country, a subject — may change any page and replaces the shared version too. The tokens
live in the `data_version` cache (Redis when REDIS_URL is set, so every app instance sees a
write at once; otherwise a file cache under var/ shared by every worker and management
command on the machine). Reading them costs no database query.

`bump_data_version()` is public: code that writes with bulk_create, QuerySet.update() or
raw SQL (which send no signals) calls it once afterwards; it makes every page stale.
"""

import datetime
import time
import uuid

from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from simple_history.models import HistoricalChanges

VERSION_KEY = "kb:data-version"
SHARED_KEY = "kb:shared-version"
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
    """Make every cached response stale: lists and every record's page."""
    _cache().set_many({VERSION_KEY: _new_version(), SHARED_KEY: _new_version()}, None)


# model -> function(instance) -> the (label, pk) pairs of the record pages a write to it changes
_RECORD_PAGES = {}


def register_record_pages(model, touched):
    """Writes to `model` change, beside every list, only the pages of the records that
    `touched(instance)` names as (label, pk) pairs; it returns None where it cannot tell
    (then every page is stale). Called from the owning app's AppConfig.ready()."""
    _RECORD_PAGES[model] = touched


def record_key(label, pk):
    return f"kb:record-version:{label}:{pk}"


def record_page_version(label, pk):
    """The token a cached page of one record is keyed by: the shared version and the record's."""
    keys = [SHARED_KEY, record_key(label, pk)]
    found = _cache().get_many(keys)
    if len(found) < len(keys):  # first use: create the missing ones (another process may race us)
        for key in keys:
            if key not in found:
                _cache().add(key, _new_version(), None)
        found = _cache().get_many(keys)
    return "-".join(found.get(key) or _new_version() for key in keys)


def records_touched(instance):
    """The record pages a write to `instance` changes, or None for "any page"."""
    touched = _RECORD_PAGES.get(type(instance)._meta.concrete_model)
    if touched is None:
        return None
    pairs = touched(instance)
    return None if pairs is None else set(pairs)


def _bump(pairs):
    if pairs is None:
        bump_data_version()
    else:
        _cache().set_many({VERSION_KEY: _new_version(), **{record_key(*pair): _new_version() for pair in pairs}}, None)


def _full_bump_pending(connection):
    pending = getattr(connection, "run_on_commit", [])
    return any(callback is bump_data_version for _sids, callback, *_rest in pending)


def _ignored(sender):
    # A history row comes with the write it records, which counts.
    return sender._meta.app_label in IGNORED_APPS or issubclass(sender, HistoricalChanges)


def _schedule(using, touched):
    """Bump for a write: now, so that this connection (and a test inside a transaction) never
    reads a stale response, and again after commit, so that a response cached by another
    request between the two from the not yet committed state is never served."""
    connection = connections[using]
    if connection.in_atomic_block and _full_bump_pending(connection):
        return  # everything goes stale on commit anyway (a bulk change)
    pairs = touched()
    _bump(pairs)
    transaction.on_commit(bump_data_version if pairs is None else (lambda: _bump(pairs)), using=using)


def _on_pre_save(sender, instance, using=DEFAULT_DB_ALIAS, raw=False, **kwargs):
    # A change may move a row from one record to another (a relationship's object, a
    # protocol's agreement): the pages of the record it leaves change too.
    if raw or _ignored(sender) or instance.pk is None or sender._meta.concrete_model not in _RECORD_PAGES:
        return
    before = sender._base_manager.using(using).filter(pk=instance.pk).first()
    instance._record_pages_before = set() if before is None else records_touched(before)


def _on_pre_delete(sender, instance, **kwargs):
    # Before anything of a cascade is deleted: the links that name the pages are still there.
    if not _ignored(sender) and sender._meta.concrete_model in _RECORD_PAGES:
        instance._record_pages_before = records_touched(instance)


def _on_save_or_delete(sender, instance, using=DEFAULT_DB_ALIAS, raw=False, **kwargs):
    # Raw saves (loaddata, import_kb) come by the thousand; those commands bump once at the end.
    if raw or _ignored(sender):
        return

    def touched():
        before, after = getattr(instance, "_record_pages_before", set()), records_touched(instance)
        return None if before is None or after is None else before | after

    _schedule(using, touched)


def _on_m2m_changed(sender, instance, action, model, pk_set, using=DEFAULT_DB_ALIAS, **kwargs):
    if not action.startswith("post_") or _ignored(sender):
        return

    def touched():
        # Both ends of the link: the instance's pages and, where the other end is a record
        # with pages of its own, those of the records added or removed. A subject, say, has
        # none: only lists show it, and every list goes stale. A clear names no records.
        own = records_touched(instance)
        others = [records_touched(model(pk=pk)) for pk in pk_set or ()] if model in _RECORD_PAGES else []
        return None if own is None or pk_set is None or None in others else own.union(*others)

    _schedule(using, touched)


def connect_signals():
    pre_save.connect(_on_pre_save, dispatch_uid="kb-version-pre-save")
    pre_delete.connect(_on_pre_delete, dispatch_uid="kb-version-pre-delete")
    post_save.connect(_on_save_or_delete, dispatch_uid="kb-version-post-save")
    post_delete.connect(_on_save_or_delete, dispatch_uid="kb-version-post-delete")
    m2m_changed.connect(_on_m2m_changed, dispatch_uid="kb-version-m2m")
