"""REST API: sources."""

from django.db.models import F, Prefetch

from api.viewsets import ReadOnlyViewSet

from .models import Provenance, Source
from .queries import provenance_prefetches
from .serializers import SourceSerializer


class SourceViewSet(ReadOnlyViewSet):
    """Where facts come from: the article, its references, official and secondary sources."""

    serializer_class = SourceSerializer

    def get_queryset(self):
        # The instruments a source supports are those whose provenance cites it.
        facts = Provenance.objects.about("instruments.instrument").only("object_id", "source_id")
        return Source.objects.order_by("kind", F("number").asc(nulls_last=True), "id").prefetch_related(
            Prefetch("supported_facts", queryset=facts, to_attr="instrument_facts"), *provenance_prefetches(self)
        )
