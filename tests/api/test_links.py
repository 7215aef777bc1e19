"""api.links.absolute(): the API's absolute addresses, as Django's build_absolute_uri() writes them."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.request import Request

from api.links import absolute

PATHS = [
    reverse("api:instrument-detail", args=["eu-dir-2013-32"]),
    reverse("api:agreement-detail", args=["kz-readmission-2010-ru"]),
    reverse("web:instrument-detail", args=["kz-pp-2022-961"]) + "#kz-pp-2022-961",
    "/en/instruments/?q=%D0%BC%D0%B8%D0%B3",
    "/en/instruments/?q=миграция",  # not a URI yet: quoted
    "/en/a b",
    "//example.org/elsewhere",  # protocol-relative: Django joins it
    "/en/./instruments/",
    "/en/../instruments/",
]


@pytest.mark.parametrize("secure", [False, True])
def test_every_address_is_the_one_django_writes(secure, settings):
    settings.ALLOWED_HOSTS = ["kb.example.org"]
    request = RequestFactory().get("/api/v1/instruments/", secure=secure, HTTP_HOST="kb.example.org:8443")
    for path in PATHS:
        assert absolute(request, path) == request.build_absolute_uri(path), path
    wrapped = Request(RequestFactory().get("/api/v1/instruments/", secure=secure, HTTP_HOST="kb.example.org"))
    assert (
        absolute(wrapped, PATHS[0])
        == f"{'https' if secure else 'http'}://kb.example.org/api/v1/instruments/eu-dir-2013-32/"
    )


def test_without_a_request_an_address_is_its_path():
    assert absolute(None, PATHS[0]) == "/api/v1/instruments/eu-dir-2013-32/"


def test_the_paths_joined_as_they_are_hold_only_what_iri_to_uri_leaves_alone():
    """URI_PATH names by hand the characters Django's iri_to_uri() does not quote: it must
    admit exactly those, or a path would be written unquoted (or quoted twice)."""
    from django.utils.encoding import iri_to_uri

    from api.links import URI_PATH

    for code in range(32, 128):
        char = chr(code)
        assert bool(URI_PATH.fullmatch("/" + char)) == (iri_to_uri(char) == char), repr(char)
