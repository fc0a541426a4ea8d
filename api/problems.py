"""
Errors as problem details (RFC 9457, `application/problem+json`).

Every error the API gives is one JSON object: `type` (about:blank: the
status says it all), `title`, `status`, `detail` in plain words,
`instance` (the path asked for) and, for parameters it could not use,
`invalid-params`: each parameter's name and why, as the RFC's own example
has it. Nothing about the machinery (no traceback, no exception's name).
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.urls import Resolver404, resolve
from rest_framework import exceptions, status
from rest_framework.response import Response

PROBLEM_TYPE = "application/problem+json"

TITLES = {
    400: "Bad request",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    500: "Server error",
}

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "Problem details (RFC 9457).",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "invalid-params": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "reason": {"type": "string"},
                },
                "required": ["name", "reason"],
            },
        },
        "license": {"type": "string", "format": "uri"},
        "creditText": {"type": "string"},
    },
    "required": ["type", "title", "status", "detail"],
}


# Headers a page on another site may read from a response (ETag for its
# own conditional requests, Link for the licence).
EXPOSED_HEADERS = "ETag, Last-Modified, Link"


def open_to_all(response):
    """Headers every API response carries, errors included: any site may
    read it, and it says under which licence the content is offered."""
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    response["Link"] = f'<{settings.CONTENT_LICENCE_URL}>; rel="license"'
    return response


def licence():
    """What every response says about reusing the content (settings)."""
    return {
        "license": settings.CONTENT_LICENCE_URL,
        "creditText": settings.CONTENT_ATTRIBUTION,
    }


def problem(request, status_code, detail, invalid_params=None):
    body = {
        "type": "about:blank",
        "title": TITLES.get(status_code, "Error"),
        "status": status_code,
        "detail": detail,
        "instance": request.path,
    }
    if invalid_params:
        body["invalid-params"] = invalid_params
    return {**body, **licence()}


def invalid_params(errors):
    """[{name, reason}] from a ValidationError's {parameter: [messages]}."""
    if not isinstance(errors, dict):
        return [{"name": "", "reason": str(message)} for message in errors]
    return [
        {"name": name, "reason": str(message)}
        for name, messages in errors.items()
        for message in (messages if isinstance(messages, list) else [messages])
    ]


def exception_handler(exc, context):
    """DRF's exception handler: every error a problem. Anything but DRF's
    and Django's own 4xx is left to Django (a 500, logged)."""
    request = context["request"]
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or "Nothing is at this address.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None
    code = exc.status_code
    if isinstance(exc, exceptions.ValidationError):
        params = invalid_params(exc.detail)
        names = ", ".join(sorted({p["name"] for p in params if p["name"]}))
        detail = f"These parameters could not be used: {names}." if names else ""
        body = problem(
            request, code, detail or "The request could not be used.", params
        )
    else:
        body = problem(request, code, str(exc.detail))
    response = Response(body, status=code, content_type=PROBLEM_TYPE)
    if isinstance(exc, exceptions.MethodNotAllowed):
        response["Allow"] = ", ".join(context["view"].allowed_methods)
    return response


class ProblemResponse(JsonResponse):
    """A problem answered outside DRF's views (an unknown address)."""

    def __init__(self, request, status_code, detail, **kwargs):
        super().__init__(
            problem(request, status_code, detail),
            status=status_code,
            content_type=PROBLEM_TYPE,
            json_dumps_params={"ensure_ascii": False},
            **kwargs,
        )


def not_found(request, rest=""):
    """Any address under /api/v1/ that is not in the API: a 404 problem,
    or, for an address missing its final slash, where it is."""
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            location = request.path + "/"
            if request.META.get("QUERY_STRING"):
                location += "?" + request.META["QUERY_STRING"]
            return open_to_all(
                ProblemResponse(
                    request,
                    status.HTTP_404_NOT_FOUND,
                    f"Nothing is at this address; did you mean {location}?",
                )
            )
    return open_to_all(
        ProblemResponse(
            request, status.HTTP_404_NOT_FOUND, "Nothing is at this address."
        )
    )
