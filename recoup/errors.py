"""Every error is JSON: {"status": "error", "error": "...", ...} (SPEC section 3)."""

import logging

from django.http import JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)


class ArtistNotReady(exceptions.APIException):
    status_code = 400
    default_detail = "Artist is missing required files"

    def __init__(self, missing: list[str]):
        self.missing = missing
        super().__init__(f"Artist is missing required files: {', '.join(missing)}")


class EnqueueFailed(exceptions.APIException):
    status_code = 503
    default_detail = "Could not queue any run; try again shortly"

    def __init__(self, failed: int):
        self.failed = failed
        super().__init__()


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = "Conflict"


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"field": ["message", ...]}; nested fields use dots."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = str(key) if not prefix else f"{prefix}.{key}"
            if key == "non_field_errors" and not prefix:
                name = "non_field_errors"
            out.update(_flatten(value, name))
    elif isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            out[prefix or "non_field_errors"] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                out.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
    else:
        out[prefix or "non_field_errors"] = [str(detail)]
    return out


def error_body(message: str, **extra) -> dict:
    return {"status": "error", "error": message, **extra}


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        logger.exception("Unhandled error in %s", context.get("view").__class__.__name__)
        return Response(error_body("Internal server error"), status=status.HTTP_500_INTERNAL_SERVER_ERROR)

    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        field = next(iter(errors)) if errors else "non_field_errors"
        first = errors.get(field, ["Invalid input."])[0]
        message = first if field == "non_field_errors" else f"{field}: {first}"
        response.data = error_body(message, field=field, errors=errors)
    elif isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
        response.status_code = 401
        response.data = error_body("Unauthorized")
    elif isinstance(exc, (exceptions.ParseError, exceptions.UnsupportedMediaType)):
        message = str(exc.detail)
        response.data = error_body(message, field="body", errors={"body": [message]})
    elif isinstance(exc, ArtistNotReady):
        response.data = error_body(str(exc.detail), missing=exc.missing)
    elif isinstance(exc, EnqueueFailed):
        response.data = error_body(str(exc.detail), failed=exc.failed)
    elif isinstance(exc, exceptions.NotFound):
        response.data = error_body("Not found")
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        response.data = error_body(str(detail) if not isinstance(detail, (dict, list)) else "Request failed")
    return response


def json_404(request, exception=None):
    return JsonResponse(error_body("Not found"), status=404)


def json_500(request):
    return JsonResponse(error_body("Internal server error"), status=500)


def json_400(request, exception=None):
    return JsonResponse(error_body("Bad request"), status=400)
