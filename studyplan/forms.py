import datetime

from django import forms

from accounts.forms import TimeZoneField
from rounds.models import Region

from .models import RoundResult
from .replanning import ReplanMode


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


DATE_ERRORS = {"invalid": "Enter a date such as 2026-03-02."}


class EnrolForm(forms.Form):
    start_date = forms.DateField(
        label="Start date",
        widget=DateInput(),
        error_messages=DATE_ERRORS,
        help_text="Day one of week 1. Defaults to next Monday.",
    )
    region = forms.ModelChoiceField(
        label="Region",
        queryset=Region.objects.all(),
        required=False,
        empty_label="No particular region",
        help_text="Where you interview; its focus, questions and tips come first.",
    )
    time_zone = TimeZoneField(
        required=False,
        help_text="Your study weeks and reminders follow it; it is also your account's time zone.",
    )
    target_interview_date = forms.DateField(
        label="Interview date (optional)",
        widget=DateInput(),
        required=False,
        error_messages=DATE_ERRORS,
        help_text="If you know it, the plan is fitted to it: it ends the day before.",
    )

    def __init__(self, *args, today: datetime.date | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if today is not None:
            # Browsers offer only sensible dates; the service still checks, for the API too.
            reach = datetime.timedelta(days=365)
            self.fields["start_date"].widget.attrs.update(
                {"min": (today - reach).isoformat(), "max": (today + reach).isoformat()}
            )
            self.fields["target_interview_date"].widget.attrs["min"] = today.isoformat()


class EnrolmentSettingsForm(forms.Form):
    region = EnrolForm.base_fields["region"]
    target_interview_date = EnrolForm.base_fields["target_interview_date"]
    reminders_enabled = forms.BooleanField(
        label="E-mail me weekly reminders for this plan", required=False, label_suffix=""
    )


class ReplanForm(forms.Form):
    mode = forms.ChoiceField(
        label="How to re-plan",
        choices=ReplanMode.CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how to re-plan.",
            "invalid_choice": "Choose how to re-plan.",
        },
    )
    target_interview_date = forms.DateField(
        label="Interview date",
        widget=DateInput(),
        required=False,
        error_messages=DATE_ERRORS,
        help_text="Needed to fit the plan to your interview; the plan then ends the day before.",
    )


class TaskToggleForm(forms.Form):
    done = forms.TypedChoiceField(
        choices=[("1", "done"), ("0", "not done")],
        coerce=lambda value: value == "1",
        error_messages={"required": "Say whether the task is done."},
    )


class RoundBookingForm(forms.Form):
    date = forms.DateField(
        label="Day",
        widget=DateInput(),
        error_messages={**DATE_ERRORS, "required": "Enter the day."},
    )
    time = forms.TimeField(
        label="Time (optional)",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": "Enter a time such as 14:30."},
        help_text="Your local time.",
    )
    result = forms.ChoiceField(
        label="Result",
        choices=RoundResult.choices,
        required=False,
        error_messages={"invalid_choice": "Choose how the round went."},
    )
