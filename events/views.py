"""Pages: what changes next (dated events in a window around a date), and a record's history."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from agreements.models import Agreement
from core.lifecycle import today

from .forms import EventForm
from .history import record_history
from .queries import EVENT_CHOICES, attach_records

PAGE_SIZE = 100


class EventListView(TemplateView):
    """Events in a window, filtered with the API's parameters; invalid input answers 400."""

    template_name = "events/event_list.html"

    def get(self, request, *args, **kwargs):
        self.form = EventForm(request.GET)
        known = {*EventForm.base_fields, "page"}
        request.query_is_known = set(request.GET) <= known
        context = self.get_context_data(**kwargs)
        response = self.render_to_response(context, status=200 if self.form.is_valid() else 400)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.form
        context.update(form=form, event_choices=EVENT_CHOICES, today=today())
        context["api_query"] = self.request.GET.urlencode()
        if not form.is_valid():
            return context
        start, end = form.window()
        paginator = Paginator(form.rows(), PAGE_SIZE)
        try:
            page = paginator.page(self.request.GET.get("page") or 1)
        except (EmptyPage, PageNotAnInteger):
            raise Http404("No such page of events.") from None
        context.update(
            start=start,
            end=end,
            on=form.reference_date(),
            page_obj=page,
            paginator=paginator,
            events=attach_records(page.object_list),
            selected_events=form.cleaned_data.get("event") or [],
        )
        return context


class RecordHistoryView(TemplateView):
    """Every change of every field of one instrument or agreement, with its date."""

    template_name = "events/record_history.html"
    model = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = get_object_or_404(self.model, pk=self.kwargs["pk"])
        history = record_history(record)
        context.update(
            record=record,
            record_type="agreement" if self.model is Agreement else "instrument",
            history=list(reversed(history)),
        )
        return context
