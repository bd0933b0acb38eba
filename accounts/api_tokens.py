"""A candidate's API token: the key mobile apps and scripts send as `Authorization: Token <key>`.

DRF's authtoken keeps one token per account, which is all a candidate needs: making a new one
replaces the old, so a leaked key is revoked by making a new one or by revoking it outright.
"""

from django.db import transaction
from rest_framework.authtoken.models import Token

from .models import User


def api_token_create(*, user: User) -> Token:
    """Issue a fresh token for `user`; any earlier token stops working at once."""
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        return Token.objects.create(user=user)


def api_token_revoke(*, user: User) -> bool:
    """Delete the user's token; returns whether there was one."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return deleted > 0
