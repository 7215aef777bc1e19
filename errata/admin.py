"""Staff editing of the errata register. Every change is kept."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sources.admin import ProvenanceInline

from .models import Discrepancy


@admin.register(Discrepancy)
class DiscrepancyAdmin(SimpleHistoryAdmin):
    list_display = ["id", "category", "substantive", "summary", "confidence"]
    list_filter = ["category", "substantive", "confidence"]
    search_fields = ["id", "summary", "description", "correct_fact"]
    filter_horizontal = ["instruments", "agreements"]
    inlines = [ProvenanceInline]
