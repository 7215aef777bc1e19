"""The data files' types: which model each file holds, where it lives, what nests in it.

This is the one module of datafiles that names models (by label, through
`apps.get_model`), so moving a model to another app means changing a label here
and nothing else.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.apps import apps

PROVENANCE = "sources.Provenance"
# What load_kb's closing line counts.
SUMMARY = ("instruments.Instrument", "agreements.Agreement", "errata.Discrepancy", "sources.Provenance")
LOADED_RECORD = "datafiles.LoadedRecord"
# gen_synthetic's benchmark rows: flagged is_synthetic, or (in models without the flag) ids with this prefix.
SYNTHETIC_PREFIX = "syn-"
# Fields a data file never holds: the benchmark flag (synthetic records never go to files).
NEVER_WRITTEN = {"is_synthetic"}
# Companion fields folded into the field they qualify: date_adopted_precision, title_en_kind, …
COMPANION_ROLES = ("precision", "kind")


@dataclass(frozen=True)
class Child:
    """Records nested in their parent's file as a list, e.g. an instrument's provisions."""

    key: str
    label: str
    parent_field: str
    # Foreign keys to a sibling, written as the sibling's value of this field (a provision's parent by label).
    sibling_refs: dict = field(default_factory=dict)
    # Provenance rows on something that is not a field: where the article mentions a provision.
    provenance_only: tuple = ()

    @cached_property
    def model(self):
        return apps.get_model(self.label)


@dataclass(frozen=True)
class FileType:
    """A kind of data file: one file per record in a folder, or one table file of records."""

    name: str
    label: str
    per_record: bool
    children: tuple = ()
    # Table files grouped by this field: {ratified_12: [...], other_13: [...]}.
    group_by: str = ""
    # Model fields not written to files.
    excluded: tuple = ()
    # Fields stating a fact: when not empty, each needs a source (its own, or the record's `sources`).
    factual: tuple = ()
    # What a field holds when a `not_found` row says its value was looked for and not found,
    # for fields whose empty value is not blank, null, false or an empty list.
    not_stated: dict = field(default_factory=dict)

    @cached_property
    def model(self):
        return apps.get_model(self.label)

    @property
    def file_name(self):
        return self.name if self.per_record else f"{self.name}.yaml"

    def path_of(self, pk):
        """Where a record lives: `instruments/eu-dir-2003-86.yaml`, or `countries.yaml#KZ` in a table."""
        return f"{self.name}/{pk}.yaml" if self.per_record else f"{self.name}.yaml#{pk}"


LIFECYCLE_FACTS = (
    "title_en",
    "title_ru",
    "title_kk",
    "entry_into_force",
    "end_of_validity",
    "date_application",
    "date_provisional_application",
    "procedure_stage",
)

FILE_TYPES = (
    FileType("countries", "countries.Country", per_record=False),
    FileType(
        "organisations",
        "countries.Organisation",
        per_record=False,
        children=(Child("memberships", "countries.Membership", "organisation"),),
    ),
    FileType("sources", "sources.Source", per_record=False),
    FileType("subjects", "subjects.Subject", per_record=False),
    FileType(
        "instruments",
        "instruments.Instrument",
        per_record=True,
        children=(
            Child("official_texts", "instruments.OfficialText", "instrument"),
            Child(
                "provisions",
                "instruments.Provision",
                "instrument",
                sibling_refs={"parent": "label"},
                provenance_only=("article_mention",),
            ),
            Child("relationships", "instruments.Relationship", "subject"),
            Child("parties", "instruments.InstrumentParty", "instrument"),
        ),
        factual=LIFECYCLE_FACTS
        + (
            "kind",
            "issuing_body",
            "number",
            "celex",
            "eli",
            "adilet_code",
            "date_adopted",
            "place_adopted",
            "date_published",
            "publication_reference",
            "transposition_deadline",
            "entry_into_force_kz",
            "kz_ratification_act",
            "kz_ratification_date",
            "kz_participation_note",
            "status_note",
            "cited_in_article",
        ),
    ),
    FileType(
        "agreements",
        "agreements.Agreement",
        per_record=True,
        children=(Child("parties", "agreements.Party", "agreement"),),
        factual=LIFECYCLE_FACTS
        + (
            "date_signed",
            "place_signed",
            "ratification_law_number",
            "ratification_law_date",
            "ratification_note",
            "implementing_protocol",
            "article_listing",
            "type",
            "amends",
        ),
        not_stated={"article_listing": "not_listed"},
    ),
    FileType("article-lists", "agreements.ArticleStateMention", per_record=False, group_by="list"),
    FileType("discrepancies", "errata.Discrepancy", per_record=True),
)


def file_type(name):
    return next(kind for kind in FILE_TYPES if kind.name == name)


def provenance_model():
    return apps.get_model(PROVENANCE)


def loaded_record_model():
    return apps.get_model(LOADED_RECORD)


def models_in_load_order():
    """Every model the data files hold, parents before children, provenance last."""
    ordered = []
    for kind in FILE_TYPES:
        ordered.append(kind.model)
        ordered.extend(child.model for child in kind.children)
    ordered.append(provenance_model())
    return ordered
