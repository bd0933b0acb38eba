"""The candidate's mock interviews, for the data export."""

from accounts.models import User

from .models import Mock


def _iso(value):
    return value.isoformat() if value is not None else None


def mocks_export(user: User) -> list[dict]:
    mocks = (
        Mock.objects.of(user)
        .select_related("round__guide")
        .prefetch_related("answers__story", "grades")
        .order_by("started_at", "pk")
    )
    return [
        {
            "guide": mock.round.guide.title,
            "round": mock.round.title,
            "status": mock.status,
            "minutes_per_question": mock.minutes_per_question,
            "started_at": _iso(mock.started_at),
            "finished_at": _iso(mock.finished_at),
            "score": str(mock.score) if mock.score is not None else None,
            "answers": [
                {
                    "question": a.question_text,
                    "notes": a.notes,
                    "story": a.story.title if a.story else None,
                    "shown_at": _iso(a.shown_at),
                    "answered_at": _iso(a.answered_at),
                    "seconds_taken": a.seconds_taken,
                    "timed_out": a.timed_out,
                    "outcome": a.outcome or None,
                }
                for a in mock.answers.all()
            ],
            "grades": [
                {"criterion": g.criterion, "score": g.score, "reason": g.reason}
                for g in mock.grades.all()
            ],
        }
        for mock in mocks
    ]
