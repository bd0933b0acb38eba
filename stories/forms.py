from django import forms

from prep.multiline import MultilineField
from rounds.models import EvaluationCriterion

from .models import STORY_TAGS_MAX_LENGTH, STORY_TEXT_MAX_LENGTH, STORY_TITLE_MAX_LENGTH


def _text(label: str, help_text: str) -> MultilineField:
    return MultilineField(
        label=label,
        required=False,
        strip=False,
        max_length=STORY_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=help_text,
    )


class CriterionChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: EvaluationCriterion) -> str:
        return f"{obj.title} ({obj.guide.title})"


class StoryForm(forms.Form):
    title = forms.CharField(
        max_length=STORY_TITLE_MAX_LENGTH, help_text="A short name to pick the story by."
    )
    situation = _text("Situation", "The context: where, when, who.")
    task = _text("Task", "What you had to achieve.")
    action = _text("Action", "What you did, in your own words.")
    result = _text("Result", "The outcome, in numbers where you can.")
    reflection = _text("Reflection", "What you learned, and what you would do differently.")
    tags = forms.CharField(
        required=False,
        max_length=STORY_TAGS_MAX_LENGTH,
        help_text="Your own words, separated by commas, e.g. hiring, conflict, scale.",
    )
    criteria = CriterionChoice(
        label="Evaluation criteria it shows",
        queryset=EvaluationCriterion.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The criteria of the guides you follow that this story gives evidence for.",
    )

    def __init__(self, *args, criteria=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["criteria"].queryset = (
            criteria if criteria is not None else EvaluationCriterion.objects.none()
        )


class StoryPickForm(forms.Form):
    """Use one of the candidate's stories for a question (the practice page, a mock)."""

    story = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    question = forms.IntegerField(min_value=1, max_value=2**31 - 1)
