"""OpenAPI generation: every operation documents the errors and headers it can really return.

Views declare what they do beyond the basics with attributes this schema reads:
`conflicts` (why a write can answer 409), `if_match` (writes honour If-Match, reads send ETag),
and `prep.api_idempotency.idempotent` on a POST handler (Idempotency-Key is accepted).
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from .api_errors import PROBLEM_CONTENT_TYPE, ProblemSerializer

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Methods whose handlers read the body, so a body of another media type is a 415.
BODY_METHODS = {"POST", "PUT", "PATCH"}

RATE_LIMIT_HEADERS = {
    "RateLimit-Limit": "Requests allowed in the current window.",
    "RateLimit-Remaining": "Requests left in the current window.",
    "RateLimit-Reset": "Seconds until the window resets.",
}


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=ProblemSerializer, description=description)


def _header(description: str, kind: str = "string") -> dict:
    return {"schema": {"type": kind}, "description": description}


class PrepAutoSchema(AutoSchema):
    def _is_public(self) -> bool:
        return bool(getattr(self.view, "conditional_get", False))

    def _is_idempotent(self) -> bool:
        handler = getattr(self.view, self.method.lower(), None)
        return bool(getattr(handler, "idempotent", False))

    def _uses_if_match(self) -> bool:
        return bool(getattr(self.view, "if_match", False))

    def get_override_parameters(self) -> list:
        parameters = list(super().get_override_parameters())
        if self._is_public() and self.method == "GET":
            parameters += [
                OpenApiParameter(
                    "If-None-Match",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    description="ETag from an earlier response; answered with 304 if unchanged.",
                ),
                OpenApiParameter(
                    "ETag",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    response=[200, 304],
                    description="Changes whenever the response body changes.",
                ),
            ]
        if self._uses_if_match() and self.method in UNSAFE_METHODS:
            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    description=(
                        "Optional: the `ETag` you last read. If the object changed since, nothing "
                        "is saved and the answer is 412, so two devices never overwrite each "
                        "other silently. `*` means: only if it exists."
                    ),
                )
            )
        if self._is_idempotent():
            parameters.append(
                OpenApiParameter(
                    "Idempotency-Key",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    description=(
                        "Optional, 1-255 visible ASCII characters, unique per request you mean "
                        "(a UUID). Retrying with the same key and body within 24 hours replays "
                        "the first answer instead of doing it again; the same key with another "
                        "body answers 422."
                    ),
                )
            )
        return parameters

    def _get_response_bodies(self, direction: str = "response") -> dict:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        self._add_success_headers(responses)
        errors: dict[str, OpenApiResponse] = {}
        has_filters = getattr(self.view, "filterset_class", None) is not None
        if self.method in UNSAFE_METHODS or has_filters or self._is_list_view():
            errors["400"] = _error("The request is not valid; `fields` says what to change.")
        if not self.view.get_authenticators():
            pass  # open to anyone: a token sent is not even read
        elif self._is_public():
            errors["401"] = _error(
                "A token was sent and it is wrong or revoked; public content needs none."
            )
        else:
            errors["401"] = _error("Not signed in, or the token is wrong or revoked.")
        if self.method in UNSAFE_METHODS:
            errors["403"] = _error("Signed in by session cookie without a valid CSRF token.")
        if "{" in self.path or self._is_list_view():
            errors["404"] = _error("No such object (or not yours), or no such page.")
        conflicts = getattr(self.view, "conflicts", "")
        if conflicts and self.method in UNSAFE_METHODS:
            errors["409"] = _error(conflicts)
        if self._uses_if_match() and self.method in UNSAFE_METHODS:
            errors["412"] = _error("The object changed since the ETag sent in If-Match.")
        errors["406"] = _error("The `Accept` header names no JSON type; this API answers JSON.")
        if self.method in UNSAFE_METHODS:
            errors["413"] = _error("The request body is too large.")
        if self.method in BODY_METHODS:
            errors["415"] = _error("The body is not `application/json` (a form, say).")
        if self._is_idempotent():
            errors["422"] = _error("The Idempotency-Key was used before with another request.")
        errors["429"] = _error("Too many requests; retry after the `Retry-After` seconds.")
        errors["500"] = _error("Something went wrong on our side.")
        for code, response in errors.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    response, code, media_types=[PROBLEM_CONTENT_TYPE], direction=direction
                )
        if "401" in responses:
            responses["401"].setdefault("headers", {})["WWW-Authenticate"] = _header(
                "`Token`: send `Authorization: Token <key>`."
            )
        responses["429"].setdefault("headers", {})["Retry-After"] = _header(
            "Seconds to wait before trying again.", "integer"
        )
        for code in ("200", "201", "429"):
            if code in responses:
                headers = responses[code].setdefault("headers", {})
                for name, description in RATE_LIMIT_HEADERS.items():
                    headers[name] = _header(description, "integer")
        if self._is_public() and self.method == "GET" and "304" not in responses:
            responses["304"] = self._get_response_for_code(
                OpenApiResponse(description="Not modified since the ETag in If-None-Match."),
                "304",
                direction=direction,
            )
        return responses

    def _add_success_headers(self, responses: dict) -> None:
        if "201" in responses:
            responses["201"].setdefault("headers", {})["Location"] = _header(
                "The address of what was created.", "string"
            )
        if self.method == "GET" and self._is_list_view() and "200" in responses:
            responses["200"].setdefault("headers", {})["Link"] = _header(
                "RFC 8288 links to the `first`, `prev`, `next` and `last` pages."
            )
        if self._uses_if_match():
            for code in ("200", "201"):
                if code in responses:
                    responses[code].setdefault("headers", {})["ETag"] = _header(
                        "The version of this object; send it back in If-Match when writing."
                    )
        if self._is_idempotent():
            for code in ("200", "201"):
                if code in responses:
                    responses[code].setdefault("headers", {})["Idempotent-Replayed"] = _header(
                        "`true` when this is the stored answer to an earlier request with the "
                        "same Idempotency-Key."
                    )


def mark_response_fields_required(result: dict, generator: object, **kwargs: object) -> dict:
    """Mark every field of every answer required: the API always sends each one (null if empty).

    drf-spectacular marks a model field with a default or `blank=True` optional even in answers,
    which tells client generators to expect it missing. Request bodies (`...Request`, as
    COMPONENT_SPLIT_REQUEST names them) keep their real optional fields.
    """
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") or "properties" not in component:
            continue
        component["required"] = list(component["properties"])
    return result


def refuse_unknown_request_fields(result: dict, generator: object, **kwargs: object) -> dict:
    """Say in request bodies what prep.api_fields.RequestSerializer does: other fields are a 400.

    Client generators and validators then catch a misspelt field before it is sent.
    """
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") and component.get("type") == "object":
            component["additionalProperties"] = False
    return result
