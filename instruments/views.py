"""Pages of instruments: the filterable list with facets, one instrument, its citations, ELI paths.

Every page works without JavaScript and stays within a fixed number of SQL queries: status
and "last updated" are SQL annotations, related rows come in with one prefetch each.
"""

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, F, Q, Value
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView

from core.db import joined_rows, split_rows
from core.filters import Facet, IsoDateField
from core.lifecycle import Status, today
from core.views import FilteredListView, PageMetaMixin, life_events
from sources.models import Provenance, Source
from subjects.models import Subject

from . import citation, jsonld, meta
from .filters import InstrumentFilter
from .models import Instrument, InstrumentParty, Relationship
from .serializers import SUBJECT_FIELDS
from .vocabulary import TREATY_KINDS, InstrumentKind, Jurisdiction, Level, RelationshipType

# ELI-style paths minted by the project: /eu/dir/2003/86, /kz/pp/2022/961, /eaeu/treaty/2014-05-29,
# /un/convention/1951-07-28.
ELI_PATH_RE = r"^(?P<eli_path>(?:eu|eaeu|cis|kz|un|int)/[\w.-]+(?:/[\w.-]+)*?)/?$"

FACET_CHOICES = {"kind": InstrumentKind, "level": Level, "jurisdiction": Jurisdiction, "status": Status}


class InstrumentListView(PageMetaMixin, FilteredListView):
    """Instruments, filtered with the API's FilterSet, with facet counts over the filtered set."""

    meta_title = _("Instruments")
    meta_description = _(
        "Treaties, EU and EAEU law and Kazakh laws on migration: search and filter them by kind, "
        "jurisdiction, subject and their status on any date."
    )
    filterset_class = InstrumentFilter
    template_name = "instruments/instrument_list.html"
    paginate_by = 25
    field_labels = {
        "q": _("Search"),
        "kind": _("Kind"),
        "level": _("Level"),
        "jurisdiction": _("Jurisdiction"),
        "status": _("Status"),
        "on": _("Status on (date)"),
        "in_force_on": _("In force on"),
        "applicable_on": _("Applicable on"),
        "in_force_for_kazakhstan_on": _("In force for Kazakhstan on"),
        "subject": _("Subject"),
        "cited_in_article": _("Cited in the article"),
        "adopted_from": _("Adopted or signed: from"),
        "adopted_to": _("Adopted or signed: to"),
        "ordering": _("Order"),
    }

    def get_queryset(self):
        return Instrument.objects.all()

    def paginate_queryset(self, queryset, page_size):
        # The facets' total is the paginator's count (get_paginator).
        self.facets = list_facets(self.filterset) if self.filterset.is_valid() else None
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
        return context


def list_facets(filterset):
    """Counts per kind, level, jurisdiction, status, subject and year, and the total, for a valid
    InstrumentFilter: each facet under every filter but its own (as the API's), in one query,
    plus one for the subjects' labels."""
    facets = {name: filterset.facets[name] for name in (*FACET_CHOICES, "subject")}
    facets.update(year=filterset.year_facet, total=Facet(Value("all", output_field=CharField()), undoes=None))
    counts = filterset.facet_counts(facets)
    selected = filterset.form.cleaned_data

    def choices(facet):
        return [
            {"value": value, "label": label, "count": counts[facet].get(value, 0)}
            for value, label in FACET_CHOICES[facet].choices
            if counts[facet].get(value) or selected.get(facet) == value
        ]

    subjects = Subject.objects.filter(pk__in=list(counts["subject"])) if counts["subject"] else []
    return {
        "total": counts["total"].get("all", 0),
        **{facet: choices(facet) for facet in FACET_CHOICES},
        "subject": sorted(
            (
                {"value": s.code, "label": str(s), "count": counts["subject"][s.code], "scheme": s.scheme}
                for s in subjects
            ),
            key=lambda item: (item["scheme"], str(item["label"])),
        ),
        "year": [
            {"value": int(year), "label": year, "count": count}
            for year, count in sorted(counts["year"].items(), key=lambda item: -int(item[0]))
        ],
    }


class StatusDateForm(forms.Form):
    """The record page's one parameter: the date its status is computed on (empty: today)."""

    on = IsoDateField(label=_("Status on"), required=False)


# A party: its id, the state or the organisation, and its name in the reader's language and in
# English (one query's nesting stays within SQLite's limit).
def party_fields():
    lang = (get_language() or "en")[:2]
    return (
        "id",
        "country_id",
        "organisation_id",
        f"country__name_{lang}",
        f"organisation__name_{lang}",
        "country__name_en",
        "organisation__name_en",
    )


PARTY_KEYS = ("id", "country_id", "organisation_id", "name", "org", "name_en", "org_en")


class InstrumentDetailView(PageMetaMixin, DetailView):
    """One instrument; `?on=YYYY-MM-DD` computes its status on that date (a bad date answers 400)."""

    template_name = "instruments/instrument_detail.html"
    context_object_name = "instrument"

    def get(self, request, *args, **kwargs):
        self.form = StatusDateForm(request.GET)
        self.on = (self.form.cleaned_data.get("on") if self.form.is_valid() else None) or today()
        response = super().get(request, *args, **kwargs)
        if not self.form.is_valid():
            response.status_code = 400
        return response

    def get_queryset(self):
        subjects = joined_rows(Subject, "instruments", SUBJECT_FIELDS)
        parties = joined_rows(InstrumentParty, "instrument", party_fields())
        return Instrument.objects.annotate(subject_rows=subjects, party_rows=parties)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        instrument = self.object
        facts = instrument_facts(instrument)
        context.update(facts)
        # The status by the Python twins of the lifecycle's SQL (tests/test_lifecycle.py holds
        # them equal), from the repeals and parties the page reads anyway: for one record,
        # building and compiling the status CASE cost more than the rest of the page's queries.
        repeal_dates = [rel.date_effective for rel in facts["repeals"]]
        instrument.computed_status = instrument.status_on(self.on, repeal_dates).value
        instrument.in_force_for_kz = instrument.in_force_for_kazakhstan_on(
            self.on, repeal_dates, {party["country_id"] for party in facts["parties"]}
        )
        context["status_date"] = self.on
        context["status_form"] = self.form
        context["in_force_for_kazakhstan"] = in_force_for_kazakhstan(instrument)
        context["jsonld"] = jsonld.page_head(self.object, context, self.request)
        context["citation_meta"] = meta.citation_meta(self.object, context["texts"], get_language()[:2])
        return context

    def get_page_meta(self, context):
        return meta.page_meta(self.object, get_language()[:2])


def in_force_for_kazakhstan(instrument):
    """ "yes", "no" or "unknown" on the page's status date; unknown where a multilateral treaty's
    entry into force for Kazakhstan is not recorded (never guessed from the treaty's own date)."""
    if instrument.procedure_stage:
        return "no"
    if instrument.in_force_for_kz:
        return "yes"
    multilateral = instrument.kind in TREATY_KINDS and instrument.level not in (Level.BILATERAL, Level.NATIONAL)
    if multilateral and instrument.entry_into_force_kz is None:
        return "unknown"
    return "no"


def unique_rows(*lists):
    """Provenance rows of several fields that share their sources, each listed once."""
    seen, rows = set(), []
    for row in (row for rows in lists for row in rows):
        key = (row.source_id, row.confidence, row.quote, row.note)
        if key not in seen:
            seen.add(key)
            rows.append(row)
    return rows


def instrument_facts(instrument):
    """Everything the instrument page shows, in five queries (relationships, provisions,
    texts, provenance, discrepancies); subjects and parties come with the instrument."""
    relationships = (
        Relationship.objects.filter(Q(subject=instrument) | Q(object=instrument))
        .select_related("subject", "object")
        .order_by(F("date_effective").asc(nulls_last=True), "type", "id")
    )
    related, repeals = [], []
    for rel in relationships:
        if rel.object_id == instrument.pk:
            related.append({"label": rel.inverse_label, "other": rel.subject, "rel": rel})
            if rel.type == RelationshipType.REPEALS:
                repeals.append(rel)
        else:
            related.append({"label": rel.forward_label, "other": rel.object, "rel": rel})
    provisions = list(instrument.provisions.order_by("position", "label"))
    party_rows = party_dicts(instrument)
    lang = (get_language() or "en")[:2]
    for row in party_rows:
        own = row["org"] if row["organisation_id"] else row["name"]
        row["label"] = own or (row["org_en"] if row["organisation_id"] else row["name_en"]) or row["id"]
        row["lang"] = lang if own else "en"
    party_records = [InstrumentParty(id=row["id"]) for row in party_rows]
    provenance = Provenance.objects.for_records(instrument, *provisions, *party_records).by_field()
    party_type = ContentType.objects.get_for_model(InstrumentParty).pk
    party_sources = {}
    for rows in provenance.values():
        for row in rows:
            if row.content_type_id == party_type:
                party_sources.setdefault(row.object_id, []).append(row)
    # The parties' rows (field "*") are shown beside each party, not as facts of the instrument.
    provenance = {
        field: [row for row in rows if row.content_type_id != party_type] for field, rows in provenance.items()
    }
    provenance["kz_ratification"] = unique_rows(
        provenance.get("kz_ratification_act", []), provenance.get("kz_ratification_date", [])
    )
    parties = sorted(
        (
            {
                **row,
                "is_organisation": bool(row["organisation_id"]),
                "sources": party_sources.get(row["id"], []),
            }
            for row in party_rows
        ),
        key=lambda row: (not row["is_organisation"], row["organisation_id"], row["label"]),
    )
    article_says = [
        row for rows in provenance.values() for row in rows if row.source.kind in Source.ARTICLE_KINDS and row.quote
    ]
    return {
        "related": related,
        "repeals": repeals,
        "provisions": provisions,
        "texts": list(instrument.texts.order_by("language", "url")),
        "provenance": provenance,
        "article_says": article_says,
        "discrepancies": list(instrument.discrepancies.all()),
        "subjects": sorted(split_rows(instrument.subject_rows, SUBJECT_FIELDS), key=lambda s: (s["scheme"], s["code"])),
        "parties": parties,
        "timeline": life_events(instrument, repeals),
    }


def party_dicts(instrument):
    """The parties aggregated into the instrument's own query (none where it was not annotated)."""
    return split_rows(getattr(instrument, "party_rows", None), PARTY_KEYS)


class InstrumentCitationView(DetailView):
    """The instrument as a citation: BibTeX, RIS or CSL-JSON, downloaded as a file."""

    model = Instrument
    FORMATS = {
        "bib": ("application/x-bibtex; charset=utf-8", citation.bibtex),
        "ris": ("application/x-research-info-systems; charset=utf-8", citation.ris),
        "json": ("application/vnd.citationstyles.csl+json; charset=utf-8", citation.csl_json),
    }

    def get_queryset(self):
        return Instrument.objects.prefetch_related("parties__country", "parties__organisation")

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
