"""API authentication by the candidate's named, hashed tokens (accounts.models.ApiToken)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from .models import ApiToken, User


class ApiTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, looked up by the key's digest."""

    def authenticate_credentials(self, key: str) -> tuple[User, ApiToken]:
        token = ApiToken.objects.for_key(key).select_related("user").first()
        if token is None or not token.user.is_active:
            raise AuthenticationFailed("Invalid token.")
        return token.user, token


class BearerTokenAuthentication(ApiTokenAuthentication):
    """The same keys as `Authorization: Bearer <key>`, the form most HTTP clients send: a
    bearer key used to be ignored, and the answer said no credentials were provided."""

    keyword = "Bearer"


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Its own scheme in the OpenAPI document: drf-spectacular's Token scheme also matches this
    subclass, and two schemes of one name but different keywords fail the schema."""

    target_class = "accounts.api_auth.BearerTokenAuthentication"
    name = "bearerAuth"
    priority = 1

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "The API key of the Token scheme, as `Authorization: Bearer <key>`.",
        }
