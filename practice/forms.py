from django import forms

from .models import NOTE_MAX_LENGTH, PracticeStatus


def note_field(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
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
    star_situation = note_field("Situation", "The context: where, when, who.")
    star_task = note_field("Task", "What you had to achieve.")
    star_action = note_field("Action", "What you did, in your own words.")
    star_result = note_field("Result", "The outcome, in numbers where you can.")

    def __init__(self, *args, use_star: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not use_star:
            for name in ("star_situation", "star_task", "star_action", "star_result"):
                del self.fields[name]
