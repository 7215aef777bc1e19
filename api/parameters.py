"""Strict query parameters: unknown, repeated, overlong or NUL-bearing ones are a 400.

An empty value (`kind=`) means "not given", as an HTML form sends an untouched field.
"""

import re

from .errors import InvalidParameters

MAX_PARAMETER_LENGTH = 200


def check_query_parameters(request, accepted):
    """Refuse unknown, repeated, overlong or NUL-bearing query parameters (400, all named at once)."""
    problems = {}
    accepted_list = ", ".join(sorted(accepted)) or "none"
    for name in request.query_params:
        values = request.query_params.getlist(name)
        shown = name.replace("\x00", "\\0")[:60]
        if name not in accepted:
            problems[shown] = [f'Unknown parameter "{shown}". Accepted parameters: {accepted_list}.']
        elif len(values) > 1:
            problems[name] = [
                "Given more than once; give it once (several values: separate with commas "
                "where the parameter allows it)."
            ]
        elif len(values[0]) > MAX_PARAMETER_LENGTH:
            problems[name] = [f"Too long: at most {MAX_PARAMETER_LENGTH} characters."]
        elif "\x00" in values[0]:
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
