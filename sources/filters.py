"""Filters of the provenance table (REST API).

Provenance points at records of every app by content type; this module names them by label
("instruments.instrument") and never imports them.
"""

import django_filters as df

from core.filters import KnownIdFilter, StrictChoiceFilter, TableFilterSet, ordering_filter

from .models import Confidence, Provenance, Source

# Records that carry provenance, by "app_label.model", with their API item (None: no item of its own).
RECORD_TYPES = {
    "agreements.agreement": "agreement-detail",
    "agreements.party": "agreement-party-detail",
    "agreements.articlestatemention": None,
    "countries.country": "country-detail",
    "countries.membership": "membership-detail",
    "countries.organisation": "organisation-detail",
    "errata.discrepancy": "discrepancy-detail",
    "instruments.instrument": "instrument-detail",
    "instruments.instrumentparty": "instrument-party-detail",
    "instruments.officialtext": None,
    "instruments.provision": None,
    "instruments.relationship": "relationship-detail",
    "sources.source": "source-detail",
    "subjects.subject": "subject-detail",
}


class ProvenanceRowFilter(TableFilterSet):
    record_type = StrictChoiceFilter(
        choices=[(label, label) for label in RECORD_TYPES],
        method="filter_record_type",
        help_text="Kind of record the row is about, as app_label.model (instruments.instrument, agreements.party…).",
    )
    record = df.CharFilter(
        field_name="object_id", max_length=120, help_text="Id of the record the row is about (with record_type)."
    )
    field = df.CharFilter(max_length=60, help_text="Model field name, or * for the whole record.")
    source = KnownIdFilter(model=Source, noun="source", help_text="Source id (see /api/v1/sources/).")
    confidence = StrictChoiceFilter(choices=Confidence.choices, help_text="How sure the fact is.")
    ordering = ordering_filter(
        ("record_type", "record_type"), ("object_id", "record"), "field", ("source_id", "source"), "confidence", "id",
        default="record_type, record, field, source",
    )  # fmt: skip

    default_ordering = ("record_type", "object_id", "field", "source_id", "id")

    class Meta:
        model = Provenance
        fields = []

    def filter_record_type(self, queryset, name, value):
        if not value:
            return queryset
        app_label, model = value.split(".")
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)
