"""Absolute addresses of API resources and web pages, as the API writes them into its items."""

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


def absolute(request, path):
    return request.build_absolute_uri(path) if request is not None else path


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
