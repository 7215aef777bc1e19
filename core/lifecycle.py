"""Legal status computed from dates and repeals, never typed in.

Instruments and readmission agreements share the same lifecycle: a date of
entry into force and an end of validity, each with a precision. A date known
only to the month or year is stored as the first day of that period; status on
a date inside the period is *unknown*, never guessed.
"""

import datetime
from calendar import monthrange

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Precision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")
    UNKNOWN = "unknown", _("unknown")


class ProcedureStage(models.TextChoices):
    """Where a text that is not (yet) law stands; adopted law has no stage."""

    PROPOSED = "proposed", _("proposed")
    UNDER_NEGOTIATION = "under_negotiation", _("under negotiation")
    PROVISIONAL_AGREEMENT = "provisional_agreement", _("provisional agreement")
    WITHDRAWN = "withdrawn", _("withdrawn")
    NEVER_ADOPTED = "never_adopted", _("never adopted")


class Status(models.TextChoices):
    # "In force" is in force and applicable: what a reader means by law that governs on a date.
    IN_FORCE = "in_force", _("in force")
    IN_FORCE_NOT_YET_APPLICABLE = "in_force_not_yet_applicable", _("in force, not yet applicable")
    PROVISIONALLY_APPLIED = "provisionally_applied", _("provisionally applied")
    NOT_YET_IN_FORCE = "not_yet_in_force", _("not yet in force")
    NO_LONGER_IN_FORCE = "no_longer_in_force", _("no longer in force")
    UNKNOWN = "unknown", _("unknown")
    # A proposal's or draft's status is its procedure's stage: never law, whatever its dates.
    PROPOSED = ProcedureStage.PROPOSED.value, ProcedureStage.PROPOSED.label
    UNDER_NEGOTIATION = ProcedureStage.UNDER_NEGOTIATION.value, ProcedureStage.UNDER_NEGOTIATION.label
    PROVISIONAL_AGREEMENT = ProcedureStage.PROVISIONAL_AGREEMENT.value, ProcedureStage.PROVISIONAL_AGREEMENT.label
    WITHDRAWN = ProcedureStage.WITHDRAWN.value, ProcedureStage.WITHDRAWN.label
    NEVER_ADOPTED = ProcedureStage.NEVER_ADOPTED.value, ProcedureStage.NEVER_ADOPTED.label


# The statuses computed from dates (adopted law); the others are procedure stages.
DATED_STATUSES = (
    Status.IN_FORCE,
    Status.IN_FORCE_NOT_YET_APPLICABLE,
    Status.PROVISIONALLY_APPLIED,
    Status.NOT_YET_IN_FORCE,
    Status.NO_LONGER_IN_FORCE,
)


def today():
    """The knowledge base's 'today' (KB_TODAY pins it for reproducible runs)."""
    if settings.KB_TODAY:
        return datetime.date.fromisoformat(settings.KB_TODAY)
    return datetime.date.today()


def period_end(date, precision):
    """Last day a date of the given precision may stand for."""
    if date is None:
        return None
    if precision == Precision.MONTH:
        return date.replace(day=monthrange(date.year, date.month)[1])
    if precision == Precision.YEAR:
        return date.replace(month=12, day=31)
    return date


def _minus_months(date, months):
    month0 = date.month - 1 - months
    year = date.year + month0 // 12
    month = month0 % 12 + 1
    return date.replace(year=year, month=month, day=min(date.day, monthrange(year, month)[1]))


def certainly_started_q(field, on):
    """Q: the date in `field` (with `field_precision`) is certainly on or before `on`.

    For a month-precision date stored as the 1st, its period ends before `on`
    exactly when the 1st is on or before (on + 1 day) one month back; likewise
    for years. This keeps the test index-friendly on the date column.
    """
    after = on + datetime.timedelta(days=1)
    prec = f"{field}_precision"
    return (
        Q(**{prec: Precision.DAY, f"{field}__lte": on})
        | Q(**{prec: Precision.MONTH, f"{field}__lte": _minus_months(after, 1)})
        | Q(**{prec: Precision.YEAR, f"{field}__lte": _minus_months(after, 12)})
    )


def precision_errors(record, *fields):
    """Validation errors for dates and their `<field>_precision` companions.

    An empty date has precision 'unknown' and a known one does not; a date known
    to the month or year is stored as the first day of that period.
    """
    errors = {}
    for field in fields:
        value = getattr(record, field)
        precision = getattr(record, f"{field}_precision")
        if value is None and precision != Precision.UNKNOWN:
            errors[f"{field}_precision"] = _("An empty date has precision 'unknown'.")
        elif value is not None and precision == Precision.UNKNOWN:
            errors[f"{field}_precision"] = _("Give the precision of a known date.")
        elif value is not None and precision == Precision.MONTH and value.day != 1:
            errors[field] = _("A date known to the month is stored as the 1st of that month.")
        elif value is not None and precision == Precision.YEAR and (value.month, value.day) != (1, 1):
            errors[field] = _("A date known to the year is stored as 1 January of that year.")
    return errors


class LifecycleQuerySet(models.QuerySet):
    """Point-in-time queries shared by instruments and agreements.

    Each status is a Q object, so the four statuses partition any queryset and
    a filter stays one SQL query. Subclasses that know of repeals override
    `_repealed_q` and `_repeal_date_unknown_q`.
    """

    def _repealed_q(self, on):
        return Q(pk__in=[])

    def _repeal_date_unknown_q(self):
        return Q(pk__in=[])

    def _law_q(self):
        return Q(procedure_stage="")

    def _no_longer_in_force_q(self, on):
        return self._law_q() & (
            certainly_started_q("end_of_validity", on - datetime.timedelta(days=1)) | self._repealed_q(on)
        )

    def _in_force_in_law_q(self, on, entry_into_force="entry_into_force"):
        """In force on `on`, applicable or not yet; from the date in `entry_into_force`
        (a treaty's own, or the date it entered into force for one party)."""
        return (
            self._law_q()
            & certainly_started_q(entry_into_force, on)
            & (Q(end_of_validity__isnull=True) | Q(end_of_validity__gte=on))
            & ~self._repealed_q(on)
            & ~self._repeal_date_unknown_q()
        )

    def _in_force_q(self, on):
        # No date of application: it applies from entry into force.
        return self._in_force_in_law_q(on) & (
            Q(date_application__isnull=True) | certainly_started_q("date_application", on)
        )

    def _not_yet_applicable_q(self, on):
        return self._in_force_in_law_q(on) & Q(date_application__gt=on)

    def _provisionally_applied_q(self, on):
        return (
            self._law_q()
            & certainly_started_q("date_provisional_application", on)
            & (Q(entry_into_force__isnull=True) | Q(entry_into_force__gt=on))
            & ~self._no_longer_in_force_q(on)
        )

    def _not_yet_in_force_q(self, on):
        return (
            self._law_q()
            & Q(entry_into_force__gt=on)
            & ~self._repealed_q(on)
            & ~certainly_started_q("date_provisional_application", on)
        )

    def status_q(self, status, on):
        dated = {
            Status.IN_FORCE: self._in_force_q,
            Status.IN_FORCE_NOT_YET_APPLICABLE: self._not_yet_applicable_q,
            Status.PROVISIONALLY_APPLIED: self._provisionally_applied_q,
            Status.NOT_YET_IN_FORCE: self._not_yet_in_force_q,
            Status.NO_LONGER_IN_FORCE: self._no_longer_in_force_q,
        }
        if status in dated:
            return dated[status](on)
        if status == Status.UNKNOWN:
            known = Q(pk__in=[])
            for q in dated.values():
                known |= q(on)
            return self._law_q() & ~known
        if status in Status.values:
            return Q(procedure_stage=status)
        raise ValueError(f"unknown status {status!r}")

    def status_case(self, on):
        """The status on `on` as one SQL CASE expression (the same rules as `status_on`).

        The statuses partition the rows, so the order of the branches does not matter;
        adopted law that is in none of the dated statuses is unknown.
        """
        return models.Case(
            models.When(~self._law_q(), then=F("procedure_stage")),
            *[models.When(self.status_q(status, on), then=models.Value(status.value)) for status in DATED_STATUSES],
            default=models.Value(Status.UNKNOWN.value),
            output_field=models.CharField(),
        )

    def in_force_on(self, on):
        """Records whose known in-force period contains `on`, applicable on it or not yet.

        A record whose entry into force is unknown is never returned.
        """
        return self.filter(self._in_force_in_law_q(on))

    def applicable_on(self, on):
        """Records that apply on `on`: in force and applicable, or provisionally applied."""
        return self.filter(self._in_force_q(on) | self._provisionally_applied_q(on))

    def with_status(self, status, on=None):
        return self.filter(self.status_q(status, on or today()))

    def with_repeal_dates(self):
        """What Lifecycle.repeal_dates() reads, in the records' own query (none to read here)."""
        return self

    def annotate_status(self, on=None):
        """Annotate `computed_status` on `on` (default today): the same rules as `status_on`, in SQL."""
        return self.annotate(computed_status=self.status_case(on or today()))


# Every date of the lifecycle, each with a `<field>_precision` companion.
LIFECYCLE_DATES = ("entry_into_force", "end_of_validity", "date_application", "date_provisional_application")
# The columns status is computed from, the ones an index for status filters and counts holds.
LIFECYCLE_COLUMNS = ("procedure_stage", *(f"{d}{suffix}" for d in LIFECYCLE_DATES for suffix in ("_precision", "")))


def lifecycle_constraints(prefix, start_field):
    """Database-level twins of Lifecycle.clean() so bad rows never land."""
    constraints = [
        models.CheckConstraint(
            condition=Q(entry_into_force__isnull=True)
            | Q(**{f"{start_field}__isnull": True})
            | Q(entry_into_force__gte=models.F(start_field)),
            name=f"{prefix}_eif_not_before_{start_field}",
            violation_error_message="Entry into force cannot be before the date of adoption or signature.",
        ),
        models.CheckConstraint(
            condition=Q(end_of_validity__isnull=True)
            | Q(entry_into_force__isnull=True)
            | Q(end_of_validity__gte=models.F("entry_into_force")),
            name=f"{prefix}_eov_not_before_eif",
            violation_error_message="End of validity cannot be before entry into force.",
        ),
    ]
    for field in (*LIFECYCLE_DATES, start_field):
        constraints.append(
            models.CheckConstraint(
                condition=(Q(**{f"{field}__isnull": True}) & Q(**{f"{field}_precision": Precision.UNKNOWN}))
                | (Q(**{f"{field}__isnull": False}) & ~Q(**{f"{field}_precision": Precision.UNKNOWN})),
                name=f"{prefix}_{field}_precision_matches",
                violation_error_message=f"{field}: an empty date has precision 'unknown', a known one does not.",
            )
        )
    return constraints
