"""REST API: the errata register."""

from django.db.models import Prefetch

from agreements.models import Agreement
from api.renderers import flat_columns, joined
from api.viewsets import ReadOnlyViewSet
from instruments.models import Instrument
from sources.queries import provenance_prefetches

from .models import Discrepancy
from .serializers import DiscrepancySerializer


class DiscrepancyViewSet(ReadOnlyViewSet):
    """Where the article disagrees with the official record or with itself."""

    serializer_class = DiscrepancySerializer
    csv_filename = "discrepancies.csv"
    csv_columns = flat_columns(DiscrepancySerializer) + [
        ("article_quotes", joined("article_quotes")),
        ("instruments", joined("instruments")),
        ("agreements", joined("agreements")),
    ]

    def get_queryset(self):
        # Only the linked records' ids are shown.
        return Discrepancy.objects.prefetch_related(
            Prefetch("instruments", queryset=Instrument.objects.only("id"), to_attr="instrument_list"),
            Prefetch("agreements", queryset=Agreement.objects.only("id"), to_attr="agreement_list"),
            *provenance_prefetches(self),
        )
