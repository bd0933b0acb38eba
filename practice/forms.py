from django import forms

from prep.multiline import MultilineField

from .models import NOTE_MAX_LENGTH, PracticeStatus


def note_field(label: str, help_text: str = "") -> MultilineField:
    return MultilineField(
        label=label,
        required=False,
        strip=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=help_text,
        error_messages={
            "max_length": (
                "Keep this note under %(limit_value)s characters (it has %(show_value)s); "
                "nothing was saved."
            )
        },
    )


class PracticeForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=PracticeStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose new, practised or confident."},
    )
    answer_draft = note_field("Answer draft", "Private: only you can read your notes.")
