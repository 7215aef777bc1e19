"""The comparison page: the matrix as an accessible table, its parameters in the URL.

Bad parameters (an unknown or repeated one, a malformed date, dates in the wrong order) answer
400 with the reasons, never an empty matrix nor a 500.
"""

from itertools import groupby

from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from core.i18n import localized
from core.lifecycle import today
from core.templatetags.kb import precise_date
from subjects.models import Subject

from .forms import PARAMETERS, SCHEME_CHOICES, CompareForm
from .matrix import ORDERS, build_matrix, subject_rows

# Parameters the form shows; the others the URL gave are kept as hidden fields.
FORM_PARAMETERS = {"on", "since", "from", "to", "scheme", "subject"}


def form_errors(form, unknown, repeated):
    errors = []
    if unknown:
        errors.append(_("Unknown parameter: %(names)s") % {"names": ", ".join(unknown)})
    if repeated:
        errors.append(_("Given more than once: %(names)s") % {"names": ", ".join(repeated)})
    if form.is_bound and not form.is_valid():
        for name, messages in form.errors.items():
            label = form.fields[name].label if name in form.fields else None
            errors.extend(f"{label}: {message}" if label else str(message) for message in messages)
    return errors


class CompareView(TemplateView):
    template_name = "compare/compare.html"

    def get(self, request, *args, **kwargs):
        data = request.GET
        form = CompareForm(data)
        unknown = sorted(name for name in data if name not in PARAMETERS)
        repeated = sorted(name for name in data if len(data.getlist(name)) > 1)
        valid = form.is_valid() and not unknown and not repeated
        # The response cache stores a page with a query string only when it knows every parameter.
        request.query_is_known = not unknown
        matrix = build_matrix(**form.matrix_arguments()) if valid else None
        on = matrix.on if matrix else today()
        schemes = dict(Subject.Scheme.choices)
        groups = (
            [(schemes[scheme], list(rows)) for scheme, rows in groupby(matrix.rows, key=lambda r: r.subject.scheme)]
            if matrix
            else []
        )
        if matrix:
            vocabulary = matrix.vocabulary
        else:
            vocabulary = [(subject, depth) for subject, depth, _codes in subject_rows(list(Subject.objects.order_by()))]
        context = self.get_context_data(
            vocabulary=[(subject.code, "– " * depth + localized(subject, "label")[0]) for subject, depth in vocabulary],
            subject_value=data.get("subject") or "",
            entered=matrix.changes("entered") if matrix and matrix.since else [],
            left=matrix.changes("left") if matrix and matrix.since else [],
            form=form,
            matrix=matrix,
            groups=groups,
            errors=form_errors(form, unknown, repeated),
            scheme_choices=SCHEME_CHOICES,
            all_orders=ORDERS,
            on_value=data.get("on") or data.get("to") or "",
            since_value=data.get("since") or data.get("from") or "",
            scheme_value=data.get("scheme") or "",
            kept_parameters=[
                (key, value)
                for key, value in data.items()
                if value and key in PARAMETERS and key not in FORM_PARAMETERS
            ],
            on_text=precise_date(on),
            since_text=precise_date(matrix.since) if matrix and matrix.since else "",
            api_query=data.urlencode(),
            **kwargs,
        )
        return self.render_to_response(context, status=200 if valid else 400)
