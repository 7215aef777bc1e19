"""Staff editing of the knowledge base. Every change is kept (SimpleHistoryAdmin)."""

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Country,
    Discrepancy,
    Instrument,
    Membership,
    OfficialText,
    Organisation,
    Provenance,
    Provision,
    Relationship,
    Source,
    Subject,
)


# Editors paste official addresses; a bare host name means https (Django 6's default).
URL_FIELDS_ASSUME_HTTPS = {models.URLField: {"assume_scheme": "https"}}


class ProvenanceInline(GenericTabularInline):
    model = Provenance
    extra = 0
    fields = ["field", "source", "confidence", "locator", "quote", "note"]
    autocomplete_fields = ["source"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["country", "date_from", "date_from_precision", "date_until", "date_until_precision", "note"]
    autocomplete_fields = ["country"]


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
        ("heading_en", "heading_en_kind"), ("heading_ru", "heading_ru_kind"), ("heading_kk", "heading_kk_kind"),
        ("text_en", "text_en_kind"), ("text_ru", "text_ru_kind"), ("text_kk", "text_kk_kind"),
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


@admin.register(Country)
class CountryAdmin(SimpleHistoryAdmin):
    list_display = ["code", "alpha3", "numeric", "name_en", "name_ru", "name_kk"]
    search_fields = ["code", "alpha3", "name_en", "name_ru", "name_kk"]
    inlines = [ProvenanceInline]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_en", "abbreviation_en"]
    search_fields = ["code", "name_en", "name_ru", "name_kk"]
    inlines = [MembershipInline, ProvenanceInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "country", "date_from", "date_until"]
    list_filter = ["organisation"]
    search_fields = ["country__name_en", "country__code"]
    autocomplete_fields = ["country"]
    inlines = [ProvenanceInline]


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    list_display = ["id", "kind", "number", "publisher", "url"]
    list_filter = ["kind"]
    search_fields = ["id", "citation", "url", "publisher"]
    filter_horizontal = ["instruments"]


@admin.register(Provenance)
class ProvenanceAdmin(SimpleHistoryAdmin):
    list_display = ["object_id", "field", "source", "confidence", "locator"]
    list_filter = ["confidence", "content_type"]
    search_fields = ["object_id", "field", "quote", "source__id"]
    autocomplete_fields = ["source"]


@admin.register(Subject)
class SubjectAdmin(SimpleHistoryAdmin):
    list_display = ["code", "scheme", "parent", "label_en"]
    list_filter = ["scheme"]
    search_fields = ["code", "label_en", "label_ru", "label_kk", "demig_term"]


@admin.register(Instrument)
class InstrumentAdmin(SimpleHistoryAdmin):
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    list_display = ["id", "short_title_en", "kind", "jurisdiction", "date_adopted", "entry_into_force", "status_today",
                    "cited_in_article"]
    list_filter = ["kind", "level", "jurisdiction", "cited_in_article", "is_synthetic", "subjects"]
    search_fields = ["id", "eli_path", "number", "celex", "adilet_code", "short_title_en", "title_en", "title_ru",
                     "title_kk"]
    filter_horizontal = ["subjects"]
    inlines = [OfficialTextInline, ProvisionInline, OutgoingRelationshipInline, IncomingRelationshipInline,
               ProvenanceInline]
    fieldsets = [
        (None, {"fields": ["id", "eli_path", "kind", "level", "jurisdiction", "issuing_body", "cited_in_article",
                           "is_synthetic"]}),
        ("Identifiers", {"fields": ["number", "celex", "eli", "adilet_code"]}),
        ("Titles", {"fields": ["short_title_en", "short_title_ru", "short_title_kk", ("title_en", "title_en_kind"),
                               ("title_ru", "title_ru_kind"), ("title_kk", "title_kk_kind")]}),
        ("Dates", {"fields": [("date_adopted", "date_adopted_precision"), "place_adopted",
                              ("date_published", "date_published_precision"), "publication_reference",
                              ("entry_into_force", "entry_into_force_precision"),
                              ("end_of_validity", "end_of_validity_precision"), "transposition_deadline"]}),
        ("Content", {"fields": ["summary_en", "summary_ru", "summary_kk", "status_note", "subjects"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("incoming_relationships")

    @admin.display(description="status today")
    def status_today(self, obj):
        return obj.status.label


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


@admin.register(Discrepancy)
class DiscrepancyAdmin(SimpleHistoryAdmin):
    list_display = ["id", "category", "substantive", "summary", "confidence"]
    list_filter = ["category", "substantive", "confidence"]
    search_fields = ["id", "summary", "description", "correct_fact"]
    filter_horizontal = ["instruments", "agreements"]
    inlines = [ProvenanceInline]
