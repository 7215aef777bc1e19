"""Pages of Kazakhstan's readmission agreements: the filterable list and one agreement."""

from django.db.models import Count, Prefetch, Q
from django.views.generic import DetailView

from instruments.lifecycle import Status
from instruments.models import Country, Jurisdiction, Provenance
from instruments.pages import with_computed_status, with_last_updated
from instruments.views import FilteredListView, timeline

from .filters import MEMBER_OF_CHOICES, AgreementFilter
from .models import KAZAKHSTAN, Agreement, ArticleStateMention, Party


ORGANISATION_NAMES = {"eu": Jurisdiction.EU.label, "eaeu": Jurisdiction.EAEU.label, "cis": Jurisdiction.CIS.label}


def partner_counts():
    """Partner states with the number of agreements each is party to (one query)."""
    return list(Country.objects.exclude(pk=KAZAKHSTAN)
                .annotate(agreement_count=Count("agreement_parties"))
                .filter(agreement_count__gt=0).order_by("name_en"))


def with_parties(queryset):
    return queryset.prefetch_related(Prefetch("parties", queryset=Party.objects.select_related("country")))


class AgreementListView(FilteredListView):
    """Agreements, filtered with the API's FilterSet."""

    filterset_class = AgreementFilter
    template_name = "agreements/agreement_list.html"
    paginate_by = 50

    def get_queryset(self):
        return with_parties(Agreement.objects.all())

    def paginate_queryset(self, queryset, page_size):
        return super().paginate_queryset(with_computed_status(queryset, self.reference_date()), page_size)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["partners"] = partner_counts()
        context["member_of_choices"] = [(code, ORGANISATION_NAMES[code]) for code, _name in MEMBER_OF_CHOICES]
        context["status_choices"] = Status.choices
        context["api_query"] = self.request.GET.urlencode()
        return context


class AgreementDetailView(DetailView):
    template_name = "agreements/agreement_detail.html"
    context_object_name = "agreement"

    def get_queryset(self):
        return with_parties(with_last_updated(with_computed_status(Agreement.objects.all())))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agreement = self.object
        provenance = (Provenance.objects.select_related("source")
                      .filter(content_type__app_label="agreements", content_type__model="agreement",
                              object_id=agreement.pk)
                      .order_by("field", "source__kind", "source__number", "id"))
        by_field = {}
        for row in provenance:
            by_field.setdefault(row.field, []).append(row)
        # Number and date of the ratification law usually share their sources: list each once.
        ratification = by_field.get("ratification_law_number", []) + by_field.get("ratification_law_date", [])
        seen = set()
        by_field["ratification"] = [row for row in ratification
                                    if (row.source_id, row.quote, row.note) not in seen
                                    and not seen.add((row.source_id, row.quote, row.note))]
        context["provenance"] = by_field
        context["mentions"] = list(ArticleStateMention.objects.filter(
            Q(agreement=agreement) | Q(country__agreement_parties__agreement=agreement)).distinct().select_related("country")
                                   .order_by("list", "position"))
        context["discrepancies"] = list(agreement.discrepancies.order_by("-substantive", "category", "id"))
        context["timeline"] = timeline(agreement)
        return context
