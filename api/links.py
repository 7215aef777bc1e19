"""Absolute addresses of API resources and web pages, as the API writes them into its items."""

import re
from functools import lru_cache

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import translation


@lru_cache(maxsize=16384)
def _reverse(name, arg, urlconf, script_prefix, language):
    """reverse(), remembered: a page of 200 records writes a thousand addresses, and reverse()
    is the costliest part of each. Everything the result depends on is part of the key."""
    return reverse(name, args=() if arg is None else (arg,), urlconf=urlconf)


def path_of(name, arg=None):
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _reverse(name, arg, urlconf, get_script_prefix(), translation.get_language())


# What iri_to_uri() leaves as it is: the paths reverse() writes are made of these alone.
URI_PATH = re.compile(r"/[A-Za-z0-9/#%\[\]=:;$&()+,!?*@'~._-]*")


def absolute(request, path):
    """request.build_absolute_uri(path). A page of 50 records writes a hundred addresses: a
    path that is a URI already (as reverse() writes them) is joined to the scheme and host
    without Django's urlsplit() and iri_to_uri() for each."""
    if request is None:
        return path
    path = str(path)
    if not URI_PATH.fullmatch(path) or path.startswith("//") or "/." in path:
        return request.build_absolute_uri(path)  # joined with the request's path, or quoted
    request = getattr(request, "_request", request)  # DRF's Request wraps Django's
    origin = getattr(request, "kb_origin", None)
    if origin is None:
        origin = request.kb_origin = request.build_absolute_uri("/")[:-1]
    return origin + path


def api_url(request, name, arg):
    """The absolute API address of a resource, e.g. api_url(request, "instrument-detail", id)."""
    return absolute(request, path_of(f"api:{name}", str(arg)))


def web_url(request, name, arg=None, fragment=None):
    """Absolute address of a web page by its "web:" URL name, or None where no page exists.

    Built in the site's default language, so the API's output does not vary with
    Accept-Language. `fragment` points at a record's place on a page that lists several.
    """
    try:
        if translation.get_language() == settings.LANGUAGE_CODE:
            path = path_of(name, arg)  # as in the API, which speaks the default language already
        else:
            with translation.override(settings.LANGUAGE_CODE):
                path = path_of(name, arg)
    except NoReverseMatch:
        return None
    return absolute(request, f"{path}#{fragment}" if fragment else path)
