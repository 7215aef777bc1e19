"""Every record's change history starts with its first load, and an edit adds to it."""

from django.core.management import call_command

from datafiles.registry import models_in_load_order
from instruments.models import Instrument


def test_every_loaded_record_has_a_history_entry(kb):
    models = models_in_load_order()
    assert models
    for model in models:
        assert model.objects.exists(), f"no {model._meta.label} records"
        history = model.history.model
        with_history = set(history.objects.values_list(model._meta.pk.name, flat=True))
        missing = set(model.objects.values_list("pk", flat=True)) - with_history
        assert not missing, f"{model._meta.label} without history: {sorted(missing)[:5]}"
    first = Instrument.history.filter(id="eu-dir-2009-50").earliest("history_date")
    assert first.history_change_reason == "Loaded from data files by load_kb"
    assert first.history_type == "+"


def test_reloading_adds_no_history_and_an_edit_does(kb):
    before = Instrument.history.filter(id="kz-pp-2022-961").count()
    call_command("load_kb", verbosity=0)
    assert Instrument.history.filter(id="kz-pp-2022-961").count() == before
    resolution = Instrument.objects.get(id="kz-pp-2022-961")
    resolution.status_note += " (checked)"
    resolution.save()
    latest = Instrument.history.filter(id="kz-pp-2022-961").latest("history_date")
    assert latest.history_type == "~" and latest.status_note.endswith("(checked)")
    assert Instrument.history.filter(id="kz-pp-2022-961").count() == before + 1
