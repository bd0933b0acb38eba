from django import forms

from prep.multiline import MultilineField

from .models import (
    ANSWER_MAX_LENGTH,
    MINUTES_MAX,
    MINUTES_MIN,
    QUESTIONS_DEFAULT,
    QUESTIONS_MAX,
    QUESTIONS_MIN,
    REASON_MAX_LENGTH,
    MockAnswer,
    Outcome,
)

SCORE_CHOICES = [
    (1, "1 — not shown"),
    (2, "2 — partly"),
    (3, "3 — clearly"),
    (4, "4 — strongly"),
]


class MockStartForm(forms.Form):
    questions = forms.IntegerField(
        label="Number of questions",
        min_value=QUESTIONS_MIN,
        max_value=QUESTIONS_MAX,
        initial=QUESTIONS_DEFAULT,
        help_text=f"From {QUESTIONS_MIN} to {QUESTIONS_MAX}.",
    )
    minutes = forms.IntegerField(
        label="Minutes per question",
        min_value=MINUTES_MIN,
        max_value=MINUTES_MAX,
        help_text=f"From {MINUTES_MIN} to {MINUTES_MAX}.",
    )


class MockAnswerForm(forms.Form):
    answer = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    notes = MultilineField(
        label="Your answer notes",
        required=False,
        strip=False,
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Saved even when the time is up.",
    )
    story = forms.TypedChoiceField(
        label="Use one of your stories",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="Instead of retyping it; it is linked to this question.",
    )

    def __init__(self, *args, stories=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["story"].choices = [("", "No story"), *((s.pk, s.title) for s in stories)]
        if not stories:
            del self.fields["story"]


class MockGradeForm(forms.Form):
    """A 1–4 grade and a reason per criterion, and an outcome per question."""

    def __init__(self, *args, criteria: list[str], answers: list[MockAnswer], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.answers = answers
        for n, criterion in enumerate(criteria):
            self.fields[f"score_{n}"] = forms.TypedChoiceField(
                label=criterion, choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect
            )
            self.fields[f"reason_{n}"] = forms.CharField(label="Why", max_length=REASON_MAX_LENGTH)
        for answer in answers:
            self.fields[f"outcome_{answer.pk}"] = forms.ChoiceField(
                label=answer.question_text, choices=Outcome.choices, widget=forms.RadioSelect
            )

    def criterion_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"score_{n}"], self[f"reason_{n}"]) for n in range(len(self.criteria))]

    def outcome_fields(self) -> list[tuple[MockAnswer, forms.BoundField]]:
        return [(a, self[f"outcome_{a.pk}"]) for a in self.answers]

    def grades(self) -> list[tuple[int, str]]:
        data = self.cleaned_data
        return [(data[f"score_{n}"], data[f"reason_{n}"]) for n in range(len(self.criteria))]

    def outcomes(self) -> dict[int, str]:
        return {a.pk: self.cleaned_data[f"outcome_{a.pk}"] for a in self.answers}
