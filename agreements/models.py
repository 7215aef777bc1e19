"""Kazakhstan's bilateral readmission agreements, and what the article says of them.

One agreement is one record, whatever the number of partner states: the
Benelux agreement is one agreement with Belgium, Luxembourg and the
Netherlands. Per-country views are computed from the parties.
"""

import datetime

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from api.links import path_of
from core.lifecycle import LIFECYCLE_COLUMNS, LifecycleQuerySet, Precision, lifecycle_constraints, precision_errors
from core.models import DerivedIdModel, Lifecycle, TitledModel
from countries.models import KAZAKHSTAN, Membership

# The article appeared in 2024; agreements in force before then should have been in its list.
ARTICLE_PUBLISHED = datetime.date(2024, 1, 1)


class ArticleListing(models.TextChoices):
    RATIFIED_12 = "ratified_12", _("among the article's 12 ratified agreements")
    OTHER_13 = "other_13", _("among the article's '13 other states'")
    NOT_LISTED = "not_listed", _("not in the article")


class AgreementType(models.TextChoices):
    READMISSION = "readmission", _("readmission")
    LABOUR_MIGRATION = "labour_migration", _("labour migration")
    MIGRATION_COOPERATION = "migration_cooperation", _("migration cooperation")
    STAY_OF_CITIZENS = "stay_of_citizens", _("stay of citizens")
    MUTUAL_TRAVEL = "mutual_travel", _("mutual travel")


# How an agreement of each type is named from its partners: "Kazakhstan – Poland readmission agreement".
AGREEMENT_LABELS = {
    AgreementType.READMISSION: _("Kazakhstan – %(partners)s readmission agreement"),
    AgreementType.LABOUR_MIGRATION: _("Kazakhstan – %(partners)s agreement on labour migration"),
    AgreementType.MIGRATION_COOPERATION: _("Kazakhstan – %(partners)s agreement on migration cooperation"),
    AgreementType.STAY_OF_CITIZENS: _("Kazakhstan – %(partners)s agreement on the stay of citizens"),
    AgreementType.MUTUAL_TRAVEL: _("Kazakhstan – %(partners)s agreement on mutual travel of citizens"),
}


class AgreementQuerySet(LifecycleQuerySet):
    def with_party_list(self, order=("country",)):
        """Each agreement's parties with their states as `party_list`, which Agreement.partners
        (and so its label) reads: a Prefetch to a list makes no related manager and queryset
        per agreement, as prefetching the relation does. In their states' order (by name), as
        Party's default orders them, without joining the agreements to sort by them."""
        parties = Party.objects.select_related("country").order_by(*order)
        return self.prefetch_related(Prefetch("parties", queryset=parties, to_attr="party_list"))

    def with_partner(self, *codes):
        """Agreements with any of these partner states (ISO alpha-2, upper case)."""
        return self.filter(Exists(Party.objects.filter(agreement=OuterRef("pk"), country__in=codes)))

    def with_partner_member_of(self, organisation, on):
        """Agreements with a partner that was a member of `organisation` on `on`."""
        members = Membership.objects.filter(organisation=organisation).on(on).values("country")
        return self.filter(
            Exists(Party.objects.filter(agreement=OuterRef("pk"), country__in=members).exclude(country=KAZAKHSTAN))
        )

    def real(self):
        return self.filter(is_synthetic=False)


# The columns Agreement.label reads of the agreement itself (the partners' names come with its parties).
LABEL_FIELDS = ("type", "amends_id", "date_signed")


class Agreement(Lifecycle, TitledModel):
    """An agreement between Kazakhstan and one or more partner states: readmission, labour migration,
    migration cooperation, stay of citizens or mutual travel."""

    id = models.SlugField(_("id"), max_length=80, primary_key=True)
    type = models.CharField(
        _("type"), max_length=24, choices=AgreementType.choices, default=AgreementType.READMISSION, db_index=True
    )
    amends = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="amended_by",
        verbose_name=_("amends"),
        help_text=_("For a protocol: the agreement it amends."),
    )

    date_signed = models.DateField(_("signed"), null=True, blank=True, db_index=True)
    date_signed_precision = models.CharField(max_length=8, choices=Precision.choices, default=Precision.UNKNOWN)
    place_signed = models.CharField(_("place of signature"), max_length=100, blank=True)

    ratification_law_number = models.CharField(_("Kazakhstan's ratification law: number"), max_length=40, blank=True)
    ratification_law_date = models.DateField(_("Kazakhstan's ratification law: date"), null=True, blank=True)
    ratification_law_date_precision = models.CharField(
        max_length=8, choices=Precision.choices, default=Precision.UNKNOWN
    )
    ratification_note = models.TextField(_("ratification note"), blank=True)

    implementing_protocol = models.TextField(
        _("implementing protocol"),
        blank=True,
        help_text=_("The executive protocol on the procedure for implementing the agreement, where there is one."),
    )
    article_listing = models.CharField(
        _("how the article lists it"), max_length=12, choices=ArticleListing.choices, db_index=True
    )
    note = models.TextField(_("note"), blank=True)
    subjects = models.ManyToManyField("subjects.Subject", blank=True, related_name="agreements")
    is_synthetic = models.BooleanField(_("synthetic (benchmark) record"), default=False, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    provenance = GenericRelation("sources.Provenance")
    history = HistoricalRecords(m2m_fields=[subjects])

    objects = AgreementQuerySet.as_manager()
    start_date_field = "date_signed"

    class Meta:
        ordering = [F("date_signed").asc(nulls_last=True), "id"]
        # Performance: the default ordering, and the point-in-time filter (index-only counts).
        indexes = [
            models.Index(fields=["date_signed", "id"], name="agreement_signed_id"),
            models.Index(fields=[*LIFECYCLE_COLUMNS, "id"], name="agreement_lifecycle"),
            # The events in a window (events.queries): the one event date column with no index.
            models.Index(fields=["ratification_law_date"], name="agreement_ratification"),
            models.Index(fields=["updated_at", "id"], name="agreement_updated_id"),
            models.Index(fields=["-updated_at", "id"], name="agreement_updated_desc_id"),
        ]
        constraints = lifecycle_constraints("agreement", "date_signed") + [
            models.CheckConstraint(
                condition=Q(ratification_law_date__isnull=True)
                | Q(date_signed__isnull=True)
                | Q(ratification_law_date__gte=models.F("date_signed")),
                name="agreement_ratified_not_before_signed",
                violation_error_message="Ratification cannot be before signature.",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def partners(self):
        # The parties a query prefetched as `party_list` (Prefetch to_attr: no related manager
        # and queryset made per agreement), else the related manager's.
        parties = getattr(self, "party_list", None)
        if parties is None:
            parties = self.parties.all()
        return [party.country for party in parties if party.country_id != KAZAKHSTAN]

    @property
    def label(self):
        names = ", ".join(country.name for country in self.partners)
        label = AGREEMENT_LABELS[self.type] % {"partners": names or "?"}
        if self.amends_id:  # a protocol: named with its year, beside the agreement it amends
            return _("Protocol (%(year)s) to the %(agreement)s") % {
                "year": self.date_signed.year if self.date_signed else "?",
                "agreement": label,
            }
        return label

    @property
    def missing_from_article_list(self):
        """In force before the article appeared, yet not among its 12 ratified agreements."""
        return (
            self.type == AgreementType.READMISSION  # the article lists readmission agreements only
            and self.article_listing != ArticleListing.RATIFIED_12
            and self.entry_into_force is not None
            and self.entry_into_force < ARTICLE_PUBLISHED
        )

    def get_absolute_url(self):
        return path_of("web:agreement-detail", self.id)  # reverse(), remembered per language

    def clean(self):
        super().clean()
        errors = precision_errors(self, "date_signed", "ratification_law_date")
        if self.ratification_law_date and self.date_signed and self.ratification_law_date < self.date_signed:
            errors["ratification_law_date"] = _("Ratification cannot be before signature.")
        if errors:
            raise ValidationError(errors)


class Party(DerivedIdModel):
    """A state party to an agreement (Kazakhstan is a party to every one)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    country = models.ForeignKey("countries.Country", on_delete=models.PROTECT, related_name="agreement_parties")
    provenance = GenericRelation("sources.Provenance")
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "country"]
        verbose_name_plural = _("parties")
        # Performance: "agreements with this partner" (country first; the unique constraint has agreement first).
        indexes = [models.Index(fields=["country", "agreement"], name="party_country_agreement")]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "country"],
                name="party_unique_per_agreement",
                violation_error_message="This state is already a party to the agreement.",
            )
        ]

    def build_id(self):
        return f"{self.agreement_id}-{self.country_id}"

    def __str__(self):
        return f"{self.country_id} in {self.agreement_id}"


class ArticleStateMention(DerivedIdModel):
    """A state named in one of the article's lists, exactly as the article names it.

    The '13 other states' are recorded here as what the article says, never as
    concluded agreements; `agreement` links a concluded agreement where one exists.
    """

    class ArticleList(models.TextChoices):
        RATIFIED_12 = "ratified_12", _("12 ratified readmission agreements")
        OTHER_13 = "other_13", _("'13 other states'")
        TRANSIT = "transit", _("citizens transiting Kazakhstan to Russia")

    list = models.CharField(_("list in the article"), max_length=12, choices=ArticleList.choices)
    position = models.PositiveSmallIntegerField(_("position in the list"))
    as_stated = models.CharField(_("as the article names it"), max_length=100)
    country = models.ForeignKey("countries.Country", on_delete=models.PROTECT, related_name="article_mentions")
    agreement = models.ForeignKey(
        Agreement, null=True, blank=True, on_delete=models.SET_NULL, related_name="article_mentions"
    )
    interpretation = models.TextField(_("interpretation"), blank=True)
    provenance = GenericRelation("sources.Provenance")
    history = HistoricalRecords()

    class Meta:
        ordering = ["list", "position", "country"]
        constraints = [models.UniqueConstraint(fields=["list", "country"], name="mention_unique_per_list")]

    def build_id(self):
        return f"{self.list}-{self.country_id}"

    def __str__(self):
        return f"{self.as_stated} ({self.get_list_display()})"
