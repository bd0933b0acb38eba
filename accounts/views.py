import json
import logging
import math
import smtplib
import zoneinfo

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from studyplan.models import Enrolment, EnrolmentStatus

from . import mail_throttle, services
from .export import user_export_data
from .forms import (
    ChangeEmailForm,
    DeleteAccountForm,
    LockoutPasswordChangeForm,
    SettingsForm,
    SignupForm,
    add_service_errors,
)
from .login_required import login_required
from .models import User
from .next_url import requested_next, safe_next, with_next

logger = logging.getLogger(__name__)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def signup(request: HttpRequest) -> HttpResponse:
    next_url = requested_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or "studyplan:dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            services.user_create(
                email=email,
                password=form.cleaned_data["password1"],
                display_name=form.cleaned_data["display_name"],
                time_zone=form.cleaned_data["time_zone"],
                ip=mail_throttle.client_ip(request),
                next_url=next_url,
            )
        except ValidationError as exc:
            add_service_errors(form, exc, rename={"password": "password1"})
        else:
            # The same answer whether the account was made or the address already had one (its
            # owner gets an e-mail saying so), so sign-up tells no one who has an account.
            messages.success(
                request,
                f"Thank you. We sent an e-mail to {email.strip().lower()}: open the link in it to "
                "confirm your address, then log in here. If nothing arrives in a few minutes, "
                "check your spam folder.",
            )
            # Logging in here (or after confirming) leads on to the page they were going to.
            return redirect(with_next(reverse("accounts:login"), next_url))
    return render(
        request,
        "accounts/signup.html",
        {"form": form, "next": next_url, "breadcrumbs": [("Sign up", None)]},
        status=400 if form.errors else 200,
    )


def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user, next_url = services.user_confirm_email(token=token)
    except ValidationError as exc:
        return _link_failed(request, exc)
    # Signed by us, but checked again: the site's host may have changed since it was sent.
    next_url = safe_next(request, next_url)
    if request.user.is_authenticated:
        # One message on the page they land on; the dashboard and the page they were going to
        # do not repeat it (Settings would, beside its own "is confirmed" notice).
        messages.success(request, f"Thank you: {user.email} is confirmed.")
        return redirect(next_url or "studyplan:dashboard")
    messages.success(request, f"Thank you: {user.email} is confirmed. Log in to continue.")
    return redirect(with_next(reverse("accounts:login"), next_url))


def confirm_email_change(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = services.user_confirm_email_change(token=token)
    except ValidationError as exc:
        return _link_failed(request, exc, change=True)
    messages.success(request, f"Your address is now {user.email}. Log in with it from now on.")
    if request.user.is_authenticated:
        return redirect("accounts:settings")
    return redirect("accounts:login")


def revert_email_change(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = services.user_revert_email_change(token=token)
    except ValidationError as exc:
        return _link_failed(request, exc, change=True)
    logout(request)
    messages.success(
        request,
        f"Your address is {user.email} again, everyone signed in to your account is logged out "
        "and its password no longer works. Choose a new password: enter your address below.",
    )
    return redirect("accounts:password_reset")


def _link_failed(request: HttpRequest, exc: ValidationError, change: bool = False) -> HttpResponse:
    return render(
        request,
        "accounts/confirm_email_failed.html",
        {
            "error": exc.messages[0],
            "change": change,
            "breadcrumbs": [("Confirm e-mail address", None)],
        },
        status=400,
    )


def _wait_message(user: User, kind: str, address: str, what: str) -> str:
    """Why nothing was sent, and when (on the candidate's clock) they may ask again."""
    retry_at = mail_throttle.mail_retry_at(kind=kind, address=address)
    if retry_at is None:
        return (
            f"You asked for many e-mails in a short time, so we did not send {what}. "
            "Please try again in an hour."
        )
    return (
        f"We sent {what} to {address} a few minutes ago; check your inbox (and spam folder). "
        f"You can ask again after {retry_at.astimezone(zoneinfo.ZoneInfo(user.time_zone)):%H:%M} "
        f"({_minutes_until(retry_at)})."
    )


def _minutes_until(moment) -> str:
    minutes = max(1, math.ceil((moment - timezone.now()).total_seconds() / 60))
    return "in a minute" if minutes == 1 else f"in {minutes} minutes"


def _send_or_report(request: HttpRequest, send, *, success: str, wait: str) -> None:
    try:
        sent = send()
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not send an account e-mail")
        messages.error(
            request, "We could not send the e-mail just now. Please try again in a few minutes."
        )
        return
    if sent:
        messages.success(request, success)
    else:
        messages.info(request, wait)


@require_POST
@login_required
def resend_confirmation(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.email_confirmed:
        messages.info(request, "Your address is already confirmed.")
    else:
        _send_or_report(
            request,
            lambda: services.user_send_confirmation(user=user, ip=mail_throttle.client_ip(request)),
            success=f"We sent a new confirmation link to {user.email}.",
            wait=_wait_message(user, "confirm", user.email, "a confirmation link"),
        )
    return redirect("accounts:settings")


def settings_page(
    request: HttpRequest,
    *,
    form: SettingsForm | None = None,
    email_form: ChangeEmailForm | None = None,
    retention_form: forms.Form | None = None,
) -> HttpResponse:
    """The settings page, with the form the candidate just sent (errors and all) in its place.

    Other apps' settings forms on this page (the review setting) come back through it too, so a
    refused value is shown next to its field, as typed, with a 400.
    """
    user = _user(request)
    sent = [f for f in (form, email_form, retention_form) if f is not None]
    return render(
        request,
        "accounts/settings.html",
        {
            "form": form or SettingsForm.for_user(user),
            "email_form": email_form or ChangeEmailForm(user=user, request=request),
            "retention_form": retention_form,
            # A plan's own switch (its plan settings, or an e-mail's stop link) overrides the
            # account's: the ticked box above said nothing of plans that had stopped.
            "plans_without_reminders": list(
                Enrolment.objects.filter(user=user, reminders_enabled=False)
                .exclude(status=EnrolmentStatus.LEFT)
                .select_related("guide")
                .order_by("guide__company", "guide__role")
            ),
            "calendar_url": request.build_absolute_uri(
                reverse("studyplan:calendar", args=[user.calendar_token])
            ),
            "breadcrumbs": [("Settings", None)],
        },
        status=400 if any(f.errors for f in sent) else 200,
    )


@login_required
def account_settings(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = SettingsForm.for_user(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update_settings(user=user, **form.cleaned_data)
        except ValidationError as exc:
            user.refresh_from_db()
            add_service_errors(form, exc)
        else:
            messages.success(request, "Settings saved.")
            return redirect("accounts:settings")
    return settings_page(request, form=form)


@require_POST
@login_required
def change_email(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ChangeEmailForm(request.POST, user=user, request=request)
    if form.is_valid():
        try:
            services.user_request_email_change(
                user=user, new_email=form.cleaned_data["email"], ip=mail_throttle.client_ip(request)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            # The same answer when another account has the address: its owner is told instead.
            messages.success(
                request,
                f"We sent a link to {user.pending_email}. Your address changes when you open it; "
                f"until then you log in and get reminders at {user.email}.",
            )
            return redirect("accounts:settings")
    return settings_page(request, email_form=form)


@require_POST
@login_required
def resend_email_change(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.pending_email:
        _send_or_report(
            request,
            lambda: services.user_send_email_change(user=user, ip=mail_throttle.client_ip(request)),
            success=f"We sent the link to {user.pending_email} again.",
            wait=_wait_message(user, "change", user.pending_email, "the link"),
        )
    return redirect("accounts:settings")


@require_POST
@login_required
def cancel_email_change(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.pending_email:
        services.user_cancel_email_change(user=user)
        messages.success(request, f"Cancelled: your address stays {user.email}.")
    return redirect("accounts:settings")


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = LockoutPasswordChangeForm

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "request": self.request}


@require_POST
@login_required
def rotate_calendar(request: HttpRequest) -> HttpResponse:
    services.user_rotate_calendar_token(user=_user(request))
    messages.success(
        request,
        "Your calendar has a new private address. Subscribe to it again; "
        "the old one no longer works.",
    )
    return redirect("accounts:settings")


@login_required
def export(request: HttpRequest) -> HttpResponse:
    data = user_export_data(user=_user(request))
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    filename = f"prep-export-{timezone.now():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def delete(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = DeleteAccountForm(request.POST or None, user=user, request=request)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_delete(user=user, password=form.cleaned_data["password"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            logout(request)
            messages.success(
                request,
                "Your account, progress and notes are deleted, and no more reminders will come.",
            )
            return redirect("rounds:home")
    return render(
        request,
        "accounts/delete.html",
        {
            "form": form,
            "breadcrumbs": [("Settings", reverse("accounts:settings")), ("Delete account", None)],
        },
        status=400 if form.errors else 200,
    )
