"""The backup story of docs/deploy.md, played through: pg_dump of a live database, restore into an
empty one, and every record comes back with its change history (who changed what, and when)."""

import json

import pytest

from .support import clean_env, manage

COUNT_SCRIPT = """
import json
from django.apps import apps
counts = {}
for model in apps.get_models():
    if model._meta.app_label in {"countries", "sources", "subjects", "instruments", "agreements", "errata"}:
        counts[model._meta.label] = model.objects.count()
from instruments.models import Instrument
latest = Instrument.history.filter(id="eu-dir-2009-50").latest("history_date")
counts["edit"] = [latest.history_type, latest.place_adopted, latest.history_change_reason]
print(json.dumps(counts, sort_keys=True))
"""

EDIT_SCRIPT = """
from simple_history.utils import update_change_reason
from instruments.models import Instrument
instrument = Instrument.objects.get(pk="eu-dir-2009-50")
instrument.place_adopted = "Brussels"
instrument.save()
update_change_reason(instrument, "restore test edit")
"""


def counts(env):
    return json.loads(manage("shell", "-c", COUNT_SCRIPT, env=env).stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_pg_dump_and_restore_bring_back_every_record_and_its_history(throwaway_pg):
    env = clean_env(DATABASE_URL=throwaway_pg.url, DJANGO_SECRET_KEY="restore-test-" + "x" * 50)
    manage("migrate", "--noinput", "-v0", env=env)
    manage("load_kb", "-v0", env=env)
    manage("shell", "-c", EDIT_SCRIPT, env=env)
    before = counts(env)
    assert before["instruments.Instrument"] == 117
    assert before["instruments.HistoricalInstrument"] >= 118  # a load entry per instrument, and the edit
    assert before["edit"] == ["~", "Brussels", "restore test edit"]

    dump = throwaway_pg.tmp / "kb.dump"  # the server's own directory: pg_dump runs as its user
    server = ["-h", "127.0.0.1", "-p", str(throwaway_pg.port), "-U", "postgres"]
    throwaway_pg.run(str(throwaway_pg.bindir / "pg_dump"), *server, "-Fc", "-f", str(dump), "kzmigration")
    throwaway_pg.run(str(throwaway_pg.bindir / "createdb"), *server, "kzmigration_restored")
    throwaway_pg.run(str(throwaway_pg.bindir / "pg_restore"), *server, "-d", "kzmigration_restored", str(dump))

    restored_env = {**env, "DATABASE_URL": throwaway_pg.url.replace("/kzmigration", "/kzmigration_restored")}
    assert counts(restored_env) == before
