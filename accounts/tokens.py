"""Signed links for confirming an e-mail address.

The token signs the user's id together with the address it was sent to, so a link mailed to an old
address stops working once the candidate changes it.
"""

from django.core import signing

from .models import User

CONFIRM_SALT = "accounts.confirm-email"
CONFIRM_MAX_AGE = 60 * 60 * 24 * 7  # a week: long enough to find the mail after a holiday


class InvalidToken(Exception):
    pass


def make_confirmation_token(user: User) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign_object(
        {"id": user.pk, "email": user.email}
    )


def read_confirmation_token(token: str) -> tuple[int, str]:
    """The (user id, address) a token was made for; raises InvalidToken when forged or stale."""
    try:
        data = signing.TimestampSigner(salt=CONFIRM_SALT).unsign_object(
            token, max_age=CONFIRM_MAX_AGE
        )
    except signing.SignatureExpired:
        raise InvalidToken("This confirmation link has expired; ask for a new one.") from None
    except signing.BadSignature:
        raise InvalidToken("This confirmation link is not valid.") from None
    if not isinstance(data, dict) or "id" not in data or "email" not in data:
        raise InvalidToken("This confirmation link is not valid.")
    return int(data["id"]), str(data["email"])
