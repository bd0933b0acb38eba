"""Signed links for confirming an e-mail address.

The token signs the user's id together with the address it was sent to, so a link mailed to an old
address stops working once the candidate changes it.
"""

from django.core import signing
from django.utils.crypto import salted_hmac

from .models import User

CONFIRM_SALT = "accounts.confirm-email"
CONFIRM_MAX_AGE = 60 * 60 * 24 * 7  # a week: long enough to find the mail after a holiday


class InvalidToken(Exception):
    pass


def make_confirmation_token(user: User, *, next_url: str = "") -> str:
    # The page the candidate was heading for when they signed up rides in the signed link, so
    # opening it from another device or browser still leads there.
    data = {"id": user.pk, "email": user.email}
    if next_url:
        data["next"] = next_url
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign_object(data)


def read_confirmation_token(token: str) -> tuple[int, str, str]:
    """The (user id, address, next page or "") a token was made for; InvalidToken when bad."""
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
    return int(data["id"]), str(data["email"]), str(data.get("next") or "")


CHANGE_SALT = "accounts.change-email"
CHANGE_MAX_AGE = 60 * 60 * 24  # a day: the candidate is waiting for it


def _password_fingerprint(user: User) -> str:
    # Changing or resetting the password cancels a change of address asked for with the old one,
    # so whoever learned the old password cannot finish taking the account over.
    return salted_hmac(CHANGE_SALT, user.password).hexdigest()[:16]


def make_email_change_token(user: User, new_email: str) -> str:
    return signing.TimestampSigner(salt=CHANGE_SALT).sign_object(
        {"id": user.pk, "from": user.email, "to": new_email, "pw": _password_fingerprint(user)}
    )


def read_email_change_token(token: str) -> tuple[int, dict]:
    """The user id and signed data of an address-change link; InvalidToken when forged or stale."""
    try:
        data = signing.TimestampSigner(salt=CHANGE_SALT).unsign_object(
            token, max_age=CHANGE_MAX_AGE
        )
    except signing.SignatureExpired:
        raise InvalidToken(
            "This link has expired; ask for the change again from your settings."
        ) from None
    except signing.BadSignature:
        raise InvalidToken("This link is not valid.") from None
    if not isinstance(data, dict) or not {"id", "from", "to", "pw"} <= data.keys():
        raise InvalidToken("This link is not valid.")
    return int(data["id"]), data


def email_change_token_matches(user: User, data: dict) -> bool:
    """Whether the link is for the change the account is still waiting for."""
    return (
        data["from"] == user.email
        and data["to"] == user.pending_email
        and data["pw"] == _password_fingerprint(user)
    )


REVERT_SALT = "accounts.revert-email"
REVERT_MAX_AGE = 60 * 60 * 24 * 14  # two weeks: the old inbox may not be read every day


def make_email_revert_token(user: User, old_email: str) -> str:
    return signing.TimestampSigner(salt=REVERT_SALT).sign_object(
        {"id": user.pk, "from": user.email, "to": old_email}
    )


def read_email_revert_token(token: str) -> tuple[int, str, str]:
    """(user id, address now on the account, address to go back to); InvalidToken if bad."""
    try:
        data = signing.TimestampSigner(salt=REVERT_SALT).unsign_object(
            token, max_age=REVERT_MAX_AGE
        )
    except signing.SignatureExpired:
        raise InvalidToken("This link has expired.") from None
    except signing.BadSignature:
        raise InvalidToken("This link is not valid.") from None
    if not isinstance(data, dict) or not {"id", "from", "to"} <= data.keys():
        raise InvalidToken("This link is not valid.")
    return int(data["id"]), str(data["from"]), str(data["to"])
