from django import forms

from .api_tokens import NAME_MAX_LENGTH


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=NAME_MAX_LENGTH,
        help_text="What will use it, so you know which to revoke later, e.g. “Phone”.",
    )
