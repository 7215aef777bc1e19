"""The controlled vocabulary (DEMIG POLICY-based policy areas, target groups and policy tools)."""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.i18n import localized


class SubjectQuerySet(models.QuerySet):
    def with_narrower(self, code):
        """Codes of `code` and every subject below it, sorted; [] for a code not in the vocabulary."""
        children = {}
        known = set()
        for child, parent in self.values_list("code", "parent_id"):
            known.add(child)
            children.setdefault(parent, []).append(child)
        if code not in known:
            return []
        codes, todo = [], [code]
        while todo:
            current = todo.pop()
            codes.append(current)
            todo.extend(children.get(current, []))
        return sorted(codes)


class Subject(models.Model):
    """A term of the controlled vocabulary (DEMIG POLICY-based policy areas, target groups, tools)."""

    class Scheme(models.TextChoices):
        POLICY_AREA = "policy_area", _("policy area")
        TARGET_GROUP = "target_group", _("target group")
        POLICY_TOOL = "policy_tool", _("policy tool")

    code = models.SlugField(_("code"), max_length=80, primary_key=True)
    scheme = models.CharField(_("scheme"), max_length=20, choices=Scheme.choices, db_index=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    label_en = models.CharField(max_length=200)
    label_ru = models.CharField(max_length=200, blank=True)
    label_kk = models.CharField(max_length=200, blank=True)
    demig_term = models.CharField(
        _("DEMIG POLICY term"),
        max_length=200,
        blank=True,
        help_text=_("The DEMIG POLICY code-list term this rolls up to, verbatim."),
    )
    definition = models.TextField(blank=True)
    provenance = GenericRelation("sources.Provenance")
    history = HistoricalRecords()

    objects = SubjectQuerySet.as_manager()

    class Meta:
        ordering = ["scheme", "code"]

    def __str__(self):
        return localized(self, "label")[0]
