"""Everything Prep holds about a candidate, as one JSON-ready document."""

import datetime
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from mocks.export import mocks_export
from practice.models import QuestionProgress
from practice.review import review_export
from stories.export import stories_export
from studyplan.models import Enrolment, EnrolmentPeriod, RoundBooking, TaskProgress

from .models import ApiToken, User

# 2: question notes lost their "star" object; STAR text is exported with the stories.
EXPORT_VERSION = 2


def _iso(value: datetime.date | datetime.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def user_export_data(*, user: User) -> dict[str, Any]:
    """Everything kept about the candidate: profile, plans and ticks, notes, reviews, stories,
    mock interviews and API keys (names and dates, never the keys)."""
    enrolments = (
        Enrolment.objects.filter(user=user)
        .select_related("guide", "region")
        .prefetch_related(
            Prefetch("periods", queryset=EnrolmentPeriod.objects.select_related("block")),
            Prefetch("bookings", queryset=RoundBooking.objects.select_related("round")),
        )
    )
    ticks = (
        TaskProgress.objects.filter(enrolment__user=user)
        .select_related("task__block")
        .order_by("enrolment_id", "task__block__start_week", "task__order")
    )
    ticks_by_enrolment: dict[int, list[dict[str, Any]]] = {}
    for tick in ticks:
        ticks_by_enrolment.setdefault(tick.enrolment_id, []).append(
            {
                "task": tick.task.text,
                "block": tick.task.block.title,
                "weeks": tick.task.block.weeks_label,
                "done_at": _iso(tick.done_at),
            }
        )
    notes = QuestionProgress.objects.filter(user=user).select_related("guide", "question")
    return {
        "format": "prep-export",
        "version": EXPORT_VERSION,
        "exported_at": _iso(timezone.now()),
        "profile": {
            "email": user.email,
            "pending_email": user.pending_email or None,
            "email_confirmed_at": _iso(user.email_confirmed_at),
            "display_name": user.display_name,
            "time_zone": user.time_zone,
            "region": user.region.name if user.region else None,
            "reminders_enabled": user.reminders_enabled,
            "reminder_weekday": user.get_reminder_weekday_display(),
            "reminder_hour": user.reminder_hour,
            "date_joined": _iso(user.date_joined),
        },
        "enrolments": [
            {
                "guide": enrolment.guide.title,
                "guide_slug": enrolment.guide.slug,
                "status": enrolment.status,
                "start_date": _iso(enrolment.start_date),
                "target_interview_date": _iso(enrolment.target_interview_date),
                "region": enrolment.region.name if enrolment.region else None,
                "reminders_enabled": enrolment.reminders_enabled,
                "reminders_off_at": _iso(enrolment.reminders_off_at),
                "enrolled_at": _iso(enrolment.created_at),
                "tasks_done": ticks_by_enrolment.get(enrolment.pk, []),
                # Only for a plan fitted to an interview; otherwise weeks run from start_date.
                "study_periods": [
                    {
                        "block": period.block.title,
                        "start_date": _iso(period.start_date),
                        "end_date": _iso(period.end_date),
                    }
                    for period in enrolment.periods.all()
                ],
                "round_dates": [
                    {
                        "round": booking.round.title,
                        "date": _iso(booking.date),
                        "time": booking.time.strftime("%H:%M") if booking.time else None,
                        "time_zone": booking.time_zone,
                        "result": booking.result or None,
                    }
                    for booking in enrolment.bookings.all()
                ],
            }
            for enrolment in enrolments
        ],
        "question_notes": [
            {
                "question": note.question_text,
                "guide": note.guide.title if note.guide else note.guide_title or None,
                "question_still_published": bool(note.question and note.question.is_published),
                "status": note.status,
                "last_practised_at": _iso(note.last_practised_at),
                "answer_draft": note.answer_draft,
                "updated_at": _iso(note.updated_at),
            }
            for note in notes
        ],
        "spaced_review": review_export(user),
        "stories": stories_export(user),
        "mock_interviews": mocks_export(user),
        # Keys are never stored, so only what identifies each token can be exported.
        "api_tokens": [
            {"name": token.name, "starts_with": token.hint, "created_at": _iso(token.created_at)}
            for token in ApiToken.objects.filter(user=user)
        ],
    }
