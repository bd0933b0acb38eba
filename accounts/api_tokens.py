"""A candidate's API tokens: named keys that apps and scripts send to use the API as them.

A candidate can hold several (one per phone, laptop or script) and revoke each on its own. Keys are
shown once and stored only as digests (accounts.models.ApiToken).
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from .models import ApiToken, User

# Enough for every device and script a person uses; more is likely forgotten keys piling up.
MAX_TOKENS_PER_USER = 10
NAME_MAX_LENGTH = ApiToken._meta.get_field("name").max_length


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Make a named token for `user`; returns it and its key, which is never retrievable again."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Give the token a name, such as “Phone”."})
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError({"name": f"Keep the name under {NAME_MAX_LENGTH} characters."})
    tokens = ApiToken.objects.filter(user=user)
    if tokens.count() >= MAX_TOKENS_PER_USER:
        raise ValidationError(
            f"You already have {MAX_TOKENS_PER_USER} tokens; revoke one you no longer use first."
        )
    if tokens.filter(name__iexact=name).exists():
        raise ValidationError({"name": f"You already have a token called “{name}”."})
    key = ApiToken.new_key()
    try:
        with transaction.atomic():
            token = ApiToken.objects.create(
                user=user, name=name, key_digest=ApiToken.digest(key), hint=key[:10]
            )
    except IntegrityError:
        raise ValidationError({"name": f"You already have a token called “{name}”."}) from None
    return token, key


def api_token_revoke(*, user: User, token_id: int) -> ApiToken:
    """Delete one of `user`'s tokens; apps using it are refused from the next request on.

    Raises ApiToken.DoesNotExist for a token that is not the user's, so callers answer 404.
    """
    token = ApiToken.objects.get(user=user, pk=token_id)
    token.delete()
    return token
