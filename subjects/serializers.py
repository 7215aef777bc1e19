"""API representation of the controlled vocabulary."""

from rest_framework import serializers

from api.serializers import TableRowSerializer, link_field
from sources.serializers import ProvenanceField

from .models import Subject


class SubjectSerializer(TableRowSerializer):
    api_name = "subject-detail"

    parent = serializers.CharField(source="parent_id", read_only=True, allow_null=True, help_text="Broader code.")
    parent_url = serializers.SerializerMethodField()
    provenance = ProvenanceField()

    get_parent_url = link_field("parent", "subject-detail")

    class Meta:
        model = Subject
        fields = [
            "code", "url", "scheme", "parent", "parent_url", "label_en", "label_ru", "label_kk", "demig_term",
            "definition", "provenance",
        ]  # fmt: skip
        read_only_fields = fields
