"""Pages of Kazakhstan's agreements (the filterable list, one agreement) and of a partner state."""

from itertools import groupby

from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, When, Window
from django.db.models.functions import RowNumber
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from core.counts import counted
from core.db import count_of, joined_rows, split_rows
from core.filters import Facet
from core.lifecycle import DATED_STATUSES, LIFECYCLE_COLUMNS, Status
from core.views import FilteredListView, PageMetaMixin, life_events
from countries.models import Country, Membership
from instruments.models import LABEL_FIELDS, Instrument
from instruments.serializers import SUBJECT_FIELDS
from instruments.vocabulary import Jurisdiction
from sources.models import Provenance
from subjects.models import Subject

from . import citation, jsonld, meta
from .filters import MEMBER_OF_CHOICES, AgreementFilter
from .models import KAZAKHSTAN, Agreement, AgreementType, ArticleStateMention, Party

# The HTML list's facets: counts per type and subject under every other filter (one query).
LIST_FACETS = {
    "type": Facet(F("type"), choices=AgreementType.values),
    "subject": Facet(F("subjects")),
}

ORGANISATION_NAMES = {"eu": Jurisdiction.EU.label, "eaeu": Jurisdiction.EAEU.label, "cis": Jurisdiction.CIS.label}


def partner_counts():
    """Partner states with the number of agreements each is party to (one query)."""
    return list(
        Country.objects.exclude(pk=KAZAKHSTAN)
        .annotate(agreement_count=Count("agreement_parties"))
        .filter(agreement_count__gt=0)
        .order_by("name_en")
    )


def with_parties(queryset):
    return queryset.prefetch_related(Prefetch("parties", queryset=Party.objects.select_related("country")))


class AgreementListView(PageMetaMixin, FilteredListView):
    """Agreements, filtered with the API's FilterSet."""

    meta_title = _("Readmission agreements")
    meta_description = _(
        "Kazakhstan's readmission and migration agreements with each partner state: signature, "
        "ratification, entry into force and status, with their sources."
    )
    filterset_class = AgreementFilter
    template_name = "agreements/agreement_list.html"
    paginate_by = 50
    field_labels = {
        "q": _("Search"),
        "status": _("Status"),
        "on": _("Status on (date)"),
        "in_force_on": _("In force on"),
        "country": _("Partner state"),
        "type": _("Type of agreement"),
        "subject": _("Subject"),
        "member_of": _("Partner is a member of"),
        "signed_from": _("Signed: from"),
        "signed_to": _("Signed: to"),
        "in_article_list": _("Among the article's 12 ratified agreements"),
        "ordering": _("Order"),
    }

    def get_queryset(self):
        return with_parties(Agreement.objects.all())

    def paginate_queryset(self, queryset, page_size):
        self.facets = list_facets(self.filterset) if self.filterset.is_valid() else {}
        return super().paginate_queryset(queryset, page_size)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["facets"] = self.facets
        context["partners"] = partner_counts()
        context["member_of_choices"] = [(code, ORGANISATION_NAMES[code]) for code, _name in MEMBER_OF_CHOICES]
        # Agreements are concluded law: no procedure stage applies to them.
        context["status_choices"] = [(status.value, status.label) for status in (*DATED_STATUSES, Status.UNKNOWN)]
        return context


def list_facets(filterset):
    """Counts per type (every type listed) and per subject (those with agreements), in one query
    plus one for the subjects' labels."""
    counts = filterset.facet_counts(LIST_FACETS)
    selected = filterset.form.cleaned_data
    subjects = Subject.objects.filter(pk__in=list(counts["subject"])) if counts["subject"] else []
    return {
        "type": [
            {"value": value, "label": label, "count": counts["type"].get(value, 0)}
            for value, label in AgreementType.choices
        ],
        "subject": sorted(
            (
                {"value": s.code, "label": str(s), "count": counts["subject"][s.code]}
                for s in subjects
                if counts["subject"].get(s.code) or selected.get("subject") == s.code
            ),
            key=lambda item: str(item["label"]),
        ),
    }


class AgreementDetailView(PageMetaMixin, DetailView):
    template_name = "agreements/agreement_detail.html"
    context_object_name = "agreement"

    def get_queryset(self):
        subjects = joined_rows(Subject, "agreements", SUBJECT_FIELDS)
        protocols = joined_rows(Agreement, "amends", ("id", "date_signed"))
        return with_parties(
            Agreement.objects.annotate(subject_rows=subjects, protocol_rows=protocols)
            .select_related("amends")
            .prefetch_related(Prefetch("amends__parties", queryset=Party.objects.select_related("country")))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agreement = self.object
        # For one record the Python twin of the status CASE (tests/instruments/test_lifecycle.py
        # holds them equal) costs less than building and compiling the CASE.
        agreement.computed_status = agreement.status_on().value
        context["subjects"] = sorted(
            split_rows(agreement.subject_rows, SUBJECT_FIELDS), key=lambda s: (s["scheme"], s["code"])
        )
        context["protocols"] = sorted(
            split_rows(agreement.protocol_rows, ("id", "date_signed")), key=lambda p: (p["date_signed"], p["id"])
        )
        by_field = Provenance.objects.for_records(agreement).by_field()
        # Number and date of the ratification law usually share their sources: list each once.
        ratification = by_field.get("ratification_law_number", []) + by_field.get("ratification_law_date", [])
        seen = set()
        by_field["ratification"] = [
            row
            for row in ratification
            if (row.source_id, row.quote, row.note) not in seen and not seen.add((row.source_id, row.quote, row.note))
        ]
        context["provenance"] = by_field
        context["mentions"] = list(
            ArticleStateMention.objects.filter(
                Q(agreement=agreement) | Q(country__agreement_parties__agreement=agreement)
            )
            .distinct()
            .select_related("country")
            .order_by("list", "position")
        )
        context["discrepancies"] = list(agreement.discrepancies.all())
        context["timeline"] = life_events(agreement)
        context["jsonld"] = jsonld.page_head(agreement, self.request)
        context["citation_meta"] = meta.citation_meta(agreement, get_language()[:2])
        return context

    def get_page_meta(self, context):
        return meta.page_meta(self.object, get_language()[:2])


COUNTRY_PAGE_INSTRUMENTS = 100  # per jurisdiction on a country's page
COUNTRY_PAGE_AGREEMENTS = 200  # Kazakhstan is a party to every agreement: its page would list them all


class CountryDetailView(PageMetaMixin, DetailView):
    """A state as the knowledge base sees it: Kazakhstan's agreements with it, its memberships,
    the instruments of the organisations it belongs to, and how the article names it."""

    model = Country
    template_name = "countries/country_detail.html"
    context_object_name = "country"

    def get(self, request, *args, **kwargs):
        code = self.kwargs["pk"]
        if code != code.upper():  # /countries/de/ → /countries/DE/
            return redirect("web:country-detail", code.upper(), permanent=True)
        return super().get(request, *args, **kwargs)

    def get_page_meta(self, context):
        description = gettext(
            "%(country)s as the knowledge base sees it: Kazakhstan's agreements with it, its memberships "
            "and the instruments that apply to it, with their sources."
        ) % {"country": self.object.name}
        return {"title": self.object.name, "description": description, "type": "website"}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        country = self.object
        memberships = list(
            Membership.objects.filter(country=country)
            .select_related("organisation")
            .order_by(F("date_from").asc(nulls_first=True), "organisation")
        )
        context["memberships"] = memberships
        context["agreements"], context["agreements_more"] = self.agreements(country)
        # Instruments of the organisations the state belongs or belonged to; Kazakh law for Kazakhstan.
        jurisdictions = {m.organisation_id for m in memberships}
        if country.pk == KAZAKHSTAN:
            jurisdictions.add("kz")
        context["instruments"], context["instruments_more"] = self.instruments(jurisdictions)
        context["mentions"] = list(
            ArticleStateMention.objects.filter(country=country).select_related("agreement").order_by("list", "position")
        )
        return context

    def agreements(self, country):
        """The state's first COUNTRY_PAGE_AGREEMENTS agreements by signature, and how many more
        (counted only when there are more): Kazakhstan's page listed all 4,033 agreements at
        20,000 synthetic instruments, in 2.9 s (docs/reliability.md)."""
        agreements = Agreement.objects.filter(parties__country=country)
        rows = list(
            agreements.annotate_status()
            .with_party_list()
            .order_by(F("date_signed").asc(nulls_last=True), "id")[: COUNTRY_PAGE_AGREEMENTS + 1]
        )
        if len(rows) <= COUNTRY_PAGE_AGREEMENTS:
            return rows, 0
        # Kept per data version (core/counts.py), as the API's counts are: a seventh query on
        # every request of a page past the cap (Germany's at 100,000 instruments).
        total = counted(f"agreements with {country.pk} as a party", agreements.count)
        return rows[:COUNTRY_PAGE_AGREEMENTS], total - COUNTRY_PAGE_AGREEMENTS

    def instruments(self, jurisdictions):
        """The first COUNTRY_PAGE_INSTRUMENTS instruments of each jurisdiction, and for a jurisdiction
        with more, how many more, linked to the filtered list: unbounded, the page of Germany listed
        10,293 EU instruments at 20,000 synthetic ones, in 4 s (docs/reliability.md).

        One query: the first of each jurisdiction are ranked over their narrow (jurisdiction, date,
        id) alone and only they are read whole, each with its jurisdiction's size, counted once
        per jurisdiction (an uncorrelated subquery, which the database computes once). Ranking the
        whole rows sorted every instrument of the jurisdiction with its titles and status: 1.1 s
        for Germany's page at 100,000 instruments."""
        if not jurisdictions:
            return [], []
        order = [F("date_adopted").asc(nulls_last=True), F("id").asc()]
        first = (
            Instrument.objects.filter(jurisdiction__in=jurisdictions)
            .annotate(position=Window(RowNumber(), partition_by=[F("jurisdiction")], order_by=order))
            .filter(position__lte=COUNTRY_PAGE_INSTRUMENTS)
            .values("pk")
        )[: COUNTRY_PAGE_INSTRUMENTS * len(jurisdictions)]  # all of them: a bound the planner can read
        held = Case(
            *(
                When(jurisdiction=code, then=count_of(Instrument.objects.filter(jurisdiction=code)))
                for code in sorted(jurisdictions)
            ),
            output_field=IntegerField(),
        )
        rows = list(
            Instrument.objects.filter(pk__in=first)
            .only("id", "jurisdiction", "date_adopted", *LIFECYCLE_COLUMNS, *LABEL_FIELDS)
            .annotate_status()
            .annotate(in_jurisdiction=held)
            .order_by("jurisdiction", *order)
        )
        more = []
        for _code, shown in groupby(rows, key=lambda row: row.jurisdiction):
            shown = list(shown)
            if shown[0].in_jurisdiction > len(shown):
                row = shown[0]
                more.append(
                    {
                        "code": row.jurisdiction,
                        "label": row.get_jurisdiction_display(),
                        "count": row.in_jurisdiction - len(shown),
                    }
                )
        return rows, more


class AgreementCitationView(DetailView):
    """The agreement as a citation: BibTeX, RIS or CSL-JSON, downloaded as a file."""

    model = Agreement
    FORMATS = {
        "bib": ("application/x-bibtex; charset=utf-8", citation.bibtex),
        "ris": ("application/x-research-info-systems; charset=utf-8", citation.ris),
        "json": ("application/vnd.citationstyles.csl+json; charset=utf-8", citation.csl_json),
    }

    def get_queryset(self):
        return with_parties(Agreement.objects.all())

    def render_to_response(self, context, **response_kwargs):
        content_type, render = self.FORMATS[self.kwargs["format"]]
        response = HttpResponse(render(self.object), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{self.object.pk}.{self.kwargs["format"]}"'
        return response
