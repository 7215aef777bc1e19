"""Abstract models the knowledge base's records share (no tables of their own)."""

from functools import cache

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .i18n import LANGUAGES, TextKind, localized
from .lifecycle import LIFECYCLE_DATES, Precision, ProcedureStage, Status, period_end, precision_errors, today


class DerivedIdModel(models.Model):
    """A record whose stable id is derived from what it links, e.g. 'eu-kz-2015-01-01'.

    Stable ids keep the data files readable and loads idempotent, and let provenance point
    at any record, whichever database it is loaded into.
    """

    # Not editable: the admin's inline formsets then carry the id as a hidden input.
    id = models.SlugField(_("id"), max_length=200, primary_key=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.id:
            self.id = slugify(self.build_id())
        super().save(*args, **kwargs)

    def build_id(self):
        raise NotImplementedError


# Lifecycle comes before TitledModel: a record's inherited fields are ordered by their
# definition here, and the data files write fields in model order.
class Lifecycle(models.Model):
    """Entry into force, start of application (and of provisional application) and end of
    validity, each with its precision; and, for a text that is not law, its procedure's stage."""

    entry_into_force = models.DateField(_("entry into force"), null=True, blank=True, db_index=True)
    entry_into_force_precision = models.CharField(
        _("precision of entry into force"), max_length=8, choices=Precision.choices, default=Precision.UNKNOWN
    )
    end_of_validity = models.DateField(
        _("end of validity"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Last day in force (EUR-Lex convention). Empty: open-ended or unknown."),
    )
    end_of_validity_precision = models.CharField(
        _("precision of end of validity"), max_length=8, choices=Precision.choices, default=Precision.UNKNOWN
    )
    date_application = models.DateField(
        _("applies from"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Start of application where it differs from entry into force. Empty: from entry into force."),
    )
    date_application_precision = models.CharField(max_length=8, choices=Precision.choices, default=Precision.UNKNOWN)
    date_provisional_application = models.DateField(
        _("provisionally applied from"),
        null=True,
        blank=True,
        help_text=_("Start of provisional application before entry into force, where there was one."),
    )
    date_provisional_application_precision = models.CharField(
        max_length=8, choices=Precision.choices, default=Precision.UNKNOWN
    )
    procedure_stage = models.CharField(
        _("procedure stage"),
        max_length=24,
        choices=ProcedureStage.choices,
        blank=True,
        db_index=True,
        help_text=_("Only for a proposal or draft, which is never law: where its procedure stands."),
    )

    class Meta:
        abstract = True

    # Dates checked against entry into force; subclasses name their own start date.
    start_date_field = None

    def repeal_dates(self):
        """Effective dates of repeals (None where a repeal's date is unknown)."""
        return []

    def _certainly_started(self, field, on):
        value = getattr(self, field)
        return value is not None and period_end(value, getattr(self, f"{field}_precision")) <= on

    def in_force_in_law_on(self, on, entry_into_force="entry_into_force", repeal_dates=None):
        """In force on `on`, applicable or not yet, counted from the date in `entry_into_force`
        (the Python twin of LifecycleQuerySet._in_force_in_law_q). A caller that has already
        read the record's repeals passes their dates, so none is read again."""
        repeals = self.repeal_dates() if repeal_dates is None else repeal_dates
        return (
            not self.procedure_stage
            and self._certainly_started(entry_into_force, on)
            and (self.end_of_validity is None or self.end_of_validity >= on)
            and not any(d is None or d <= on for d in repeals)
        )

    def status_on(self, on=None, repeal_dates=None):
        on = on or today()
        if self.procedure_stage:
            return Status(self.procedure_stage)
        repeals = self.repeal_dates() if repeal_dates is None else repeal_dates
        if any(d is not None and d <= on for d in repeals):
            return Status.NO_LONGER_IN_FORCE
        eov_end = self.end_of_validity
        if eov_end is not None and period_end(eov_end, self.end_of_validity_precision) < on:
            return Status.NO_LONGER_IN_FORCE
        if self.entry_into_force is None or self.entry_into_force > on:
            if self._certainly_started("date_provisional_application", on):
                return Status.PROVISIONALLY_APPLIED
            return Status.UNKNOWN if self.entry_into_force is None else Status.NOT_YET_IN_FORCE
        if period_end(self.entry_into_force, self.entry_into_force_precision) > on:
            return Status.UNKNOWN
        if eov_end is not None and eov_end < on:
            return Status.UNKNOWN
        if any(d is None for d in repeals):
            return Status.UNKNOWN
        if self.date_application is not None and self.date_application > on:
            return Status.IN_FORCE_NOT_YET_APPLICABLE
        if self.date_application is not None and not self._certainly_started("date_application", on):
            return Status.UNKNOWN
        return Status.IN_FORCE

    @property
    def status(self):
        return self.status_on()

    def clean(self):
        super().clean()
        errors = precision_errors(self, *LIFECYCLE_DATES)
        start = getattr(self, self.start_date_field) if self.start_date_field else None
        if start and self.entry_into_force and self.entry_into_force < start:
            errors["entry_into_force"] = _("Entry into force cannot be before the date of adoption or signature.")
        if self.entry_into_force and self.end_of_validity and self.end_of_validity < self.entry_into_force:
            errors["end_of_validity"] = _("End of validity cannot be before entry into force.")
        if self.procedure_stage and self.entry_into_force:
            errors["procedure_stage"] = _("A proposal or draft has no entry into force: it is not law.")
        if errors:
            raise ValidationError(errors)


@cache
def choice_labels(field):
    """{value: label} of a field's choices, the labels left lazy (translated when shown)."""
    return {make_hashable(value): label for value, label in field.flatchoices}


class ChoiceLabelsModel(models.Model):
    """get_<field>_display() from one dict of labels per field.

    Django builds the dict anew on every call, hashing each label, and hashing a lazy label
    translates it: a kind of instrument translated all 17 kinds' names, and the HTML list of
    50 instruments made 800 translations (a sixth of its time). Same values as Django's."""

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        return force_str(choice_labels(field).get(make_hashable(value), value), strings_only=True)


class TitledModel(ChoiceLabelsModel):
    """Titles in English, Russian and Kazakh, each marked official, unofficial translation or paraphrase."""

    title_en = models.TextField(_("title (English)"), blank=True)
    title_en_kind = models.CharField(max_length=10, choices=TextKind.choices, blank=True)
    title_ru = models.TextField(_("title (Russian)"), blank=True)
    title_ru_kind = models.CharField(max_length=10, choices=TextKind.choices, blank=True)
    title_kk = models.TextField(_("title (Kazakh)"), blank=True)
    title_kk_kind = models.CharField(max_length=10, choices=TextKind.choices, blank=True)

    class Meta:
        abstract = True

    @property
    def title(self):
        return localized(self, "title")

    def clean(self):
        super().clean()
        for code in LANGUAGES:
            if getattr(self, f"title_{code}") and not getattr(self, f"title_{code}_kind"):
                raise ValidationError({f"title_{code}_kind": _("Say whether this title is official or a translation.")})
