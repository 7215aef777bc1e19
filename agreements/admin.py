"""Staff editing of readmission agreements, with parties and provenance inline."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.lifecycle import Status
from sources.admin import ProvenanceInline

from .models import Agreement, ArticleStateMention, Party


class PartyInline(admin.TabularInline):
    model = Party
    extra = 0
    fields = ["country"]
    autocomplete_fields = ["country"]


@admin.register(Agreement)
class AgreementAdmin(SimpleHistoryAdmin):
    list_display = [
        "id",
        "date_signed",
        "place_signed",
        "ratification_law_number",
        "entry_into_force",
        "article_listing",
        "status_today",
    ]
    list_filter = ["article_listing", "is_synthetic", "parties__country"]
    search_fields = ["id", "title_en", "title_ru", "title_kk", "ratification_law_number", "parties__country__name_en"]
    inlines = [PartyInline, ProvenanceInline]
    fieldsets = [
        (None, {"fields": ["id", "article_listing", "is_synthetic", "note"]}),
        (
            "Titles",
            {
                "fields": [
                    ("title_en", "title_en_kind"),
                    ("title_ru", "title_ru_kind"),
                    ("title_kk", "title_kk_kind"),
                    "implementing_protocol",
                ]
            },
        ),
        (
            "Signature and ratification",
            {
                "fields": [
                    ("date_signed", "date_signed_precision"),
                    "place_signed",
                    "ratification_law_number",
                    ("ratification_law_date", "ratification_law_date_precision"),
                    "ratification_note",
                ]
            },
        ),
        (
            "In force",
            {
                "fields": [
                    ("entry_into_force", "entry_into_force_precision"),
                    ("end_of_validity", "end_of_validity_precision"),
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate_status()

    @admin.display(description="status today")
    def status_today(self, obj):
        return Status(obj.computed_status).label


@admin.register(Party)
class PartyAdmin(SimpleHistoryAdmin):
    list_display = ["agreement", "country"]
    search_fields = ["agreement__id", "country__name_en", "country__code"]
    autocomplete_fields = ["agreement", "country"]


@admin.register(ArticleStateMention)
class ArticleStateMentionAdmin(SimpleHistoryAdmin):
    list_display = ["list", "position", "as_stated", "country", "agreement"]
    list_filter = ["list"]
    search_fields = ["as_stated", "country__name_en"]
    autocomplete_fields = ["country", "agreement"]
    inlines = [ProvenanceInline]
