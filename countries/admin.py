"""Staff editing of countries, organisations and memberships. Every change is kept."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sources.admin import ProvenanceInline

from .models import Country, Membership, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["country", "date_from", "date_from_precision", "date_until", "date_until_precision", "note"]
    autocomplete_fields = ["country"]


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
