"""The errata page: what the article says, the correct fact, its source and our confidence."""

from django.db.models import F, Prefetch
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from agreements.models import Agreement, Party
from core.views import PageMetaMixin
from instruments.models import Instrument
from sources.models import Provenance

from .models import Discrepancy


class ErrataView(PageMetaMixin, ListView):
    meta_title = _("Errata")
    meta_description = _(
        "Where the article the knowledge base starts from is wrong: what it says, the correct fact, "
        "its source and our confidence in it."
    )
    template_name = "errata/errata.html"
    context_object_name = "discrepancies"

    def get_queryset(self):
        parties = Prefetch("parties", queryset=Party.objects.select_related("country"))
        return Discrepancy.objects.prefetch_related(
            Prefetch("instruments", queryset=Instrument.objects.order_by(F("date_adopted").asc(nulls_last=True), "id")),
            Prefetch(
                "agreements",
                queryset=Agreement.objects.prefetch_related(parties).order_by(
                    F("date_signed").asc(nulls_last=True), "id"
                ),
            ),
            Prefetch("provenance", queryset=Provenance.objects.select_related("source").order_by("field", "id")),
        )
