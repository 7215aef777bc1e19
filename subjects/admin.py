"""Staff editing of the controlled vocabulary. Every change is kept."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sources.admin import ProvenanceInline

from .models import Subject


@admin.register(Subject)
class SubjectAdmin(SimpleHistoryAdmin):
    list_display = ["code", "scheme", "parent", "label_en"]
    list_filter = ["scheme"]
    search_fields = ["code", "label_en", "label_ru", "label_kk", "demig_term"]
    inlines = [ProvenanceInline]
