"""How many CSV exports one process streams at once.

An export reads and writes every matching row (up to KB_CSV_MAX_ROWS, seconds at 20,000
instruments), so a few clients asking for exports without pause would hold every worker and an
ordinary page would wait behind them (25–39 s with 2 sync workers, docs/reliability.md). Each
process streams at most KB_EXPORTS_PER_PROCESS exports at a time; one more is answered 503 with
Retry-After at once. Under gunicorn's threaded workers (`--threads`, docs/deploy.md) the other
threads of the process keep answering pages beside the export. The slot is held until the
response is closed — the WSGI server closes every response, read to the end or not.
"""

import threading

from django.conf import settings
from rest_framework import exceptions

# The retry hint: about the time an export of the row cap takes on a quiet machine.
RETRY_AFTER_SECONDS = 5

_slots = None
_slots_lock = threading.Lock()


class ExportsBusy(exceptions.APIException):
    status_code = 503
    default_code = "exports_busy"
    default_detail = (
        "Every export slot of this server is in use; retry after the number of seconds in Retry-After, "
        "or download the whole knowledge base as a data release."
    )
    wait = RETRY_AFTER_SECONDS


def slots():
    """The process's semaphore, made at first use (so a test's setting applies)."""
    global _slots
    with _slots_lock:
        if _slots is None:
            _slots = threading.BoundedSemaphore(settings.KB_EXPORTS_PER_PROCESS)
        return _slots


def reset():
    """Forget the semaphore (tests that change KB_EXPORTS_PER_PROCESS)."""
    global _slots
    with _slots_lock:
        _slots = None


class ExportSlot:
    """Streaming content that holds one export slot from its creation until close().

    Django's StreamingHttpResponse calls close() of its content when the server closes the
    response (a generator's `finally` would not run for a response never iterated)."""

    def __init__(self, chunks):
        self.held = bool(settings.KB_EXPORTS_PER_PROCESS)  # 0: no limit, nothing to hold
        if self.held and not slots().acquire(blocking=False):
            raise ExportsBusy()
        self.chunks = chunks

    def __iter__(self):
        return iter(self.chunks)

    def close(self):
        if self.held:
            self.held = False
            slots().release()
