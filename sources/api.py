"""REST API: sources."""

from django.db.models import CharField, F, Prefetch, Value
from django.db.models.functions import Concat

from api.renderers import flat_columns, joined
from api.viewsets import ReadOnlyViewSet

from .filters import ProvenanceRowFilter
from .models import Provenance, Source
from .queries import provenance_prefetches
from .serializers import ProvenanceRowSerializer, SourceSerializer


class SourceViewSet(ReadOnlyViewSet):
    """Where facts come from: the article, its references, official and secondary sources."""

    serializer_class = SourceSerializer
    csv_columns = flat_columns(SourceSerializer) + [("instruments", joined("instruments"))]

    def get_queryset(self):
        # The instruments a source supports are those whose provenance cites it.
        facts = Provenance.objects.about("instruments.instrument").only("object_id", "source_id")
        return Source.objects.order_by("kind", F("number").asc(nulls_last=True), "id").prefetch_related(
            Prefetch("supported_facts", queryset=facts, to_attr="instrument_facts"), *provenance_prefetches(self)
        )


class ProvenanceViewSet(ReadOnlyViewSet):
    """The provenance table: one row per record, field and source."""

    serializer_class = ProvenanceRowSerializer
    filterset_class = ProvenanceRowFilter
    csv_filename = "provenance.csv"
    csv_columns = flat_columns(ProvenanceRowSerializer)

    def get_queryset(self):
        return Provenance.objects.annotate(
            record_type=Concat("content_type__app_label", Value("."), "content_type__model", output_field=CharField()),
            source_link=F("source__url"),
        )
