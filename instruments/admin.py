"""Staff editing of instruments with their texts, provisions and relationships. Every change is kept."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.lifecycle import Status
from sources.admin import URL_FIELDS_ASSUME_HTTPS, ProvenanceInline

from .models import Instrument, OfficialText, Provision, Relationship


class OfficialTextInline(admin.TabularInline):
    model = OfficialText
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    extra = 0
    fields = ["language", "url", "publisher", "kind"]


class ProvisionInline(admin.StackedInline):
    model = Provision
    extra = 0
    fk_name = "instrument"
    fields = [
        ("label", "parent", "position"),
        ("heading_en", "heading_en_kind"),
        ("heading_ru", "heading_ru_kind"),
        ("heading_kk", "heading_kk_kind"),
        ("text_en", "text_en_kind"),
        ("text_ru", "text_ru_kind"),
        ("text_kk", "text_kk_kind"),
    ]


class OutgoingRelationshipInline(admin.TabularInline):
    model = Relationship
    fk_name = "subject"
    extra = 0
    verbose_name = "relationship from this instrument"
    verbose_name_plural = "relationships from this instrument"
    fields = ["type", "object", "date_effective", "date_effective_precision", "note"]
    autocomplete_fields = ["object"]


class IncomingRelationshipInline(admin.TabularInline):
    model = Relationship
    fk_name = "object"
    extra = 0
    verbose_name = "relationship to this instrument"
    verbose_name_plural = "relationships to this instrument"
    fields = ["subject", "type", "date_effective", "date_effective_precision", "note"]
    autocomplete_fields = ["subject"]


@admin.register(Instrument)
class InstrumentAdmin(SimpleHistoryAdmin):
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    list_display = [
        "id",
        "short_title_en",
        "kind",
        "jurisdiction",
        "date_adopted",
        "entry_into_force",
        "status_today",
        "cited_in_article",
    ]
    list_filter = ["kind", "level", "jurisdiction", "cited_in_article", "is_synthetic", "subjects"]
    search_fields = [
        "id",
        "eli_path",
        "number",
        "celex",
        "adilet_code",
        "short_title_en",
        "title_en",
        "title_ru",
        "title_kk",
    ]
    filter_horizontal = ["subjects"]
    inlines = [
        OfficialTextInline,
        ProvisionInline,
        OutgoingRelationshipInline,
        IncomingRelationshipInline,
        ProvenanceInline,
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "id",
                    "eli_path",
                    "kind",
                    "level",
                    "jurisdiction",
                    "issuing_body",
                    "cited_in_article",
                    "is_synthetic",
                ]
            },
        ),
        ("Identifiers", {"fields": ["number", "celex", "eli", "adilet_code"]}),
        (
            "Titles",
            {
                "fields": [
                    "short_title_en",
                    "short_title_ru",
                    "short_title_kk",
                    ("title_en", "title_en_kind"),
                    ("title_ru", "title_ru_kind"),
                    ("title_kk", "title_kk_kind"),
                ]
            },
        ),
        (
            "Dates",
            {
                "fields": [
                    ("date_adopted", "date_adopted_precision"),
                    "place_adopted",
                    ("date_published", "date_published_precision"),
                    "publication_reference",
                    ("entry_into_force", "entry_into_force_precision"),
                    ("end_of_validity", "end_of_validity_precision"),
                    "transposition_deadline",
                ]
            },
        ),
        ("Content", {"fields": ["summary_en", "summary_ru", "summary_kk", "status_note", "subjects"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate_status()

    @admin.display(description="status today")
    def status_today(self, obj):
        return Status(obj.computed_status).label


@admin.register(Relationship)
class RelationshipAdmin(SimpleHistoryAdmin):
    list_display = ["subject", "type", "object", "date_effective"]
    list_filter = ["type"]
    search_fields = ["subject__id", "object__id"]
    autocomplete_fields = ["subject", "object"]
    inlines = [ProvenanceInline]


@admin.register(Provision)
class ProvisionAdmin(SimpleHistoryAdmin):
    list_display = ["instrument", "label", "heading_en"]
    search_fields = ["label", "heading_en", "heading_ru", "text_en", "text_ru"]
    autocomplete_fields = ["instrument"]
    inlines = [ProvenanceInline]
