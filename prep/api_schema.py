"""OpenAPI generation: every operation documents the errors it can really return."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from .api_errors import ErrorSerializer

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=ErrorSerializer, description=description)


class PrepAutoSchema(AutoSchema):
    def _is_public(self) -> bool:
        return bool(getattr(self.view, "conditional_get", False))

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
        return parameters

    def _get_response_bodies(self, direction: str = "response") -> dict:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        errors: dict[str, OpenApiResponse | dict] = {}
        has_filters = getattr(self.view, "filterset_class", None) is not None
        if self.method in UNSAFE_METHODS or has_filters or self._is_list_view():
            errors["400"] = _error("The request is not valid; `fields` says what to change.")
        errors["401"] = _error("Not signed in, or the token is wrong or revoked.")
        if self.method in UNSAFE_METHODS:
            errors["403"] = _error("Signed in by session cookie without a valid CSRF token.")
        if "{" in self.path or self._is_list_view():
            errors["404"] = _error("No such object (or not yours), or no such page.")
        errors["429"] = _error("Too many requests; retry after the `Retry-After` seconds.")
        for code, response in errors.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        responses["401"].setdefault("headers", {})["WWW-Authenticate"] = {
            "schema": {"type": "string"},
            "description": "`Token`: send `Authorization: Token <key>`.",
        }
        responses["429"].setdefault("headers", {})["Retry-After"] = {
            "schema": {"type": "integer"},
            "description": "Seconds to wait before trying again.",
        }
        if self._is_public() and self.method == "GET" and "304" not in responses:
            responses["304"] = self._get_response_for_code(
                OpenApiResponse(description="Not modified since the ETag in If-None-Match."),
                "304",
                direction=direction,
            )
        return responses
