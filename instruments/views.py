"""Server-rendered pages of the knowledge base: home, instruments, countries, sources, errata.

Every page works without JavaScript and stays within a fixed number of SQL
queries, whatever the number of records: status and "last updated" are SQL
annotations (instruments.pages), related rows come in with select_related or
one prefetch each.
"""

from collections import defaultdict

from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from agreements.models import KAZAKHSTAN, Agreement, ArticleStateMention, Party

from . import citation
from .filters import InstrumentFilter
from .lifecycle import Status, today
from .models import (Country, Discrepancy, Instrument, Membership, Provenance, Relationship, RelationshipType,
                     Source, Subject)
from .pages import (instrument_facets, instrument_jsonld, joined_rows, split_rows, with_computed_status,
                    with_last_updated)

# ELI-style paths minted by the project: /eu/dir/2003/86, /kz/pp/2022/961, /eaeu/treaty/2014-05-29.
ELI_PATH_RE = r"^(?P<eli_path>(?:eu|eaeu|cis|kz|int)/[\w.-]+(?:/[\w.-]+)*?)/?$"


SUBJECT_FIELDS = ("code", "scheme", "label_en", "label_ru", "label_kk")


class FilteredListView(FilterView):
    """A FilterView whose invalid filter input answers 400 with the form's errors, never an empty 200."""

    strict = True
    field_labels = {
        "q": _("Search"), "kind": _("Kind"), "level": _("Level"), "jurisdiction": _("Jurisdiction"),
        "status": _("Status"), "on": _("Status on (date)"), "in_force_on": _("In force on"),
        "subject": _("Subject"), "cited_in_article": _("Cited in the article"),
        "adopted_from": _("Adopted or signed: from"), "adopted_to": _("Adopted or signed: to"),
        "country": _("Partner state"), "member_of": _("Partner is a member of"),
        "signed_from": _("Signed: from"), "signed_to": _("Signed: to"),
        "in_article_list": _("Among the article's 12 ratified agreements"), "ordering": _("Order"),
    }

    def get_filterset_kwargs(self, filterset_class):
        # Always bound (an empty query string is a valid, empty filter), so facets and the
        # reference date come from one code path.
        return {**super().get_filterset_kwargs(filterset_class), "data": self.request.GET}

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        # The shared FilterSet's labels are the API's parameter names; the page names them in the reader's language.
        for name, label in self.field_labels.items():
            if name in filterset.form.fields:
                filterset.form.fields[name].label = label
        return filterset

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if not self.filterset.is_valid():
            response.status_code = 400
        return response

    def reference_date(self):
        """The date the filter computes status on (`on`), default today."""
        form = self.filterset.form
        return (form.cleaned_data.get("on") if form.is_valid() else None) or today()


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        on = today()
        context["today"] = on
        context["instrument_counts"] = Instrument.objects.aggregate(
            total=Count("pk"), in_force=Count("pk", filter=Instrument.objects.status_q(Status.IN_FORCE, on)),
            cited=Count("pk", filter=Q(cited_in_article=True)))
        context["agreement_counts"] = Agreement.objects.aggregate(
            total=Count("pk"), in_force=Count("pk", filter=Agreement.objects.status_q(Status.IN_FORCE, on)))
        context["partner_count"] = (Party.objects.exclude(country=KAZAKHSTAN)
                                    .values("country").distinct().count())
        context["source_count"] = Source.objects.count()
        context["discrepancy_count"] = Discrepancy.objects.count()
        return context


class InstrumentListView(FilteredListView):
    """Instruments, filtered with the API's FilterSet, with facet counts over the filtered set."""

    filterset_class = InstrumentFilter
    template_name = "instruments/instrument_list.html"
    paginate_by = 25

    def get_queryset(self):
        return Instrument.objects.all()

    def paginate_queryset(self, queryset, page_size):
        # Status is shown for the filter's reference date; facet totals give the count for free.
        self.facets = instrument_facets(self.filterset, self.reference_date()) if self.filterset.is_valid() else None
        queryset = with_computed_status(queryset, self.reference_date())
        return super().paginate_queryset(queryset, page_size)

    def get_paginator(self, queryset, *args, **kwargs):
        paginator = super().get_paginator(queryset, *args, **kwargs)
        if self.facets is not None:
            paginator.count = self.facets["total"]
        return paginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.filterset.form
        context["query"] = form.cleaned_data.get("q", "") if form.is_valid() else ""
        context["facets"] = self.facets or {}
        context["status_date"] = self.reference_date()
        context["api_query"] = self.request.GET.urlencode()
        return context


class InstrumentDetailView(DetailView):
    template_name = "instruments/instrument_detail.html"
    context_object_name = "instrument"

    def get_queryset(self):
        subjects = joined_rows(Subject.objects.all(), "instruments", SUBJECT_FIELDS)
        return with_last_updated(with_computed_status(Instrument.objects.all())).annotate(subject_rows=subjects)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        instrument = self.object
        context.update(instrument_facts(instrument))
        context["jsonld"] = instrument_jsonld(instrument, context, self.request)
        return context


def instrument_facts(instrument):
    """Everything the instrument page shows, in five queries (relationships, provisions,
    texts, provenance, discrepancies)."""
    relationships = (Relationship.objects.filter(Q(subject=instrument) | Q(object=instrument))
                     .select_related("subject", "object").order_by("date_effective", "type", "id"))
    related = []
    repeals = []
    for rel in relationships:
        if rel.object_id == instrument.pk:
            related.append({"label": rel.inverse_label, "other": rel.subject, "rel": rel})
            if rel.type == RelationshipType.REPEALS:
                repeals.append(rel)
        else:
            related.append({"label": rel.forward_label, "other": rel.object, "rel": rel})
    provisions = list(instrument.provisions.order_by("position", "label"))
    texts = list(instrument.texts.order_by("language", "url"))
    provenance = (Provenance.objects.select_related("source")
                  .filter(Q(content_type__app_label="instruments")
                          & (Q(content_type__model="instrument", object_id=instrument.pk)
                             | Q(content_type__model="provision", object_id__in=[p.pk for p in provisions])))
                  .order_by("field", "source__kind", "source__number", "id"))
    by_field = defaultdict(list)
    article_says = []
    for row in provenance:
        by_field[row.field].append(row)
        if row.source.kind in (Source.Kind.ARTICLE, Source.Kind.ARTICLE_REFERENCE) and row.quote:
            article_says.append(row)
    subjects = sorted(split_rows(instrument.subject_rows, SUBJECT_FIELDS), key=lambda s: (s["scheme"], s["code"]))
    return {
        "related": related,
        "repeals": repeals,
        "provisions": provisions,
        "texts": texts,
        "provenance": dict(by_field),
        "article_says": article_says,
        "discrepancies": list(instrument.discrepancies.order_by("-substantive", "category", "id")),
        "subjects": subjects,
        "timeline": timeline(instrument, repeals),
    }


def timeline(record, repeals=()):
    """The dated events of a record's life, in order, for the small timeline on its page."""
    events = []
    start = getattr(record, record.start_date_field)
    if start:
        label = _("signed") if record.start_date_field == "date_signed" else _("adopted or signed")
        events.append((label, start, getattr(record, f"{record.start_date_field}_precision")))
    if getattr(record, "ratification_law_date", None):
        events.append((_("ratified by Kazakhstan"), record.ratification_law_date,
                       record.ratification_law_date_precision))
    if record.entry_into_force:
        events.append((_("entry into force"), record.entry_into_force, record.entry_into_force_precision))
    if record.end_of_validity:
        events.append((_("end of validity"), record.end_of_validity, record.end_of_validity_precision))
    for rel in repeals:
        if rel.date_effective:
            events.append((_("repeal takes effect"), rel.date_effective, rel.date_effective_precision))
    events.sort(key=lambda event: event[1])
    return [{"label": label, "date": date, "precision": precision} for label, date, precision in events]


class InstrumentCitationView(DetailView):
    """The instrument as a citation: BibTeX, RIS or CSL-JSON, downloaded as a file."""

    model = Instrument
    FORMATS = {
        "bib": ("application/x-bibtex; charset=utf-8", citation.bibtex),
        "ris": ("application/x-research-info-systems; charset=utf-8", citation.ris),
        "json": ("application/vnd.citationstyles.csl+json; charset=utf-8", citation.csl_json),
    }

    def render_to_response(self, context, **response_kwargs):
        content_type, render = self.FORMATS[self.kwargs["format"]]
        response = HttpResponse(render(self.object, self.request), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{self.object.pk}.{self.kwargs["format"]}"'
        return response


class EliRedirectView(View):
    """An ELI-style path (with or without a language prefix) redirects to the instrument page."""

    def get(self, request, eli_path):
        instrument = get_object_or_404(Instrument, eli_path=f"/{eli_path.rstrip('/')}")
        return redirect(instrument.get_absolute_url())


class CountryDetailView(DetailView):
    """Every agreement, membership, instrument and article mention involving one state."""

    model = Country
    template_name = "countries/country_detail.html"
    context_object_name = "country"

    def get(self, request, *args, **kwargs):
        code = self.kwargs["pk"]
        if code != code.upper():  # /countries/de/ → /countries/DE/
            return redirect("web:country-detail", code.upper(), permanent=True)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        country = self.object
        memberships = list(Membership.objects.filter(country=country).select_related("organisation")
                           .order_by("date_from", "organisation"))
        context["memberships"] = memberships
        context["agreements"] = list(
            with_computed_status(Agreement.objects.filter(parties__country=country))
            .prefetch_related(Prefetch("parties", queryset=Party.objects.select_related("country")))
            .order_by("date_signed", "id"))
        # Instruments of the organisations the state belongs or belonged to; Kazakh law for Kazakhstan.
        jurisdictions = {m.organisation_id for m in memberships}
        if country.pk == KAZAKHSTAN:
            jurisdictions.add("kz")
        context["instruments"] = list(
            with_computed_status(Instrument.objects.filter(jurisdiction__in=jurisdictions))
            .order_by("jurisdiction", "date_adopted", "id")) if jurisdictions else []
        context["mentions"] = list(ArticleStateMention.objects.filter(country=country)
                                   .select_related("agreement").order_by("list", "position"))
        return context


class SourceListView(ListView):
    """The article's bibliography, each reference with the instruments it supports, then other sources."""

    template_name = "sources/source_list.html"
    context_object_name = "sources"

    def get_queryset(self):
        return Source.objects.prefetch_related(
            Prefetch("instruments", queryset=Instrument.objects.order_by("date_adopted", "id"))
        ).order_by("kind", "number", "id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        groups = defaultdict(list)
        for source in context["sources"]:
            groups[source.kind].append(source)
        context["groups"] = [(kind, label, groups[kind]) for kind, label in Source.Kind.choices if groups[kind]]
        return context


class ErrataView(ListView):
    """The discrepancies register: what the article says, the correct fact, its source and our confidence."""

    template_name = "sources/errata.html"
    context_object_name = "discrepancies"

    def get_queryset(self):
        return Discrepancy.objects.prefetch_related(
            Prefetch("instruments", queryset=Instrument.objects.order_by("date_adopted", "id")),
            Prefetch("agreements", queryset=Agreement.objects.prefetch_related(
                Prefetch("parties", queryset=Party.objects.select_related("country"))).order_by("date_signed", "id")),
            Prefetch("provenance", queryset=Provenance.objects.select_related("source").order_by("field", "id")),
        ).order_by("-substantive", "category", "id")
