"""API authentication by the candidate's named, hashed tokens (accounts.models.ApiToken)."""

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
