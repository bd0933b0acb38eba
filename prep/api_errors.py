"""One error body for the whole API: RFC 9457 problem details, with Prep's own fields kept.

Every error answers `application/problem+json`:

    {"type": ".../api/v1/problems/invalid/", "title": "...", "status": 400, "detail": "...",
     "instance": "/api/v1/enrolments/", "code": "invalid", "fields": {...},
     "error": {"code": "invalid", "message": "...", "fields": {...}}}

`type`, `title`, `status`, `detail` and `instance` are the RFC's; `code` and `fields` are its
extension members. `error` is the body this API sent before it spoke RFC 9457, kept whole so
clients written against it keep working. Clients branch on `code` (one of PROBLEMS, listed in the
schema), show `detail` to people, and put `fields` messages next to the inputs they belong to.
"""

from typing import Any

from django.core.exceptions import DisallowedHost, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve, reverse
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"

# Field errors that belong to the request as a whole rather than to one input.
NON_FIELD_KEYS = {"non_field_errors", "__all__"}

# Every `code` the API can answer with: (HTTP status, title, what it means and what to do).
PROBLEMS: dict[str, tuple[int, str, str]] = {
    "invalid": (
        400,
        "Invalid request",
        "Some of the data sent is not valid; see `fields` for what to change.",
    ),
    "parse_error": (
        400,
        "Unreadable request body",
        "The body is not JSON this API accepts: malformed, not UTF-8, nested too deeply, or "
        "holding characters text cannot store.",
    ),
    "authentication_failed": (
        401,
        "Authentication failed",
        "The token is wrong or revoked, or the account is disabled.",
    ),
    "not_authenticated": (
        401,
        "Not signed in",
        "Send `Authorization: Token <key>` or the site's session cookie. Create a token on the "
        "website: sign in, then Settings, API tokens (/accounts/settings/api-tokens/).",
    ),
    "permission_denied": (
        403,
        "Permission denied",
        "Signed in by session cookie without a valid CSRF token, or not allowed.",
    ),
    "not_found": (404, "Not found", "Nothing was found at this address."),
    "method_not_allowed": (405, "Method not allowed", "This address does not accept that method."),
    "not_acceptable": (406, "Not acceptable", "This API answers in JSON only."),
    "conflict": (
        409,
        "Conflict with the current state",
        "The request cannot be carried out in the object's current state, e.g. pausing a "
        "paused plan or enrolling twice. Read the object again before retrying.",
    ),
    "precondition_failed": (
        412,
        "Precondition failed",
        "The object changed since the `ETag` sent in `If-Match`: read it again, merge, retry.",
    ),
    "too_large": (
        413,
        "Request body too large",
        "The body is larger than this API accepts (DATA_UPLOAD_MAX_MEMORY_SIZE).",
    ),
    "unsupported_media_type": (
        415,
        "Unsupported media type",
        "Send request bodies as `application/json`.",
    ),
    "idempotency_key_reused": (
        422,
        "Idempotency key reused",
        "This `Idempotency-Key` was already used with a different request; use a new key.",
    ),
    "throttled": (
        429,
        "Too many requests",
        "Slow down; retry after the number of seconds in `Retry-After`.",
    ),
    "server_error": (
        500,
        "Server error",
        "Something went wrong on our side; it has been logged. Retrying later may succeed.",
    ),
}

# The codes as choices, each labelled with its title: an enum in the schema (ProblemCodeEnum).
PROBLEM_CHOICES = [(code, title) for code, (_, title, _) in PROBLEMS.items()]

# For exceptions raised with a code of their own, the general code of their status.
CODE_FOR_STATUS = {problem[0]: code for code, problem in reversed(PROBLEMS.items())}


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = PROBLEMS["conflict"][2]
    default_code = "conflict"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = PROBLEMS["precondition_failed"][2]
    default_code = "precondition_failed"


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = PROBLEMS["too_large"][2]
    default_code = "too_large"


class IdempotencyKeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = PROBLEMS["idempotency_key_reused"][2]
    default_code = "idempotency_key_reused"


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=PROBLEM_CHOICES, help_text="Same as the top-level code.")
    message = serializers.CharField(help_text="Same as `detail`.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Same as the top-level fields.",
    )


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details; `code`, `fields` and `error` are Prep's extensions."""

    type = serializers.URLField(help_text="Identifies the problem; GET it for a description.")
    title = serializers.CharField(help_text="Short summary of the problem type.")
    status = serializers.IntegerField(help_text="The HTTP status code.")
    detail = serializers.CharField(help_text="What went wrong this time, written for people.")
    instance = serializers.CharField(help_text="The path of the request that failed.")
    code = serializers.ChoiceField(
        choices=PROBLEM_CHOICES, help_text="Stable, machine-readable reason; branch on this."
    )
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="For validation errors: messages per field (nested fields use dots).",
    )
    error = ErrorDetailSerializer(
        help_text="The error body of earlier versions, kept for existing clients."
    )


def _type_uri(request: HttpRequest | None, code: str) -> str:
    path = reverse("api:problem", args=[code])
    if request is None:
        return path
    try:
        return request.build_absolute_uri(path)
    except DisallowedHost:
        return path


def problem_body(
    code: str,
    message: str,
    fields: dict[str, list[str]] | None = None,
    *,
    request: HttpRequest | None = None,
    status_code: int | None = None,
) -> dict:
    fields = fields or {}
    http_status, title, _ = PROBLEMS[code]
    return {
        "type": _type_uri(request, code),
        "title": title,
        "status": status_code or http_status,
        "detail": message,
        "instance": request.path if request is not None else "",
        "code": code,
        "fields": fields,
        "error": {"code": code, "message": message, "fields": fields},
    }


def problem_response(
    request: HttpRequest,
    code: str,
    message: str | None = None,
    *,
    status_code: int | None = None,
    fields: dict[str, list[str]] | None = None,
) -> JsonResponse:
    """A problem answer outside DRF's views (unknown addresses, server errors, NUL bytes)."""
    body = problem_body(
        code, message or PROBLEMS[code][2], fields, request=request, status_code=status_code
    )
    return JsonResponse(body, status=body["status"], content_type=PROBLEM_CONTENT_TYPE)


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


def _validation_problem(detail: Any) -> tuple[str, dict[str, list[str]]]:
    fields = _flatten(detail)
    general = [message for key in NON_FIELD_KEYS for message in fields.pop(key, [])]
    message = " ".join(general) if general else PROBLEMS["invalid"][2]
    if general:
        fields["non_field_errors"] = general
    return message, fields


def _from_django_validation_error(exc: DjangoValidationError) -> exceptions.APIException:
    """A service's ValidationError: a 409 when it says the object's state forbids the change."""
    codes = {error.code for error in exc.error_list} if not hasattr(exc, "error_dict") else set()
    if codes == {"conflict"}:
        return Conflict(" ".join(exc.messages))
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
    return exceptions.ValidationError(detail)


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler, with services' ValidationErrors too, answering problem details."""
    if isinstance(exc, DjangoValidationError):
        exc = _from_django_validation_error(exc)
    elif isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge()
    response = exception_handler(exc, context)
    if response is None:
        # Not an API error: Django logs it and answers through `server_error` below.
        return None
    request = context["request"]
    fields: dict[str, list[str]] = {}
    if isinstance(exc, exceptions.ValidationError):
        code = "invalid"
        message, fields = _validation_problem(exc.detail)
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "invalid"
        message = str(exc.detail) if not isinstance(exc.detail, dict | list) else exc.default_detail
    else:
        code, message = "", str(response.data.get("detail", ""))
    if code not in PROBLEMS or PROBLEMS[code][0] != response.status_code:
        code = CODE_FOR_STATUS.get(response.status_code, "invalid")
    if isinstance(exc, Http404 | exceptions.NotFound) and (
        message == str(exceptions.NotFound.default_detail)
        # get_object_or_404's own words name the model: "No StudyTask matches the given query."
        or (message.startswith("No ") and message.endswith(" matches the given query."))
    ):
        # Keep specific messages ("Invalid page."), replace Django's and DRF's defaults.
        message = PROBLEMS["not_found"][2]
    response.data = problem_body(
        code, message, fields, request=request, status_code=response.status_code
    )
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def _with_slash(request: HttpRequest) -> str | None:
    """The request's path with the trailing slash it lacks, when an endpoint is there."""
    if request.path_info.endswith("/"):
        return None
    try:
        match = resolve(f"{request.path_info}/", getattr(request, "urlconf", None))
    except Resolver404:
        return None
    return None if match.func is api_not_found else f"{request.path}/"


@csrf_exempt
def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """JSON 404 for addresses under /api/v1/ that match no endpoint.

    A missing trailing slash is named, not redirected: a redirected POST loses its body or turns
    into a GET in many clients, and a bare "not found" for /stories sends people looking for a
    fault elsewhere.
    """
    suggestion = _with_slash(request)
    message = PROBLEMS["not_found"][2]
    if suggestion:
        message = f"{message} Did you mean {suggestion}?"
    return problem_response(request, "not_found", message)


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """Django's 500 handler: problem details under /api/, the site's error page elsewhere.

    Django has already logged the exception and sent `got_request_exception` (error reporting
    listens there) before calling this, so nothing is lost by answering in JSON.
    """
    if request.path.startswith("/api/"):
        return problem_response(request, "server_error")
    return defaults.server_error(request, template_name)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 400 handler (a disallowed Host, too many fields): problem details under /api/."""
    if request.path.startswith("/api/"):
        return problem_response(request, "invalid", "The request is malformed.")
    return defaults.bad_request(request, exception)
