"""The 400s in the schema: for each operation, examples of the error body it really answers.

Each example is made from the operation's own parameters and the view's own fields, filters and
forms: an unknown parameter (the message lists the documented parameters, all of them, so the
schema and the parameters the view accepts cannot drift apart unnoticed), a page past the last,
an unknown field in fields= / omit=, an unknown facet, an id that names no record (relationship
targets and every other reference), an impossible date, an unknown ordering or code, a search
of too many words. The message of a filter or form field is the one its own `clean` gives, so
it is the message the API sends. Each example carries its query string in `x-query`;
tests/api/test_error_schema.py sends every one and compares the answer with the example.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import DatabaseError

from .errors import INVALID_PARAMETERS_MESSAGE, InvalidParameters, error_body

UNKNOWN = "colour"
NO_SUCH_ID = "no-such-id"
BAD_DATE = "2024-02-30"
TOO_MANY_WORDS = "aa bb cc dd ee ff gg hh ii jj kk"
SHORTENED = "…"  # a long list in a message is cut here; the real message goes on
PAGE_COUNT = "N"  # the number of pages of the list, in the past-the-end message


def example(summary, parameter, value, message):
    query = f"{parameter}={value}"
    return {
        "summary": summary,
        "description": f"`?{query}`",
        "x-query": query,
        "value": error_body(400, "invalid_parameters", INVALID_PARAMETERS_MESSAGE, {parameter: [message]}),
    }


def shortened(names, count=4):
    names = list(names)
    return ", ".join(names) if len(names) <= count else ", ".join(names[:count]) + ", " + SHORTENED


def field_message(field, value):
    """(message, code) of the field's own complaint about `value`; None if it accepts it."""
    try:
        field.clean(value)
    except ValidationError as error:
        first = error.error_list[0]
        return error.messages[0], first.code or ""
    except (DatabaseError, RuntimeError):
        # An id is looked up in the database; without one (the schema generated offline, or while
        # pytest collects the schema fuzzing, which blocks database access) there is no example of it.
        return None
    return None


def parameter_fields(view):
    """The form fields behind the view's query parameters: its FilterSet's, or its form's."""
    filterset_class = getattr(view, "filterset_class", None)
    if filterset_class is not None and getattr(view, "action", None) == "list":
        return {name: f.field for name, f in filterset_class.base_filters.items()}
    form = getattr(view, "parameter_form", None)
    return dict(form.base_fields) if form is not None else {}


def reference_parameters(view):
    """Parameters that must name an existing record: an unknown id is a 400."""
    found = []
    for name, field in parameter_fields(view).items():
        if isinstance(field, (forms.DateField, forms.ChoiceField, forms.MultipleChoiceField)):
            continue
        complaint = field_message(field, NO_SUCH_ID)
        if complaint and complaint[1].startswith("unknown_"):
            found.append((name, complaint[0]))
    return found


def error_examples(view, operation):
    params = {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "query"}
    examples = {
        "unknown_parameter": example(
            "An unknown parameter",
            UNKNOWN,
            "1",
            f'Unknown parameter "{UNKNOWN}". Accepted parameters: {", ".join(sorted(params))}.',
        )
    }
    if "page" in params:
        examples["page_past_the_end"] = example(
            f"A page past the last one ({PAGE_COUNT}: the list's number of pages)",
            "page",
            "1000000",
            f"There are {PAGE_COUNT} page(s) of results.",
        )
    serializer_class = getattr(view, "get_serializer_class", lambda: None)()
    available = getattr(getattr(serializer_class, "Meta", None), "fields", None)
    for name in ("fields", "omit"):
        if name in params and available:
            examples[f"unknown_field_{name}"] = example(
                f"An unknown field in {name}=",
                name,
                UNKNOWN,
                f"Unknown field(s): {UNKNOWN}; give any of: {shortened(available)}",
            )
    if "facets" in params and getattr(view, "facets", None):
        examples["unknown_facet"] = example(
            "An unknown facet",
            "facets",
            UNKNOWN,
            f"Unknown facet(s): {UNKNOWN}; give any of: {', '.join(view.facets)}.",
        )
    fields = {name: field for name, field in parameter_fields(view).items() if name in params}
    for name, message in reference_parameters(view)[:1]:
        examples["unknown_reference"] = example("An id that names no record", name, NO_SUCH_ID, message)
    dates = [name for name, field in fields.items() if isinstance(field, forms.DateField)]
    if dates and (complaint := field_message(fields[dates[0]], BAD_DATE)):
        examples["impossible_date"] = example("An impossible date", dates[0], BAD_DATE, complaint[0])
    else:
        timestamps = [n for n, p in params.items() if p.get("schema", {}).get("format") == "date-time"]
        if timestamps:
            examples["impossible_date"] = example(
                "An impossible date", timestamps[0], BAD_DATE, date_time_message(timestamps[0])
            )
    for name, field in fields.items():
        if name in ("ordering", "orders", "event") or isinstance(field, forms.MultipleChoiceField):
            value = [UNKNOWN] if name == "ordering" else UNKNOWN
            complaint = field_message(field, value)
            if complaint:
                message = complaint[0]
                if ";" in message:  # the list of accepted values, shortened
                    head, _, tail = message.partition("; ")
                    words = tail.split(": ", 1)
                    message = f"{head}; {words[0]}: {shortened(words[1].rstrip('.').split(', '))}"
                examples[f"unknown_{name}"] = example(f"An unknown value of {name}", name, UNKNOWN, message)
    for key, summary, parameter, value, message in getattr(view, "error_examples", ()):
        examples[key] = example(summary, parameter, value, message)
    if "q" in fields and (complaint := field_message(fields["q"], TOO_MANY_WORDS)):
        examples["too_many_words"] = example("A search of too many words", "q", TOO_MANY_WORDS, complaint[0])
    return examples


def date_time_message(name):
    from .fields import parse_updated_since

    try:
        parse_updated_since(BAD_DATE, name)
    except InvalidParameters as error:
        return error.parameters[name][0]
    return ""
