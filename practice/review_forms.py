from django import forms

from .review_models import RETENTION_MAX, RETENTION_MIN, Rating


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        choices=Rating.choices,
        coerce=int,
        error_messages={
            "required": "Choose Again, Hard, Good or Easy.",
            "invalid_choice": "Choose Again, Hard, Good or Easy.",
        },
    )


class RetentionForm(forms.Form):
    desired_retention = forms.FloatField(
        label="Desired retention",
        min_value=RETENTION_MIN,
        max_value=RETENTION_MAX,
        widget=forms.NumberInput(attrs={"step": "0.01"}),
        help_text=(
            f"How likely you want to be to recall an answer when its review falls due, from "
            f"{RETENTION_MIN:.2f} to {RETENTION_MAX:.2f}. Higher means more frequent reviews; "
            "0.90 suits most candidates."
        ),
    )
