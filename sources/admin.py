"""Staff editing of sources and provenance; ProvenanceInline is shared by every record's admin."""

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from .models import Provenance, Source

# Editors paste official addresses; a bare host name means https (Django 6's default).
URL_FIELDS_ASSUME_HTTPS = {models.URLField: {"assume_scheme": "https"}}


class ProvenanceInline(GenericTabularInline):
    model = Provenance
    extra = 0
    fields = ["field", "source", "confidence", "locator", "quote", "note"]
    autocomplete_fields = ["source"]


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    list_display = ["id", "kind", "number", "publisher", "url"]
    list_filter = ["kind"]
    search_fields = ["id", "citation", "url", "publisher"]
    inlines = [ProvenanceInline]


@admin.register(Provenance)
class ProvenanceAdmin(SimpleHistoryAdmin):
    list_display = ["object_id", "field", "source", "confidence", "locator"]
    list_filter = ["confidence", "content_type"]
    search_fields = ["object_id", "field", "quote", "source__id"]
    autocomplete_fields = ["source"]
