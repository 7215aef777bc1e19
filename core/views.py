"""Views and view parts the record pages share."""

from django.utils.translation import gettext_lazy as _
from django_filters.views import FilterView


class FilteredListView(FilterView):
    """A FilterView whose invalid filter input answers 400 with the form's errors, never an empty 200.

    `field_labels` name the shared FilterSet's fields (the API's parameter names) in the
    reader's language.
    """

    strict = True
    field_labels = {}

    def get_filterset_kwargs(self, filterset_class):
        # Always bound (an empty query string is a valid, empty filter), so facets and the
        # reference date come from one code path.
        return {**super().get_filterset_kwargs(filterset_class), "data": self.request.GET}

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        for name, label in self.field_labels.items():
            if name in filterset.form.fields:
                filterset.form.fields[name].label = label
        return filterset

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if not self.filterset.is_valid():
            response.status_code = 400
        # The response cache stores a page with a query string only when every parameter is one
        # the page knows: junk parameters must not add entries (kzmigration/cache.py).
        request.query_is_known = set(request.GET) <= {*self.filterset.filters, self.page_kwarg}
        return response

    def reference_date(self):
        """The date the filter computes status on (`on`), default today."""
        return self.filterset.reference_date()

    def paginate_queryset(self, queryset, page_size):
        """A page of records, each with its status on the reference date (`computed_status`) by
        the lifecycle's Python twin, from the dates the page's own query reads
        (`with_repeal_dates`): building and compiling the status CASE cost more than the page's
        query. tests/instruments/test_lifecycle.py holds the twins equal."""
        paginator, page, records, is_paginated = super().paginate_queryset(queryset.with_repeal_dates(), page_size)
        on = self.reference_date()
        page.object_list = records = list(records)
        for record in records:
            record.computed_status = record.status_on(on).value
        return paginator, page, records, is_paginated

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["status_date"] = self.reference_date()
        context["api_query"] = self.request.GET.urlencode()
        return context


def life_events(record, repeals=()):
    """The dated events of a record's life, in order, for the small timeline on its page."""
    events = []
    start = getattr(record, record.start_date_field)
    if start:
        label = _("signed") if record.start_date_field == "date_signed" else _("adopted or signed")
        events.append((label, start, getattr(record, f"{record.start_date_field}_precision")))
    if getattr(record, "ratification_law_date", None):
        events.append(
            (_("ratified by Kazakhstan"), record.ratification_law_date, record.ratification_law_date_precision)
        )
    if record.entry_into_force:
        events.append((_("entry into force"), record.entry_into_force, record.entry_into_force_precision))
    if getattr(record, "date_provisional_application", None):
        events.append(
            (
                _("provisionally applied from"),
                record.date_provisional_application,
                record.date_provisional_application_precision,
            )
        )
    if getattr(record, "date_application", None):
        events.append((_("applies from"), record.date_application, record.date_application_precision))
    if getattr(record, "entry_into_force_kz", None):
        events.append(
            (_("entry into force for Kazakhstan"), record.entry_into_force_kz, record.entry_into_force_kz_precision)
        )
    if getattr(record, "kz_ratification_date", None):
        events.append((_("ratified by Kazakhstan"), record.kz_ratification_date, record.kz_ratification_date_precision))
    if record.end_of_validity:
        events.append((_("end of validity"), record.end_of_validity, record.end_of_validity_precision))
    for rel in repeals:
        if rel.date_effective:
            events.append((_("repeal takes effect"), rel.date_effective, rel.date_effective_precision))
    events.sort(key=lambda event: event[1])
    return [{"label": label, "date": date, "precision": precision} for label, date, precision in events]


class PageMetaMixin:
    """`page_meta` for the page's head (base.html): the title and description that search
    engines and link previews show, and its Open Graph type. A record's page builds them from
    the record (`get_page_meta`); other pages name them here."""

    meta_title = None
    meta_description = None
    meta_type = "website"

    def get_page_meta(self, context):
        return {"title": self.meta_title, "description": self.meta_description, "type": self.meta_type}

    def render_to_response(self, context, **response_kwargs):
        context.setdefault("page_meta", self.get_page_meta(context))
        return super().render_to_response(context, **response_kwargs)
