import logging
import smtplib

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.http import HttpRequest
from django.template import loader

from rounds.models import Region

from . import mail_throttle
from .models import User, Weekday
from .services import MAX_EMAIL_LENGTH
from .time_zones import canonical_time_zones, time_zone_choices
from .validators import known_time_zones

logger = logging.getLogger(__name__)


def hour_choices() -> list[tuple[int, str]]:
    return [(hour, f"{hour:02d}:00") for hour in range(24)]


def add_service_errors(
    form: forms.Form, exc: ValidationError, *, rename: dict[str, str] | None = None
) -> None:
    """Show a service's ValidationError on the form, next to the field it is about."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        name = (rename or {}).get(name, name)
        form.add_error(name if name in form.fields else None, errors)


class TimeZoneField(forms.ChoiceField):
    """Common zones first, then every canonical one; aliases are accepted but not offered."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", "Time zone")
        kwargs.setdefault("help_text", "Your study weeks and reminders follow this time zone.")
        super().__init__(choices=time_zone_choices, **kwargs)
        self.error_messages["invalid_choice"] = (
            "“%(value)s” is not a time zone we know. Use an IANA name such as Europe/London."
        )

    def valid_value(self, value: str) -> bool:
        # An alias saved before the picker hid them (Asia/Calcutta) still saves unchanged.
        return value in known_time_zones()

    def keep_current(self, zone: str | None) -> None:
        """Offer `zone` too when it is an alias, so the form shows what is saved."""
        if zone and zone not in canonical_time_zones() and zone in known_time_zones():
            self.choices = [("Your current time zone", [(zone, zone.replace("_", " "))])] + list(
                time_zone_choices()
            )


class EmailAuthenticationForm(AuthenticationForm):
    """Django's login form, asking for the e-mail address the account was made with."""

    username = forms.EmailField(
        label="E-mail address",
        max_length=MAX_EMAIL_LENGTH,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": (
            "That e-mail address and password do not match an account. "
            "Check both; the password is case-sensitive."
        ),
    }


class SignupForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        max_length=MAX_EMAIL_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="You log in with it; we send a link to confirm it.",
    )
    display_name = forms.CharField(
        label="Your name", max_length=80, required=False, help_text="Optional."
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    # The browser's own zone replaces UTC when JavaScript runs (static/js/candidate-timezone.js).
    time_zone = TimeZoneField(
        initial="UTC", widget=forms.Select(attrs={"data-guess-time-zone": "true"})
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", "The two passwords differ; type the same one twice.")
        return cleaned


def reminder_rule(*, weekday: str, hour: int) -> str:
    """When weekly e-mails come, in words (the rule is studyplan.schedule.week_reminder_day)."""
    return (
        f"Weekly e-mails come at {hour:02d}:00 on the first day of the study week they are "
        f"about, never later: on {weekday}s when your study weeks start on a {weekday}. If "
        f"{weekday} falls later in a study week, that week's e-mail comes on its first day "
        "instead."
    )


class SettingsForm(forms.Form):
    display_name = forms.CharField(label="Your name", max_length=80, required=False)
    time_zone = TimeZoneField()
    region = forms.ModelChoiceField(
        label="Region",
        queryset=Region.objects.all(),
        required=False,
        empty_label="No particular region",
        help_text="Guides show this region's interview focus, questions and tips first. A plan "
        "you follow has its own region, in its plan settings.",
    )
    reminders_enabled = forms.BooleanField(
        label="E-mail me a weekly study reminder", required=False, label_suffix=""
    )
    reminder_weekday = forms.TypedChoiceField(
        label="Reminder day", choices=Weekday.choices, coerce=int
    )
    reminder_hour = forms.TypedChoiceField(
        label="Reminder time (your local time)", choices=hour_choices, coerce=int
    )

    @classmethod
    def for_user(cls, user: User, data=None) -> "SettingsForm":
        initial = {
            "display_name": user.display_name,
            "time_zone": user.time_zone,
            "region": user.region_id,
            "reminders_enabled": user.reminders_enabled,
            "reminder_weekday": user.reminder_weekday,
            "reminder_hour": user.reminder_hour,
        }
        form = cls(data=data, initial=initial)
        form.fields["time_zone"].keep_current(user.time_zone)
        form.fields["reminder_weekday"].help_text = reminder_rule(
            weekday=Weekday(user.reminder_weekday).label, hour=user.reminder_hour
        )
        return form


class PasswordCheckForm(forms.Form):
    """A form that asks for the signed-in user's password before a change that matters.

    Checked through authenticate(), so wrong guesses count towards the same django-axes lockout
    as the login form: a stolen session cannot be used to try passwords here without limit.
    """

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="To be sure it is you.",
    )
    wrong_password_message = "That password is not right."

    def __init__(self, *args, user: User, request: HttpRequest, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        checked = authenticate(self.request, username=self.user.email, password=password)
        if checked is None or checked.pk != self.user.pk:
            raise ValidationError(self.wrong_password_message, code="wrong_password")
        return password


class ChangeEmailForm(PasswordCheckForm):
    email = forms.EmailField(
        label="New e-mail address",
        max_length=MAX_EMAIL_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="We e-mail a link to it; your address changes when you open the link.",
    )
    wrong_password_message = "That password is not right; your address is unchanged."
    field_order = ["email", "password"]


class DeleteAccountForm(PasswordCheckForm):
    wrong_password_message = "That password is not right; nothing was deleted."


class LockoutPasswordChangeForm(PasswordChangeForm):
    """Django's password change form, whose old password counts towards the login lockout."""

    def __init__(self, user: User, *args, request: HttpRequest, **kwargs) -> None:
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean_old_password(self) -> str:
        old_password = self.cleaned_data["old_password"]
        checked = authenticate(self.request, username=self.user.email, password=old_password)
        if checked is None or checked.pk != self.user.pk:
            raise ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


class ThrottledPasswordResetForm(PasswordResetForm):
    """Django's reset form, sending at most one e-mail per address (and few per client) at once.

    The page answers the same whether or not it sent anything, so it reveals neither whether the
    address has an account nor whether it was e-mailed a moment ago.
    """

    def save(self, *args, request: HttpRequest | None = None, **kwargs) -> None:
        address = self.cleaned_data["email"]
        if mail_throttle.mail_allowed(
            kind="reset", address=address, ip=mail_throttle.client_ip(request)
        ):
            super().save(*args, request=request, **kwargs)

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict,
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        # Django's own send_mail logs a failure and carries on; this one also gives the throttle
        # slot back, so asking again works as soon as the mail server is back. The page answers
        # the same as ever: it never says whether mail went out.
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        message = EmailMultiAlternatives(
            subject, loader.render_to_string(email_template_name, context), from_email, [to_email]
        )
        if html_email_template_name is not None:
            message.attach_alternative(
                loader.render_to_string(html_email_template_name, context), "text/html"
            )
        try:
            message.send()
        except (smtplib.SMTPException, OSError):
            mail_throttle.mail_release(kind="reset", address=to_email)
            logger.warning("Could not send a password reset e-mail", exc_info=True)
