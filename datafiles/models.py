"""What the database held of each data-file record when it was last loaded or dumped.

load_kb compares a record's database form with the hash stored here: a record that
no longer hashes the same was edited in the database (in the admin) since, and a load
keeps that edit instead of silently replacing it.
"""

from django.db import models


class LoadedRecord(models.Model):
    """One record of the data files: `instruments/eu-dir-2003-86.yaml`, or `countries.yaml#KZ`
    for an entry of a table file."""

    path = models.CharField(max_length=300, primary_key=True)
    model = models.CharField(max_length=100, help_text="Model label of the record, e.g. instruments.Instrument.")
    record = models.CharField(max_length=200, help_text="Primary key of the record.")
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of the record's canonical form.")
    loaded_at = models.DateTimeField()

    class Meta:
        ordering = ["path"]

    def __str__(self):
        return self.path
