"""REST API v1 resources: instruments, countries, organisations, sources, discrepancies.

Each view's `attach` fetches what a page of records links to in a fixed number of
queries (one each for provenance, relationships and the small linked lists), so a
list of 1 or 200 records costs the same number of queries.
"""

from collections import defaultdict
from types import SimpleNamespace

from csp.constants import SELF as CSP_SELF
from csp.decorators import csp_update
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, F, Q, Value
from django.utils.decorators import method_decorator
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import APIRootView, DefaultRouter

from . import api_jsonld
from .api_support import (
    Facet, JSONLDRenderer, JsonErrorsMixin, ReadOnlyViewSet, api_url, check_query_parameters,
)
from .filters import InstrumentFilter
from .lifecycle import Status, today
from .models import (
    INVERSE_LABELS, Country, Discrepancy, Instrument, Jurisdiction, Kind, Level, Membership, OfficialText,
    Organisation, Provenance, Provision, Relationship, RelationshipType, Source, instrument_label,
)
from .serializers import (
    CountrySerializer, DiscrepancySerializer, InstrumentDetailSerializer, InstrumentSerializer,
    OrganisationSerializer, SourceSerializer,
)

# --------------------------------------------------------------------------- shared fetchers


def attach_provenance(objects):
    """obj.api_provenance = {field: [entry…]} for these objects of one model, in one query.

    Entries are plain dicts (no model instances: a page of 200 records has a thousand)."""
    if not objects:
        return
    content_type = ContentType.objects.get_for_model(objects[0])
    rows = (Provenance.objects
            .filter(content_type=content_type, object_id__in=[str(obj.pk) for obj in objects])
            .order_by("object_id", "field", "source_id", "id")
            .values_list("object_id", "field", "source_id", "source__url", "confidence", "locator", "quote", "note"))
    by_object = defaultdict(lambda: defaultdict(list))
    for object_id, field, source_id, source_url, confidence, locator, quote, note in rows:
        by_object[object_id][field].append({"source_id": source_id, "source_url": source_url,
                                            "confidence": confidence, "locator": locator, "quote": quote,
                                            "note": note})
    for obj in objects:
        obj.api_provenance = dict(by_object.get(str(obj.pk), {}))


def text(value):
    return Value(value, output_field=CharField())


def attach_instrument_links(instruments, request, with_provisions=False):
    """Subjects, discrepancies, texts (one UNION query), relationships both ways (one query),
    provenance (one query) and, for the detail page, provisions (one query)."""
    if not instruments:
        return
    ids = [obj.pk for obj in instruments]
    subjects = (Instrument.subjects.through.objects.filter(instrument_id__in=ids)
                .values_list("instrument_id", text("subject"), "subject_id", "subject__scheme", "subject__label_en",
                             text("")))
    errata = (Discrepancy.instruments.through.objects.filter(instrument_id__in=ids)
              .values_list("instrument_id", text("discrepancy"), "discrepancy_id", text(""), text(""), text("")))
    texts = (OfficialText.objects.filter(instrument_id__in=ids)
             .values_list("instrument_id", text("text"), "url", "language", "publisher", "kind"))
    links = defaultdict(lambda: defaultdict(list))
    for instrument_id, kind, a, b, c, d in subjects.order_by().union(errata.order_by(), texts.order_by(), all=True):
        links[instrument_id][kind].append((a, b, c, d))

    # Plain values, not model instances: the other instrument is only named (by its short
    # title or title), so only those columns of it are read.
    sides = {"outgoing": "object", "incoming": "subject"}
    label_fields = [f"{field}_{code}" for field in ("short_title", "title") for code in ("en", "ru", "kk")]
    columns = ["id", "type", "date_effective", "date_effective_precision", "note", "subject_id", "object_id"]
    edges = defaultdict(list)
    wanted = set(ids)
    for row in (Relationship.objects.filter(Q(subject_id__in=ids) | Q(object_id__in=ids)).order_by()
                .values(*columns, *[f"{side}__{field}" for side in sides.values() for field in label_fields])):
        for direction, other in sides.items():
            this = row["subject_id"] if direction == "outgoing" else row["object_id"]
            if this in wanted:
                named = SimpleNamespace(id=row[f"{other}_id"],
                                        **{field: row[f"{other}__{field}"] for field in label_fields})
                edges[this].append((direction, row, named))

    provisions = defaultdict(list)
    if with_provisions:
        for provision in Provision.objects.filter(instrument_id__in=ids).order_by("instrument_id", "position",
                                                                                   "label", "id"):
            provisions[provision.instrument_id].append(provision)

    labels = relationship_labels()
    for obj in instruments:
        mine = links[obj.pk]
        obj.api_subjects = [{"code": code, "scheme": scheme, "label_en": label}
                            for code, scheme, label, _ in sorted(mine["subject"])]
        obj.api_discrepancies = sorted(code for code, *_ in mine["discrepancy"])
        obj.api_texts = [{"url": url, "language": language, "publisher": publisher, "kind": kind}
                         for url, language, publisher, kind in sorted(mine["text"], key=lambda t: (t[1], t[0]))]
        obj.fetched_repeal_dates = [row["date_effective"] for direction, row, _other in edges[obj.pk]
                                    if direction == "incoming" and row["type"] == RelationshipType.REPEALS]
        obj.api_relationships = sorted(
            (relationship_item(row, direction, other, request, labels) for direction, row, other in edges[obj.pk]),
            key=lambda item: (item["direction"] != "outgoing", item["type"], item["instrument"], item["id"]))
        if with_provisions:
            obj.api_provisions = provisions[obj.pk]
    attach_provenance(instruments)


def relationship_labels():
    """{type: (forward label, inverse label)} in the active language, translated once per page
    (get_type_display() would translate every choice again for each edge)."""
    return {rel_type.value: (str(rel_type.label), str(INVERSE_LABELS[rel_type])) for rel_type in RelationshipType}


def relationship_item(row, direction, other, request, labels):
    """One relationship as seen from one of its instruments; `other` names the instrument at the other end."""
    forward, inverse = labels[row["type"]]
    return {
        "id": row["id"],
        "direction": direction,
        "type": row["type"],
        "label": forward if direction == "outgoing" else inverse,
        "forward_label": forward,
        "inverse_label": inverse,
        "instrument": other.id,
        "instrument_url": api_url(request, "instrument-detail", other.id),
        "instrument_label": instrument_label(other),
        "date_effective": row["date_effective"],
        "date_effective_precision": row["date_effective_precision"],
        "note": row["note"],
    }


def status_expression(queryset, filterset):
    """The computed status on the filter's reference date, as one CASE expression."""
    return queryset.status_case(filterset.reference_date())


STATUS_FACET = Facet(status_expression, choices=Status.values)


def flat_columns(serializer_class, exclude=()):
    """CSV columns: every scalar field of the JSON item, same names, same values."""
    nested = {"subjects", "relationships", "official_texts", "discrepancies", "provenance", "provisions",
              "memberships", "agreements", "instruments", "parties", "partners", "article_quotes"}
    return [(name, lambda item, name=name: item[name])
            for name in serializer_class.Meta.fields if name not in nested and name not in exclude]


def joined(key, part=None):
    def getter(item):
        return "|".join(str(value[part]) if part else str(value) for value in item[key])
    return getter


# --------------------------------------------------------------------------- views


class StatusDateMixin:
    def get_serializer_context(self):
        context = super().get_serializer_context()
        filterset = getattr(self, "filterset", None)
        context["status_date"] = filterset.reference_date() if filterset is not None else today()
        return context


@extend_schema_view(
    list=extend_schema(summary="List instruments", description=(
        "Legal instruments (EU directives and regulations, EAEU and CIS treaties, Kazakh laws and resolutions). "
        "`in_force_on` returns the instruments whose known in-force period contains the date; an instrument "
        "whose entry into force is unknown is never returned. Unknown or malformed parameters are a 400.")),
    retrieve=extend_schema(summary="One instrument, with relationships both ways, provisions and provenance"),
)
class InstrumentViewSet(StatusDateMixin, ReadOnlyViewSet):
    queryset = Instrument.objects.all()
    filterset_class = InstrumentFilter
    extra_formats = [JSONLDRenderer]
    facets = {
        "kind": Facet(F("kind"), choices=Kind.values),
        "level": Facet(F("level"), choices=Level.values),
        "jurisdiction": Facet(F("jurisdiction"), choices=Jurisdiction.values),
        "status": STATUS_FACET,
        "subject": Facet(F("subjects")),
        "cited_in_article": Facet(F("cited_in_article"), choices=["true", "false"]),
    }
    csv_columns = flat_columns(InstrumentSerializer) + [
        ("subjects", joined("subjects", "code")),
        ("discrepancies", joined("discrepancies")),
        ("relationships", lambda item: "|".join(f"{rel['label']} {rel['instrument']}"
                                                for rel in item["relationships"])),
    ]

    def get_serializer_class(self):
        return InstrumentDetailSerializer if self.action == "retrieve" else InstrumentSerializer

    def attach(self, objects):
        attach_instrument_links(objects, self.request, with_provisions=self.action == "retrieve")

    def jsonld_document(self, items):
        return api_jsonld.document(items)


class CountryViewSet(ReadOnlyViewSet):
    """States; addressed by ISO 3166-1 alpha-2 code in any case."""

    queryset = Country.objects.order_by("code")
    serializer_class = CountrySerializer
    lookup_value_regex = r"[A-Za-z]{2}"

    def get_object(self):
        self.kwargs[self.lookup_field] = self.kwargs[self.lookup_field].upper()
        return super().get_object()

    def attach(self, objects):
        from agreements.models import Party

        codes = [obj.pk for obj in objects]
        memberships, agreements = defaultdict(list), defaultdict(list)
        for membership in Membership.objects.filter(country_id__in=codes).order_by(
                "country_id", "organisation_id", F("date_from").asc(nulls_first=True), "id"):
            memberships[membership.country_id].append(membership)
        for country_id, agreement_id in (Party.objects.filter(country_id__in=codes)
                                         .order_by("country_id", "agreement_id")
                                         .values_list("country_id", "agreement_id")):
            agreements[country_id].append(agreement_id)
        for obj in objects:
            obj.api_memberships = memberships[obj.pk]
            obj.api_agreements = agreements[obj.pk]
        attach_provenance(objects)


class OrganisationViewSet(ReadOnlyViewSet):
    """Organisations of states (EU, EAEU, CIS, Benelux) with dated memberships."""

    queryset = Organisation.objects.order_by("code")
    serializer_class = OrganisationSerializer

    def attach(self, objects):
        members = defaultdict(list)
        for membership in Membership.objects.filter(organisation_id__in=[o.pk for o in objects]).order_by(
                "organisation_id", F("date_from").asc(nulls_first=True), "country_id", "id"):
            members[membership.organisation_id].append(membership)
        for obj in objects:
            obj.api_memberships = members[obj.pk]
        attach_provenance(objects)


class SourceViewSet(ReadOnlyViewSet):
    """Where facts come from: the article, its references, official and secondary sources."""

    queryset = Source.objects.order_by("kind", F("number").asc(nulls_last=True), "id")
    serializer_class = SourceSerializer

    def attach(self, objects):
        supported = defaultdict(list)
        for source_id, instrument_id in (Source.instruments.through.objects
                                         .filter(source_id__in=[o.pk for o in objects])
                                         .order_by("source_id", "instrument_id")
                                         .values_list("source_id", "instrument_id")):
            supported[source_id].append(instrument_id)
        for obj in objects:
            obj.api_instruments = supported[obj.pk]
        attach_provenance(objects)


class DiscrepancyViewSet(ReadOnlyViewSet):
    """Where the article disagrees with the official record or with itself."""

    queryset = Discrepancy.objects.order_by("-substantive", "category", "id")
    serializer_class = DiscrepancySerializer

    def attach(self, objects):
        ids = [obj.pk for obj in objects]
        instruments = (Discrepancy.instruments.through.objects.filter(discrepancy_id__in=ids)
                       .values_list("discrepancy_id", text("instrument"), "instrument_id"))
        agreements = (Discrepancy.agreements.through.objects.filter(discrepancy_id__in=ids)
                      .values_list("discrepancy_id", text("agreement"), "agreement_id"))
        linked = defaultdict(lambda: defaultdict(list))
        for discrepancy_id, kind, other in instruments.order_by().union(agreements.order_by(), all=True):
            linked[discrepancy_id][kind].append(other)
        for obj in objects:
            obj.api_instruments = sorted(linked[obj.pk]["instrument"])
            obj.api_agreements = sorted(linked[obj.pk]["agreement"])
        attach_provenance(objects)


# --------------------------------------------------------------------------- router


class ApiRootView(APIRootView):
    """The API's entry point: links to every resource list."""

    authentication_classes = []
    throttle_classes = ReadOnlyViewSet.throttle_classes

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        check_query_parameters(request, {"format"})


class ApiRouter(DefaultRouter):
    APIRootView = ApiRootView
    include_format_suffixes = False


def build_router():
    from agreements.api import AgreementViewSet

    router = ApiRouter()
    router.register("instruments", InstrumentViewSet, basename="instrument")
    router.register("agreements", AgreementViewSet, basename="agreement")
    router.register("countries", CountryViewSet, basename="country")
    router.register("organisations", OrganisationViewSet, basename="organisation")
    router.register("sources", SourceViewSet, basename="source")
    router.register("discrepancies", DiscrepancyViewSet, basename="discrepancy")
    return router


urlpatterns = build_router().urls


@method_decorator(csp_update({"style-src": [CSP_SELF, "'unsafe-inline'"]}), name="dispatch")
class ApiDocsView(JsonErrorsMixin, SpectacularSwaggerSplitView):
    """Swagger UI from local files (drf-spectacular-sidecar); its script is a separate request,
    so the site's no-inline-script policy holds. Only its small inline style block needs an
    exception, scoped to this page."""

    authentication_classes = []


class ApiSchemaView(JsonErrorsMixin, SpectacularAPIView):
    """The OpenAPI 3 schema (YAML; ?format=json for JSON)."""

    authentication_classes = []
