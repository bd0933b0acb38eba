"""Writes to accounts: sign-up, e-mail confirmation, settings, calendar link and deletion."""

import datetime
import logging
import smtplib
from importlib import import_module

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import SESSION_KEY, password_validation
from django.contrib.sessions.backends import db as db_sessions
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower, Trim
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from rounds.models import Region

from . import mail_throttle, tokens
from .models import User, new_calendar_token
from .validators import validate_time_zone

logger = logging.getLogger(__name__)

MAX_EMAIL_LENGTH = 254  # what SMTP allows in a path (RFC 5321), and the column's size


def _normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    if len(email) > MAX_EMAIL_LENGTH:
        raise ValidationError(
            {"email": f"An e-mail address has at most {MAX_EMAIL_LENGTH} characters."}
        )
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": "Enter a valid e-mail address."}) from None
    return email


def _email_taken(email: str, *, exclude_pk: int | None = None) -> bool:
    return User.objects.filter(email__iexact=email).exclude(pk=exclude_pk).exists()


def _send(*, template: str, subject: str, to: str, context: dict) -> None:
    context = {**context, "site_url": settings.SITE_URL}
    send_mail(
        subject=subject,
        message=render_to_string(f"accounts/email/{template}.txt", context),
        html_message=render_to_string(f"accounts/email/{template}.html", context),
        from_email=None,
        recipient_list=[to],
    )


def _send_throttled(*, kind: str, **message) -> None:
    """Send an e-mail whose throttle slot is claimed; give the slot back if sending fails.

    The mail server being down must not also lock the person out of asking again for
    ACCOUNT_MAIL_INTERVAL_MINUTES: "Send the link again" then works as soon as it is back.
    """
    try:
        _send(**message)
    except (smtplib.SMTPException, OSError):
        mail_throttle.mail_release(kind=kind, address=message["to"])
        logger.warning("Could not send the %s e-mail; it can be asked for again", kind)
        raise


def user_create(
    *,
    email: str,
    password: str,
    display_name: str = "",
    time_zone: str = "UTC",
    ip: str | None = None,
    next_url: str = "",
) -> User | None:
    """Create a candidate's account and e-mail them a link to confirm their address.

    When the address already has an account, nothing is created and its owner is e-mailed
    instead; the caller answers the same either way, so sign-up never tells a stranger whether
    an address has an account. `next_url` (a path the caller has checked) is where the
    confirmation link leads once opened. Returns the new account, or None.
    """
    email = _normalise_email(email)
    try:
        validate_time_zone(time_zone)
    except ValidationError as exc:
        raise ValidationError({"time_zone": exc.messages}) from None
    user = User(email=email, display_name=display_name.strip()[:80], time_zone=time_zone)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    # Hashed before looking the address up, so both answers take as long.
    user.set_password(password)
    created = False
    if not _email_taken(email):
        try:
            with transaction.atomic():
                user.save()
            created = True
        except IntegrityError:  # someone signed up with it a moment ago
            pass
    # Robust: a mail server hiccup is logged and must not fail the saved account; the
    # candidate can send the link again from their settings.
    if created:
        transaction.on_commit(
            lambda: user_send_confirmation(user=user, ip=ip, next_url=next_url), robust=True
        )
        return user
    transaction.on_commit(
        lambda: user_send_account_exists(email=email, reason="signup", kind="confirm", ip=ip),
        robust=True,
    )
    return None


def user_send_account_exists(*, email: str, reason: str, kind: str, ip: str | None) -> bool:
    """Tell an address's owner that someone tried to use it for another account.

    `kind` is the throttle of what the requester did (sign-up confirmation or change of
    address), so they meet the same limits whether or not the address was free.
    """
    if not mail_throttle.mail_allowed(kind=kind, address=email, ip=ip):
        return False
    _send_throttled(
        kind=kind,
        template="account_exists",
        subject="Your Prep account",
        to=email,
        context={
            "email": email,
            "reason": reason,
            "login_url": settings.SITE_URL + reverse("accounts:login"),
            "reset_url": settings.SITE_URL + reverse("accounts:password_reset"),
        },
    )
    return True


def user_send_confirmation(*, user: User, ip: str | None = None, next_url: str = "") -> bool:
    """E-mail a signed link that confirms the account's current address; False when not sent."""
    if user.email_confirmed_at is not None:
        return False
    if not mail_throttle.mail_allowed(kind="confirm", address=user.email, ip=ip):
        return False
    token = tokens.make_confirmation_token(user, next_url=next_url)
    _send_throttled(
        kind="confirm",
        template="confirm_email",
        subject="Confirm your e-mail address for Prep",
        to=user.email,
        context={
            "user": user,
            "confirm_url": settings.SITE_URL + reverse("accounts:confirm_email", args=[token]),
            "days": tokens.CONFIRM_MAX_AGE // 86400,
        },
    )
    return True


def user_confirm_email(*, token: str) -> tuple[User, str]:
    """Mark the address a confirmation link was sent to as confirmed.

    Returns the account and the page the candidate was heading for when they signed up ("" for
    none); the caller checks that page is still one of ours before sending anyone there.
    """
    try:
        user_id, email, next_url = tokens.read_confirmation_token(token)
    except tokens.InvalidToken as exc:
        raise ValidationError(str(exc)) from None
    user = User.objects.filter(pk=user_id).first()
    if user is None or user.email.lower() != email.lower():
        raise ValidationError(
            "This confirmation link was sent to an address that is no longer on the account."
        )
    if user.email_confirmed_at is None:
        user.email_confirmed_at = timezone.now()
        user.save(update_fields=["email_confirmed_at"])
    return user, next_url


def user_request_email_change(*, user: User, new_email: str, ip: str | None = None) -> None:
    """Start moving the account to `new_email`; the caller has checked the current password.

    The login address changes only when the link e-mailed to the new address is opened, so a
    stolen session or a typo cannot move the account to an address its owner does not hold.
    When another account already uses the address, its owner is told instead, and the caller
    answers as if the link had gone out.
    """
    email = _normalise_email(new_email)
    if email == user.email:
        raise ValidationError({"email": "That is already your address."})
    user.pending_email = email
    user.save(update_fields=["pending_email"])
    transaction.on_commit(lambda: user_send_email_change(user=user, ip=ip), robust=True)


def user_send_email_change(*, user: User, ip: str | None = None) -> bool:
    """E-mail the link that completes a pending change of address; False when not sent."""
    email = user.pending_email
    if not email:
        return False
    if _email_taken(email, exclude_pk=user.pk):
        return user_send_account_exists(email=email, reason="change", kind="change", ip=ip)
    if not mail_throttle.mail_allowed(kind="change", address=email, ip=ip):
        return False
    token = tokens.make_email_change_token(user, email)
    _send_throttled(
        kind="change",
        template="change_email",
        subject="Confirm your new e-mail address for Prep",
        to=email,
        context={
            "user": user,
            "new_email": email,
            "confirm_url": settings.SITE_URL
            + reverse("accounts:confirm_email_change", args=[token]),
            "hours": tokens.CHANGE_MAX_AGE // 3600,
        },
    )
    return True


def user_cancel_email_change(*, user: User) -> None:
    """Forget a pending change of address; links already sent stop working."""
    user.pending_email = ""
    user.save(update_fields=["pending_email"])


def user_confirm_email_change(*, token: str) -> User:
    """Switch the account to the address a change link was sent to, and tell the old address."""
    try:
        user_id, data = tokens.read_email_change_token(token)
    except tokens.InvalidToken as exc:
        raise ValidationError(str(exc)) from None
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id).first()
        if user is None or not tokens.email_change_token_matches(user, data):
            raise ValidationError(
                "This link is for a change of address that was cancelled, replaced or already "
                "made. Your settings show the address in use."
            )
        old_email, new_email = user.email, user.pending_email
        if _email_taken(new_email, exclude_pk=user.pk):
            raise ValidationError(
                "Another Prep account uses this address now, so your address is unchanged."
            )
        user.email = new_email
        user.pending_email = ""
        # Opening the link proves the candidate reads this mailbox.
        user.email_confirmed_at = timezone.now()
        try:
            with transaction.atomic():
                user.save(update_fields=["email", "pending_email", "email_confirmed_at"])
        except IntegrityError:
            raise ValidationError(
                "Another Prep account uses this address now, so your address is unchanged."
            ) from None
    revert_token = tokens.make_email_revert_token(user, old_email)
    transaction.on_commit(
        lambda: _send(
            template="email_changed",
            subject="Your Prep e-mail address was changed",
            to=old_email,
            context={
                "user": user,
                "old_email": old_email,
                "new_email": new_email,
                "revert_url": settings.SITE_URL
                + reverse("accounts:revert_email_change", args=[revert_token]),
                "days": tokens.REVERT_MAX_AGE // 86400,
            },
        ),
        robust=True,
    )
    return user


def user_revert_email_change(*, token: str) -> User:
    """Give the account back to the address it had before a change its owner did not make.

    Whoever made the change knew the password, so the password is cleared and every session
    ended: the owner chooses a new password through a reset link sent to the old address.
    """
    try:
        user_id, current, previous = tokens.read_email_revert_token(token)
    except tokens.InvalidToken as exc:
        raise ValidationError(str(exc)) from None
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id).first()
        if user is None or user.email != current:
            raise ValidationError(
                "The account's address has changed again since this link was sent, so it "
                "cannot be used. Contact Prep's team for help."
            )
        if _email_taken(previous, exclude_pk=user.pk):
            raise ValidationError(
                "Another account uses your old address now, so it cannot be moved back. "
                "Contact Prep's team for help."
            )
        user.email = previous
        user.pending_email = ""
        user.email_confirmed_at = timezone.now()
        user.set_unusable_password()
        user.save(update_fields=["email", "pending_email", "email_confirmed_at", "password"])
    _sessions_end(user_id=user.pk)
    return user


def user_update_settings(
    *,
    user: User,
    display_name: str,
    time_zone: str,
    region: Region | None,
    reminders_enabled: bool,
    reminder_weekday: int,
    reminder_hour: int,
) -> User:
    """Save profile and reminder settings (the address changes by user_request_email_change)."""
    errors: dict[str, str] = {}
    try:
        validate_time_zone(time_zone)
    except ValidationError as exc:
        errors["time_zone"] = exc.messages[0]
    if reminder_weekday not in range(7):
        errors["reminder_weekday"] = "Choose a day of the week."
    if reminder_hour not in range(24):
        errors["reminder_hour"] = "Choose an hour between 0 and 23."
    if len(display_name.strip()) > 80:
        errors["display_name"] = "Keep your name under 80 characters."
    if errors:
        raise ValidationError(errors)
    user.display_name = display_name.strip()
    user.time_zone = time_zone
    user.region = region
    user.reminders_enabled = reminders_enabled
    user.reminder_weekday = reminder_weekday
    user.reminder_hour = reminder_hour
    user.save(
        update_fields=[
            "display_name",
            "time_zone",
            "region",
            "reminders_enabled",
            "reminder_weekday",
            "reminder_hour",
        ]
    )
    return user


def user_rotate_calendar_token(*, user: User) -> str:
    """Give the calendar feed a new private address; the old one stops working at once."""
    user.calendar_token = new_calendar_token()
    user.save(update_fields=["calendar_token"])
    return user.calendar_token


def user_delete(*, user: User, password: str) -> None:
    """Delete the account and everything kept about the person.

    Cascades remove enrolments, progress, notes and reminders. Login records (django-axes keeps
    the address, IP and browser of logins and failed attempts) are matched by address, not by a
    foreign key, so they are deleted here, whatever spelling was typed at the login form; and
    every session the account is signed in with is ended, on every device.
    """
    if not user.check_password(password):
        raise ValidationError({"password": "That password is not right; nothing was deleted."})
    user_id, email = user.pk, user.email
    with transaction.atomic():
        _login_records_delete(email)
        user.delete()
    _sessions_end(user_id=user_id)


def _login_records_delete(email: str) -> None:
    """Delete django-axes rows about `email`, in every spelling typed at the login form."""
    email = email.strip().lower()
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        matching = model.objects.annotate(_address=Lower(Trim("username"))).filter(_address=email)
        model.objects.filter(pk__in=matching.values("pk")).delete()


def _sessions_end(*, user_id: int) -> int:
    """End every stored session signed in as `user_id`; returns how many.

    Sessions are not indexed by user, so the stored ones are read through once: deleting an
    account is rare. Through the session engine, so the cached_db engine forgets its cache
    entries too. Engines with no database rows (cache, signed cookies) cannot be listed; the
    sessions then die on their own, as the account they point to no longer exists.
    """
    engine = import_module(settings.SESSION_ENGINE)
    store_class = engine.SessionStore
    if not issubclass(store_class, db_sessions.SessionStore):
        return 0
    model = store_class.get_model_class()
    ended = 0
    for key, data in model.objects.values_list("session_key", "session_data").iterator(
        chunk_size=2000
    ):
        if store_class().decode(data).get(SESSION_KEY) == str(user_id):
            store_class(session_key=key).delete()
            ended += 1
    return ended


def login_records_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete login records older than LOGIN_RECORD_RETENTION_DAYS; returns how many rows."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.LOGIN_RECORD_RETENTION_DAYS)
    lockout_over = now - datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
    deleted = 0
    for model, before in (
        (AccessLog, cutoff),
        (AccessFailureLog, cutoff),
        (AccessAttempt, lockout_over),
    ):
        count, _ = model.objects.filter(attempt_time__lt=before).delete()
        deleted += count
    return deleted
