"""Strict query parameters: unknown, repeated, overlong or NUL-bearing ones are a 400.

An empty value (`kind=`) means "not given", as an HTML form sends an untouched field.
"""

import re

from .errors import InvalidParameters

MAX_PARAMETER_LENGTH = 200


def check_query_parameters(request, accepted, repeatable=()):
    """Refuse unknown, repeated, overlong or NUL-bearing query parameters (400, all named at once).

    A `repeatable` parameter may come several times (`ordering=a&ordering=-b`, as OpenAPI
    generated clients send an array); merged_query_parameters() joins its values with commas."""
    problems = {}
    accepted_list = ", ".join(sorted(accepted)) or "none"
    for name in request.query_params:
        values = request.query_params.getlist(name)
        shown = name.replace("\x00", "\\0")[:60]
        if name not in accepted:
            problems[shown] = [f'Unknown parameter "{shown}". Accepted parameters: {accepted_list}.']
        elif len(values) > 1 and name not in repeatable:
            problems[name] = [
                "Given more than once; give it once (several values: separate with commas "
                "where the parameter allows it)."
            ]
        elif len(",".join(values)) > MAX_PARAMETER_LENGTH:
            problems[name] = [f"Too long: at most {MAX_PARAMETER_LENGTH} characters."]
        elif any("\x00" in value for value in values):
            problems[name] = ["Null characters are not allowed."]
    if problems:
        raise InvalidParameters(problems)


def parse_positive_int(name, value, maximum):
    """A whole number from 1 to `maximum`, or None when not given; anything else is a 400."""
    if not value:
        return None
    if not re.fullmatch(r"[0-9]{1,7}", value) or not 1 <= int(value) <= maximum:
        raise InvalidParameters({name: [f"Give a whole number from 1 to {maximum}."]})
    return int(value)


def merged_query_parameters(request):
    """The query parameters with a repeated one's values joined by commas, as one value each."""
    data = request.query_params.copy()
    for name in request.query_params:
        values = [value for value in request.query_params.getlist(name) if value]
        if len(values) > 1:
            data.setlist(name, [",".join(values)])
    return data
