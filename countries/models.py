"""States, identified by ISO 3166-1, and the organisations of states with dated memberships."""

import pycountry
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from api.links import path_of
from core.i18n import localized
from core.lifecycle import Precision, certainly_started_q
from core.models import DerivedIdModel

# ISO 3166-1 alpha-2 of the state the knowledge base is about.
KAZAKHSTAN = "KZ"


class Country(models.Model):
    """A state, identified by ISO 3166-1; names from pycountry (ISO 3166 with Debian's translations)."""

    code = models.CharField(_("ISO 3166-1 alpha-2"), max_length=2, primary_key=True)
    alpha3 = models.CharField(_("ISO 3166-1 alpha-3"), max_length=3, unique=True)
    numeric = models.CharField(_("ISO 3166-1 numeric"), max_length=3, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_ru = models.CharField(_("name (Russian)"), max_length=120, blank=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=120, blank=True)
    provenance = GenericRelation("sources.Provenance")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name_en"]
        verbose_name_plural = _("countries")
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[A-Z]{2}$"), name="country_code_alpha2"),
            models.CheckConstraint(condition=Q(alpha3__regex=r"^[A-Z]{3}$"), name="country_code_alpha3"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return path_of("web:country-detail", self.code)  # reverse(), remembered per language

    @property
    def name(self):
        return localized(self, "name")[0]

    def clean(self):
        record = pycountry.countries.get(alpha_2=self.code)
        if record is None:
            raise ValidationError({"code": _("%(code)s is not an ISO 3166-1 alpha-2 code.") % {"code": self.code}})
        if record.alpha_3 != self.alpha3:
            raise ValidationError(
                {"alpha3": _("ISO 3166-1 gives %(a3)s for %(code)s.") % {"a3": record.alpha_3, "code": self.code}}
            )


class Organisation(models.Model):
    """An organisation of states (EU, EAEU, CIS, Benelux) whose membership is dated."""

    code = models.SlugField(_("code"), max_length=20, primary_key=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200, blank=True)
    abbreviation_en = models.CharField(max_length=20, blank=True)
    abbreviation_ru = models.CharField(max_length=20, blank=True)
    abbreviation_kk = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    provenance = GenericRelation("sources.Provenance")
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return localized(self, "name")[0]


class MembershipQuerySet(models.QuerySet):
    def on(self, date):
        """Memberships certainly held on `date`; one whose start is unknown is not counted."""
        return self.filter(certainly_started_q("date_from", date)).filter(
            Q(date_until__isnull=True) | Q(date_until__gte=date)
        )


class Membership(DerivedIdModel):
    """A state's membership of an organisation from one date until another (empty: still a member)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="memberships")
    date_from = models.DateField(
        _("member from"), null=True, blank=True, help_text=_("Empty when the sources give no date.")
    )
    date_from_precision = models.CharField(max_length=8, choices=Precision.choices, default=Precision.UNKNOWN)
    date_until = models.DateField(
        _("member until"), null=True, blank=True, help_text=_("Empty: still a member as far as the sources say.")
    )
    date_until_precision = models.CharField(max_length=8, choices=Precision.choices, default=Precision.UNKNOWN)
    note = models.TextField(blank=True)
    provenance = GenericRelation("sources.Provenance")
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", F("date_from").asc(nulls_first=True), "country"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "country", "date_from"], name="membership_unique"),
            models.CheckConstraint(
                condition=(Q(date_from__isnull=True) & Q(date_from_precision="unknown"))
                | (Q(date_from__isnull=False) & ~Q(date_from_precision="unknown")),
                name="membership_date_from_precision_matches",
            ),
            models.CheckConstraint(
                condition=Q(date_until__isnull=True) | Q(date_until__gte=models.F("date_from")),
                name="membership_dates_in_order",
                violation_error_message="A membership cannot end before it starts.",
            ),
        ]

    def build_id(self):
        return f"{self.organisation_id}-{self.country_id}-{self.date_from or 'undated'}"

    def __str__(self):
        return f"{self.country_id} in {self.organisation_id} from {self.date_from}"
