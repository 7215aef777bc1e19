"""The facts as the data files record them, for tests that compute expected answers without
going through the code under test: {pk: {field: value}} per model, every field present,
dates as ISO strings, foreign keys as the target's pk, many-to-many values as lists."""

from functools import cache

from django.conf import settings

from datafiles.reading import Reader
from datafiles.records import plain

# "Today" for the tests whose expected statuses are computed for a fixed day (KB_TODAY; the
# `pinned_today` fixture of tests/conftest.py).
TODAY = "2026-11-26"


@cache
def _reader():
    return Reader().read(settings.BASE_DIR / "fixtures")


def records(label):
    reader = _reader()
    m2m = {key: values for bundle in reader.bundles.values() for key, values in bundle.m2m.items()}
    found = {}
    for item in reader.placed:
        obj = item.obj
        if obj._meta.label != label:
            continue
        fields = {f.name: plain(getattr(obj, f.attname)) for f in obj._meta.concrete_fields}
        for field in obj._meta.many_to_many:
            fields[field.name] = sorted(m2m.get((label, obj.pk), {}).get(field.name, []))
        found[obj.pk] = fields
    return found
