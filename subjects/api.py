"""REST API: the controlled vocabulary of subjects."""

from api.renderers import flat_columns
from api.viewsets import ReadOnlyViewSet
from sources.queries import provenance_prefetch

from .filters import SubjectListFilter
from .models import Subject
from .serializers import SubjectSerializer


class SubjectViewSet(ReadOnlyViewSet):
    """Subjects (DEMIG POLICY-based policy areas, target groups, tools), by code."""

    serializer_class = SubjectSerializer
    filterset_class = SubjectListFilter
    csv_columns = flat_columns(SubjectSerializer)

    def get_queryset(self):
        return Subject.objects.prefetch_related(provenance_prefetch())
