"""Writes to accounts: sign-up, e-mail confirmation, settings, calendar link and deletion."""

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from rounds.models import Region

from . import tokens
from .models import User, new_calendar_token
from .validators import validate_time_zone


def _normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": "Enter a valid e-mail address."}) from None
    return email


def _check_email_free(email: str, *, exclude_pk: int | None = None) -> None:
    taken = User.objects.filter(email__iexact=email).exclude(pk=exclude_pk).exists()
    if taken:
        raise ValidationError({"email": "An account with this e-mail address already exists."})


def user_create(
    *,
    email: str,
    password: str,
    display_name: str = "",
    time_zone: str = "UTC",
) -> User:
    """Create a candidate's account and e-mail them a link to confirm their address."""
    email = _normalise_email(email)
    _check_email_free(email)
    try:
        validate_time_zone(time_zone)
    except ValidationError as exc:
        raise ValidationError({"time_zone": exc.messages}) from None
    user = User(email=email, display_name=display_name.strip()[:80], time_zone=time_zone)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise ValidationError(
            {"email": "An account with this e-mail address already exists."}
        ) from None
    # Robust: a mail server hiccup is logged and must not fail the saved change; the
    # candidate can send the link again from their settings.
    transaction.on_commit(lambda: user_send_confirmation(user=user), robust=True)
    return user


def user_send_confirmation(*, user: User) -> None:
    """E-mail a signed link that confirms the account's current address."""
    if user.email_confirmed_at is not None:
        return
    token = tokens.make_confirmation_token(user)
    context = {
        "user": user,
        "confirm_url": settings.SITE_URL + reverse("accounts:confirm_email", args=[token]),
        "days": tokens.CONFIRM_MAX_AGE // 86400,
        "site_url": settings.SITE_URL,
    }
    send_mail(
        subject="Confirm your e-mail address for Prep",
        message=render_to_string("accounts/email/confirm_email.txt", context),
        html_message=render_to_string("accounts/email/confirm_email.html", context),
        from_email=None,
        recipient_list=[user.email],
    )


def user_confirm_email(*, token: str) -> User:
    """Mark the address a confirmation link was sent to as confirmed."""
    try:
        user_id, email = tokens.read_confirmation_token(token)
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
    return user


def user_update_settings(
    *,
    user: User,
    email: str,
    display_name: str,
    time_zone: str,
    region: Region | None,
    reminders_enabled: bool,
    reminder_weekday: int,
    reminder_hour: int,
) -> User:
    """Save account settings; a new address must be confirmed again before mail goes to it."""
    email = _normalise_email(email)
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
    email_changed = email != user.email
    if email_changed:
        _check_email_free(email, exclude_pk=user.pk)
    user.email = email
    user.display_name = display_name.strip()
    user.time_zone = time_zone
    user.region = region
    user.reminders_enabled = reminders_enabled
    user.reminder_weekday = reminder_weekday
    user.reminder_hour = reminder_hour
    if email_changed:
        user.email_confirmed_at = None
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise ValidationError(
            {"email": "An account with this e-mail address already exists."}
        ) from None
    if email_changed:
        # Robust: a mail server hiccup is logged and must not fail the saved change; the
        # candidate can send the link again from their settings.
        transaction.on_commit(lambda: user_send_confirmation(user=user), robust=True)
    return user


def user_rotate_calendar_token(*, user: User) -> str:
    """Give the calendar feed a new private address; the old one stops working at once."""
    user.calendar_token = new_calendar_token()
    user.save(update_fields=["calendar_token"])
    return user.calendar_token


def user_delete(*, user: User, password: str) -> None:
    """Delete the account and, through cascades, its enrolments, progress, notes and reminders."""
    if not user.check_password(password):
        raise ValidationError({"password": "That password is not right; nothing was deleted."})
    with transaction.atomic():
        user.delete()
