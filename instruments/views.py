"""Plain pages for the foundation; the full web UI replaces them."""

from django.views.generic import DetailView, TemplateView

from agreements.models import Agreement
from instruments.models import Country, Instrument


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["instruments"] = Instrument.objects.real().order_by("jurisdiction", "date_adopted", "id")
        context["agreements"] = Agreement.objects.real().prefetch_related("parties__country").order_by("date_signed", "id")
        return context


class InstrumentDetailView(DetailView):
    model = Instrument
    template_name = "instruments/instrument_detail.html"


class AgreementDetailView(DetailView):
    model = Agreement
    template_name = "agreements/agreement_detail.html"


class CountryDetailView(DetailView):
    model = Country
    template_name = "countries/country_detail.html"
