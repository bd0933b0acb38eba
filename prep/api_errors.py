"""One error body for the whole API: {"error": {"code", "message", "fields"}}.

Clients branch on `code`, show `message` to people, and put `fields` messages next to the inputs
they belong to; the same shape comes back for validation, authentication, throttling and 404s.
"""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler

# Field errors that belong to the request as a whole rather than to one input.
NON_FIELD_KEYS = {"non_field_errors", "__all__"}

MESSAGES = {
    "invalid": "Some of the data sent is not valid; see `fields` for what to change.",
    "not_found": "Nothing was found at this address.",
}


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable, machine-readable reason, e.g. `invalid`.")
    message = serializers.CharField(help_text="What went wrong, written for people.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="For validation errors: messages per field (nested fields use dots).",
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """Field errors as {"field.sub": ["message", ...]}, however deeply DRF nested them."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            for field, messages in _flatten(value, name).items():
                flat.setdefault(field, []).extend(messages)
        return flat
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return {prefix or "non_field_errors": [str(item) for item in detail]}
        flat = {}
        for index, item in enumerate(detail):
            name = f"{prefix}.{index}" if prefix else str(index)
            for field, messages in _flatten(item, name).items():
                flat.setdefault(field, []).extend(messages)
        return flat
    return {prefix or "non_field_errors": [str(detail)]}


def _validation_body(detail: Any) -> dict:
    fields = _flatten(detail)
    general = [message for key in NON_FIELD_KEYS for message in fields.pop(key, [])]
    message = " ".join(general) if general else MESSAGES["invalid"]
    if general:
        fields["non_field_errors"] = general
    return error_body("invalid", message, fields)


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler, with Django's ValidationError (raised by services) as a 400 too."""
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = exceptions.ValidationError(detail)
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = _validation_body(exc.detail)
        return response
    if isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "error"
        message = str(exc.detail) if not isinstance(exc.detail, dict | list) else exc.default_detail
    else:
        code, message = "error", str(response.data.get("detail", ""))
    if response.status_code == 404:
        # Keep specific messages ("Invalid page."), replace DRF's terse default.
        generic = message == str(exceptions.NotFound.default_detail)
        code, message = "not_found", MESSAGES["not_found"] if generic else message
    response.data = error_body(code, message)
    return response


@csrf_exempt
def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """JSON 404 for addresses under /api/v1/ that match no endpoint."""
    return JsonResponse(error_body("not_found", MESSAGES["not_found"]), status=404)
