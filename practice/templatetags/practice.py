"""The signed-in candidate's practice marks on the public question lists.

A signed-in visitor's list is built for them alone and kept only under their own session and
version (prep.caching.cache_candidate_page), so a mark is never shown to anyone else.
"""

import datetime
import zoneinfo

from django import template
from django.utils import timezone

from practice.models import PracticeMark, QuestionProgress

register = template.Library()


class PracticeMarks:
    """Marks of the questions a page lists; false for anonymous visitors, who see none."""

    def __init__(
        self, marks: dict[int, PracticeMark] | None = None, time_zone: str | None = None
    ) -> None:
        self.marks = marks
        # The candidate's zone: "today" and "yesterday" are their calendar days.
        self.time_zone = time_zone

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
    return PracticeMarks(QuestionProgress.objects.of(user).marks_for(ids), user.time_zone)


@register.filter
def mark_for(marks: PracticeMarks, question_id: int) -> PracticeMark | None:
    return marks.get(question_id) if isinstance(marks, PracticeMarks) else None


@register.filter
def practised_ago(moment: datetime.datetime | None, marks: PracticeMarks | None = None) -> str:
    """ "Practised today", "yesterday", "3 days ago" or "on 12 Nov", by the candidate's calendar.

    Whole days rather than minutes: a signed-in list is kept for the hour it was built in (see
    prep.caching.cache_candidate_page), and a day-grained phrase stays true all that hour, where
    "just now" would not.
    """
    if moment is None:
        return ""
    zone_name = getattr(marks, "time_zone", None)
    zone = zoneinfo.ZoneInfo(zone_name) if zone_name else timezone.get_current_timezone()
    day = moment.astimezone(zone).date()
    today = timezone.now().astimezone(zone).date()
    days = (today - day).days
    if days <= 0:
        return "Practised today"
    if days == 1:
        return "Practised yesterday"
    if days < 7:
        return f"Practised {days}\xa0days ago"
    if day.year == today.year:
        return f"Practised on {day.day}\xa0{day:%b}"
    return f"Practised on {day.day}\xa0{day:%b %Y}"
