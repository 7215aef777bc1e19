"""The OpenAPI schema documents the API's conventions on every operation: errors, formats, facets."""

import copy

from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from core.versioning import data_version

from .schema_errors import error_examples, reference_parameters

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "code", "message"],
            "properties": {
                "status": {"type": "integer", "description": "The HTTP status code."},
                "code": {
                    "type": "string",
                    "description": "Machine-readable: invalid_parameters, not_found, method_not_allowed, "
                    "not_acceptable, throttled, …",
                },
                "message": {"type": "string"},
                "parameters": {
                    "type": "object",
                    "description": "For invalid_parameters: messages per query parameter.",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
        }
    },
}

ERROR_RESPONSES = {
    "400": "Invalid query parameters: unknown, repeated or malformed (see error.parameters): among them a page "
    "past the last one, an id that names no record (a relationship's target, a subject, a state…), an unknown "
    "facet, an unknown field in fields= or omit=, an impossible date, an unknown ordering. An empty value "
    "(`country=`) is never an error: it means the parameter is not given, as an HTML form sends an untouched field.",
    "404": "No such resource.",
    "405": "Write methods are not allowed: the API is read-only.",
    "406": "The Accept header asks for a format this resource does not offer.",
    "429": "Too many requests from this client; retry after the number of seconds in Retry-After.",
    "503": "Unavailable for now: the database cannot be reached, a query ran past the time limit, or (CSV) every "
    "export slot of the server is in use; retry after the number of seconds in Retry-After.",
}


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, plus the `format` and `facets` parameters and every error answer."""

    def is_resource(self):
        return hasattr(self.view, "csv_columns")

    def accepts(self, name):
        accepted = getattr(self.view, "accepted_parameters", None)
        return accepted is None or name in accepted()

    def get_override_parameters(self):
        params = list(super().get_override_parameters())
        if not self.is_resource():
            return params
        formats = [r.format for r in self.view.get_renderers()]
        params.append(
            OpenApiParameter(
                "format",
                str,
                OpenApiParameter.QUERY,
                enum=formats,
                description="Response format (or use the Accept header). csv: every matching row (at most "
                "DJANGO_CSV_MAX_ROWS, 5,000 by default; more is a 400), streamed, "
                "not paginated. jsonld: schema.org Legislation with ELI terms.",
            )
        )
        if hasattr(self.view, "list_omit") and self.accepts("fields"):
            names = ", ".join(self.view.get_serializer_class().Meta.fields)
            params += [
                OpenApiParameter(
                    "fields",
                    str,
                    OpenApiParameter.QUERY,
                    description=f"Comma-separated top-level fields to return (or *: all): {names}. Not with omit.",
                ),
                OpenApiParameter(
                    "omit",
                    str,
                    OpenApiParameter.QUERY,
                    description="Comma-separated top-level fields to leave out of the default set. Not with fields.",
                ),
            ]
            if self.view.action == "list" and self.accepts("updated_since"):
                params.append(
                    OpenApiParameter(
                        "updated_since",
                        OpenApiTypes.DATETIME,
                        OpenApiParameter.QUERY,
                        description="ISO 8601 date-time (UTC when no offset): records changed at or after it.",
                    )
                )
        if self.view.action == "list" and getattr(self.view, "facets", None):
            params.append(
                OpenApiParameter(
                    "facets",
                    {"type": "array", "items": {"type": "string", "enum": list(self.view.facets)}},
                    OpenApiParameter.QUERY,
                    style="form",
                    explode=False,
                    description=f"Comma-separated facets to count (JSON only): {', '.join(self.view.facets)}. "
                    "An unknown facet is a 400.",
                )
            )
        return params

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        """Each query parameter says that an empty value means "not given" (allowEmptyValue); `page` and the
        parameters that name a record say when they are a 400; the 400 shows examples of its body."""
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None or not self.is_resource():
            return operation
        references = dict(reference_parameters(self.view))
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "query":
                continue
            parameter["allowEmptyValue"] = True
            if parameter["name"] == "page":
                parameter["description"] += " A page past the last one is a 400 that says how many pages there are."
            elif parameter["name"] in references:
                parameter["description"] = (
                    parameter.get("description", "") + " It must name an existing record: an unknown one is a 400 "
                    "(never an empty list)."
                ).strip()
        error = operation["responses"].get("400", {}).get("content", {}).get("application/json")
        if error is not None:
            error["examples"] = error_examples(self.view, operation)
        return operation

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if not self.is_resource():
            return responses
        ok = responses.get("200", {})
        content = ok.get("content", {})
        if "text/csv" in content:
            content["text/csv"] = {"schema": {"type": "string", "description": "CSV, UTF-8, header row first."}}
        if "application/ld+json" in content:
            content["application/ld+json"] = {
                "schema": {
                    "type": "object",
                    "required": ["@context", "@graph"],
                    "properties": {
                        "@context": {"type": "object"},
                        "@graph": {"type": "array", "items": {"type": "object"}},
                    },
                }
            }
        ok.setdefault("headers", {}).update(
            {
                "ETag": {"schema": {"type": "string"}, "description": "Validator; send back as If-None-Match."},
                "Last-Modified": {"schema": {"type": "string"}, "description": "Last change of the data."},
            }
        )
        responses["304"] = {"description": "Not modified (If-None-Match or If-Modified-Since matched)."}
        for code, description in ERROR_RESPONSES.items():
            error = {
                "description": description,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            }
            if code in ("429", "503"):
                error["headers"] = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}}
            responses[code] = error
        return responses


def add_error_component(result, generator, request, public):
    """drf-spectacular postprocessing hook: the shared Error schema component; `ordering` as the
    API reads it and generated clients send it, an array in repeated parameters
    (`ordering=a&ordering=-b`; `ordering=a,-b` is accepted too)."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("name") == "ordering" and parameter.get("schema", {}).get("type") == "array":
                    parameter["explode"] = True
                    parameter["style"] = "form"
    return result


FORMAT_MEDIA_TYPES = {"csv": "text/csv", "jsonld": "application/ld+json"}
# What a download does not take: CSV streams every matching row, in no page, without facets;
# JSON-LD has its own shape (no fields/omit) and no facets.
NOT_WITH_FORMAT = {"csv": {"format", "page", "page_size", "facets"}, "jsonld": {"format", "fields", "omit", "facets"}}


def add_format_operations(result, generator, request, public):
    """drf-spectacular postprocessing hook: CSV and JSON-LD as operations of their own, at the
    addresses with a format suffix (`/api/v1/instruments.csv`, `/api/v1/instruments/{id}.jsonld`),
    each answering its one media type.

    A generated client parses one media type per status (openapi-python-client: the first it
    knows, JSON here), so `?format=csv` through the JSON operation fails in its JSON parser;
    an operation per format gives it a function that returns the CSV text or the JSON-LD
    document. The JSON operations keep `format` and their three media types, as before.

    Also: the items of a list or item that takes `fields`/`omit` have no required property, since
    any of them can be left out (lists leave out several by default); a generated model then
    accepts every answer the API gives. And no operation needs credentials: `security: []`, where
    drf-spectacular writes `[{}]` ("anonymous allowed"), which openapi-python-client reads as a
    requirement (its functions then take only an AuthenticatedClient)."""
    schemas = result.get("components", {}).get("schemas", {})
    added = {}
    for path, methods in result.get("paths", {}).items():
        for method in methods.values():
            if method.get("security") == [{}]:
                method["security"] = []
        operation = methods.get("get")
        if not operation:
            continue
        parameters = {p["name"]: p for p in operation.get("parameters", []) if p.get("in") == "query"}
        if "fields" in parameters:
            for name in _item_components(operation, schemas):
                schemas[name].pop("required", None)
        formats = parameters.get("format", {}).get("schema", {}).get("enum", [])
        for fmt, media_type in FORMAT_MEDIA_TYPES.items():
            ok = operation.get("responses", {}).get("200", {})
            if fmt not in formats or media_type not in ok.get("content", {}):
                continue
            download = copy.deepcopy(operation)
            download["operationId"] = f"{operation['operationId']}_{fmt}"
            download["summary"] = f"{operation.get('summary', operation['operationId'])} ({fmt.upper()})"
            download["parameters"] = [
                p
                for p in download.get("parameters", [])
                if p.get("in") != "query" or p["name"] not in NOT_WITH_FORMAT[fmt]
            ]
            download["responses"]["200"]["content"] = {media_type: ok["content"][media_type]}
            download["responses"].pop("406", None)  # the suffix names the format: Accept is not read
            added[f"{path.rstrip('/')}.{fmt}"] = {"get": download}
    result["paths"].update(added)
    return result


def _item_components(operation, schemas):
    """Names of the components a JSON 200 answer's records are: the item, or a page's results."""
    schema = operation.get("responses", {}).get("200", {}).get("content", {}).get("application/json", {}).get("schema")
    name = (schema or {}).get("$ref", "").rpartition("/")[2]
    component = schemas.get(name, {})
    results = component.get("properties", {}).get("results", {}).get("items", {}).get("$ref")
    if results:
        return [results.rpartition("/")[2]]
    return [name] if component else []


class SchemaOncePerVersion(SchemaGenerator):
    """drf-spectacular's generator, making the schema once per process for each data version,
    language and API version. It takes about a second of CPU to make, and nothing in it
    depends on the request (the API is public and read-only); the data version covers the
    few parameter lists drawn from the data. Each caller gets its own copy."""

    made = {}

    def get_schema(self, request=None, public=False):
        key = (data_version(), translation.get_language(), self.api_version, public)
        if key not in self.made:
            if len(self.made) >= 12:
                self.made.clear()  # older data versions' schemas are never asked for again
            self.made[key] = super().get_schema(request=request, public=public)
        return copy.deepcopy(self.made[key])
