"""One JSON error shape for every API error: {"error": {"status", "code", "message", "parameters"?}}."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions
from rest_framework.response import Response

from .exports import ExportsBusy

logger = logging.getLogger(__name__)

# A lost database ("connection refused", "server closed the connection", "connection already
# closed") is an outage, answered 503 by kzmigration.middleware; integrity and programming
# errors are bugs and stay 500s.
OUTAGE_ERRORS = (OperationalError, InterfaceError)

ERROR_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    415: "unsupported_media_type",
    429: "throttled",
    500: "server_error",
}


def error_body(status, code, message, parameters=None):
    body = {"status": status, "code": code, "message": message}
    if parameters:
        body["parameters"] = parameters
    return {"error": body}


INVALID_PARAMETERS_MESSAGE = "Some query parameters are not valid; see 'parameters'."


class InvalidParameters(exceptions.APIException):
    """400 with one list of messages per offending query parameter."""

    status_code = 400
    default_code = "invalid_parameters"

    def __init__(self, parameters, message=INVALID_PARAMETERS_MESSAGE):
        self.parameters = {name: [str(m) for m in messages] for name, messages in parameters.items()}
        super().__init__(message)


def api_exception_handler(exc, context):
    """REST framework's exception handler, in the API's one error shape.

    Database outages are left to DatabaseUnavailableMiddleware (REST framework re-raises
    them when this returns None), which answers 503 with Retry-After.
    """
    if isinstance(exc, OUTAGE_ERRORS):
        return None
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("No such resource.")
    if not isinstance(exc, exceptions.APIException):
        logger.exception("Unhandled error in the API", exc_info=exc)
        return Response(error_body(500, "server_error", "Internal error; it has been logged."), status=500)
    status = exc.status_code
    if isinstance(exc, InvalidParameters):
        body = error_body(status, "invalid_parameters", str(exc.detail), exc.parameters)
    elif isinstance(exc.detail, dict):
        parameters = {
            key: [str(m) for m in (value if isinstance(value, list) else [value])] for key, value in exc.detail.items()
        }
        body = error_body(status, "invalid_parameters", INVALID_PARAMETERS_MESSAGE, parameters)
    else:
        detail = exc.detail[0] if isinstance(exc.detail, list) and exc.detail else exc.detail
        body = error_body(status, ERROR_CODES.get(status, exc.default_code), str(detail))
    headers = {}
    if isinstance(exc, (exceptions.Throttled, ExportsBusy)) and exc.wait is not None:
        headers["Retry-After"] = str(max(1, int(exc.wait + 0.999)))
    if isinstance(exc, exceptions.MethodNotAllowed):
        view = context.get("view")
        if view is not None:
            headers["Allow"] = ", ".join(view.allowed_methods)
    response = Response(body, status=status, headers=headers)
    response.exception = True
    return response


def api_error(status, code, message):
    """An error in the API's shape, outside REST framework (404 catch-all, health, outages)."""
    return JsonResponse(error_body(status, code, message), status=status)


@csrf_exempt
def api_not_found(request, *args, **kwargs):
    """Any path under /api/ that names no resource: a 404 in the API's error shape.

    A resource address without its trailing slash is redirected, as APPEND_SLASH would
    (this catch-all would otherwise keep CommonMiddleware from doing it).
    """
    if not request.path.endswith("/") and request.method in ("GET", "HEAD"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not api_not_found:
            return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
    response = api_error(404, "not_found", "No API resource at this address; see /api/v1/.")
    patch_cache_control(response, no_store=True)
    return response
