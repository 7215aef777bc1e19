"""The instruments' controlled values: kind, level, jurisdiction and relationship types.

Each relationship type carries, in one place, how it reads the other way round (its label
and its filter parameter, as ELI names them) and its linked-data property.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class InstrumentKind(models.TextChoices):
    TREATY = "treaty", _("treaty")
    AGREEMENT = "agreement", _("agreement")
    CONVENTION = "convention", _("convention")
    PROTOCOL = "protocol", _("protocol")
    DIRECTIVE = "directive", _("directive")
    REGULATION = "regulation", _("regulation")
    DECISION = "decision", _("decision")
    FRAMEWORK_DECISION = "framework_decision", _("framework decision")
    LAW = "law", _("law")
    CODE = "code", pgettext_lazy("kind of instrument", "code")
    PRESIDENTIAL_DECREE = "presidential_decree", _("presidential decree")
    GOVERNMENT_RESOLUTION = "government_resolution", _("government resolution")
    MINISTERIAL_ORDER = "ministerial_order", _("ministerial order")
    POLICY_CONCEPT = "policy_concept", _("policy concept")
    POLICY_ADDRESS = "policy_address", _("policy address")
    LEGISLATIVE_PROPOSAL = "legislative_proposal", _("legislative proposal")
    DRAFT = "draft", _("draft (never adopted)")


# Kinds that are treaties between states: in force for Kazakhstan from its own date of entry into force.
TREATY_KINDS = (InstrumentKind.TREATY, InstrumentKind.AGREEMENT, InstrumentKind.CONVENTION, InstrumentKind.PROTOCOL)


class Level(models.TextChoices):
    INTERNATIONAL = "international", _("international")
    REGIONAL = "regional", _("regional")
    BILATERAL = "bilateral", _("bilateral")
    NATIONAL = "national", _("national")


class Jurisdiction(models.TextChoices):
    EU = "eu", _("European Union")
    EAEU = "eaeu", _("Eurasian Economic Union")
    CIS = "cis", _("Commonwealth of Independent States")
    KZ = "kz", _("Kazakhstan")
    UN = "un", _("United Nations")
    INT = "int", _("international (other)")


class RelationshipType(models.TextChoices):
    AMENDS = "amends", _("amends")
    REPEALS = "repeals", _("repeals")
    RECASTS = "recasts", _("recasts")
    CODIFIES = "codifies", _("codifies")
    RATIFIES = "ratifies", _("ratifies")
    IMPLEMENTS = "implements", _("implements")
    CITES = "cites", _("cites")
    BASED_ON = "based_on", _("is based on")
    REPLACES_IN_SUBSTANCE = "replaces_in_substance", _("replaces in substance")
    REPLACES = "replaces", _("replaces")
    SUPPLEMENTS = "supplements", _("supplements")

    @property
    def inverse_label(self):
        return RELATIONSHIP_TERMS[self][0]

    @property
    def inverse_parameter(self):
        return RELATIONSHIP_TERMS[self][1]

    @property
    def linked_data_property(self):
        return RELATIONSHIP_TERMS[self][2]


# type: (inverse label, inverse filter parameter, schema.org property — ELI's where schema.org has none)
RELATIONSHIP_TERMS = {
    RelationshipType.AMENDS: (_("amended by"), "amended_by", "legislationAmends"),
    RelationshipType.REPEALS: (_("repealed by"), "repealed_by", "legislationRepeals"),
    RelationshipType.RECASTS: (_("recast by"), "recast_by", "legislationChanges"),
    RelationshipType.CODIFIES: (_("codified by"), "codified_by", "legislationChanges"),
    RelationshipType.RATIFIES: (_("ratified by"), "ratified_by", "eli:related_to"),
    RelationshipType.IMPLEMENTS: (_("implemented by"), "implemented_by", "legislationEnsuresImplementationOf"),
    RelationshipType.CITES: (_("cited by"), "cited_by", "citation"),
    RelationshipType.BASED_ON: (_("basis for"), "basis_for", "isBasedOn"),
    RelationshipType.REPLACES_IN_SUBSTANCE: (
        _("replaced in substance by"),
        "replaced_in_substance_by",
        "eli:related_to",
    ),
    RelationshipType.REPLACES: (_("replaced by"), "replaced_by", "legislationRepeals"),
    RelationshipType.SUPPLEMENTS: (_("supplemented by"), "supplemented_by", "eli:related_to"),
}
