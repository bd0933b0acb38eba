import json
import logging
import smtplib

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import services
from .export import user_export_data
from .forms import DeleteAccountForm, SettingsForm, SignupForm, add_service_errors
from .models import User

logger = logging.getLogger(__name__)

RESEND_COOLDOWN_SECONDS = 60


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("studyplan:dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                display_name=form.cleaned_data["display_name"],
                time_zone=form.cleaned_data["time_zone"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, rename={"password": "password1"})
        else:
            # The backend is named because django-axes adds a second one.
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                f"Welcome to Prep. We sent a link to {user.email}: "
                "open it to confirm your address and receive study reminders.",
            )
            return redirect("studyplan:dashboard")
    return render(
        request,
        "accounts/signup.html",
        {"form": form, "breadcrumbs": [("Sign up", None)]},
    )


def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = services.user_confirm_email(token=token)
    except ValidationError as exc:
        return render(
            request,
            "accounts/confirm_email_failed.html",
            {"error": exc.messages[0], "breadcrumbs": [("Confirm e-mail address", None)]},
            status=400,
        )
    messages.success(request, f"Thank you: {user.email} is confirmed.")
    if request.user.is_authenticated:
        return redirect("accounts:settings")
    return redirect("accounts:login")


@require_POST
@login_required
def resend_confirmation(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.email_confirmed:
        messages.info(request, "Your address is already confirmed.")
    elif not cache.add(f"accounts:confirm-resend:{user.pk}", True, RESEND_COOLDOWN_SECONDS):
        # A second click within the minute would only fill the candidate's inbox.
        messages.info(
            request,
            f"We sent a link to {user.email} less than a minute ago; check your inbox "
            "(and spam folder) before asking again.",
        )
    else:
        try:
            services.user_send_confirmation(user=user)
        except (smtplib.SMTPException, OSError):
            logger.exception("Could not send a confirmation e-mail")
            messages.error(
                request,
                "We could not send the e-mail just now. Please try again in a few minutes.",
            )
        else:
            messages.success(request, f"We sent a new confirmation link to {user.email}.")
    return redirect("accounts:settings")


@login_required
def account_settings(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = SettingsForm.for_user(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        old_email = user.email
        try:
            services.user_update_settings(user=user, **form.cleaned_data)
        except ValidationError as exc:
            user.refresh_from_db()
            add_service_errors(form, exc)
        else:
            if user.email != old_email:
                messages.success(
                    request,
                    f"Settings saved. We sent a link to {user.email}: "
                    "reminders resume once you confirm it.",
                )
            else:
                messages.success(request, "Settings saved.")
            return redirect("accounts:settings")
    return render(
        request,
        "accounts/settings.html",
        {
            "form": form,
            "calendar_url": request.build_absolute_uri(
                reverse("studyplan:calendar", args=[user.calendar_token])
            ),
            "breadcrumbs": [("Settings", None)],
        },
    )


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
    form = DeleteAccountForm(request.POST or None)
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
    )
