"""The signed-in candidate's practice marks on the public question lists.

Public pages are rendered afresh for signed-in visitors (the page cache serves and stores only
anonymous ones), so a mark is never shown to anyone else.
"""

import datetime

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

from practice.models import PracticeMark, QuestionProgress

register = template.Library()


class PracticeMarks:
    """Marks of the questions a page lists; false for anonymous visitors, who see none."""

    def __init__(self, marks: dict[int, PracticeMark] | None = None) -> None:
        self.marks = marks

    def __bool__(self) -> bool:
        return self.marks is not None

    def get(self, question_id: int) -> PracticeMark | None:
        return self.marks.get(question_id) if self.marks is not None else None


@register.simple_tag(takes_context=True)
def practice_marks(context, *question_lists) -> PracticeMarks:
    """The candidate's mark on every question of the lists given, in one query:
    {% practice_marks questions me.region_questions as marks %}."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return PracticeMarks()
    ids = [question.pk for questions in question_lists if questions for question in questions]
    return PracticeMarks(QuestionProgress.objects.of(user).marks_for(ids))


@register.filter
def mark_for(marks: PracticeMarks, question_id: int) -> PracticeMark | None:
    return marks.get(question_id) if isinstance(marks, PracticeMarks) else None


@register.filter
def practised_ago(moment: datetime.datetime | None) -> str:
    """ "Practised 3 days ago", or "Practised just now" within the last minute."""
    if moment is None:
        return ""
    if timezone.now() - moment < datetime.timedelta(minutes=1):
        return "Practised just now"
    return f"Practised {timesince(moment, depth=1)} ago"
