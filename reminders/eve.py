"""The eve-of-round e-mail: the evening before a booked round, everything to look over once more.

Due at 18:00 on the candidate's wall clock the day before the round (`RoundBooking.eve_at`, kept
in UTC by studyplan/), or later that evening at the candidate's reminder hour when they chose an
hour after 18:00 (`eve_send_at`); never on the round's day. The dispatcher of the weekly e-mails
finds it, so it goes the same way: a delivery row first (one per booked round, by a unique
constraint), then the send task and SMTP. It gathers the round's questions with the candidate's
status on each, their answer drafts and the stories they linked to them (in STAR form), and what
the round is judged on:
the round's own evaluation criteria, or the guide's when the round lists none.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from practice.models import PracticeStatus, QuestionProgress
from practice.review_models import ReviewCard, local_day_bounds
from questions.models import Question
from rounds.models import EvaluationCriterion
from rounds.text import content_lines
from stories.models import Story
from studyplan.models import EVE_HOUR, RoundBooking, RoundResult

from .models import DeliveryStatus, ReminderDelivery, ReminderKind


def eve_send_at(eve_at: datetime.datetime, reminder_hour: int) -> datetime.datetime:
    """When the eve e-mail goes: 18:00 the evening before, or the candidate's later hour.

    `eve_at` is 18:00 on their clock; no daylight-saving change falls between 18:00 and midnight
    in any zone that changes at night, so the later hour is the same number of hours on.
    """
    return eve_at + datetime.timedelta(hours=max(reminder_hour - EVE_HOUR, 0))


def eve_dispatch(*, now: datetime.datetime) -> list[int]:
    """Record the eve e-mail of every round whose evening before is now; the new rows' ids.

    Only for candidates who get reminders at all (the same rules as the weekly e-mails).
    """
    due = (
        RoundBooking.objects.eve_due(now=now)
        .filter(
            enrolment__reminders_enabled=True,
            enrolment__user__is_active=True,
            enrolment__user__reminders_enabled=True,
            enrolment__user__email_confirmed_at__isnull=False,
        )
        .exclude(
            Exists(
                ReminderDelivery.objects.filter(
                    kind=ReminderKind.EVE,
                    enrolment_id=OuterRef("enrolment_id"),
                    round_id=OuterRef("round_id"),
                )
            )
        )
        .values_list("enrolment_id", "round_id", "eve_at", "enrolment__user__reminder_hour")
    )
    wanted = [
        (enrolment_id, round_id, eve_send_at(eve_at, hour))
        for enrolment_id, round_id, eve_at, hour in due
        if eve_send_at(eve_at, hour) <= now
    ]
    if not wanted:
        return []
    queued_at = timezone.now()
    with transaction.atomic():
        # ignore_conflicts: a second dispatch at the same moment inserts the same rows; the
        # unique constraint keeps one.
        ReminderDelivery.objects.bulk_create(
            [
                ReminderDelivery(
                    enrolment_id=enrolment_id,
                    kind=ReminderKind.EVE,
                    round_id=round_id,
                    due_at=send_at,
                    queued_at=queued_at,
                )
                for enrolment_id, round_id, send_at in wanted
            ],
            ignore_conflicts=True,
        )
        pairs = Q(pk__in=[])
        for enrolment_id, round_id, _ in wanted:
            pairs |= Q(enrolment_id=enrolment_id, round_id=round_id)
        return list(
            ReminderDelivery.objects.filter(
                pairs, kind=ReminderKind.EVE, status=DeliveryStatus.PENDING, attempts=0
            ).values_list("pk", flat=True)
        )


@dataclass
class EveQuestion:
    """One of the round's questions with what the candidate has made of it."""

    question: Question
    status: str  # "New", "Practised", "Confident"
    due_for_review: bool
    notes: QuestionProgress | None
    stories: list[Story]

    @property
    def draft(self) -> str:
        return self.notes.answer_draft.strip() if self.notes else ""


def booking_for(delivery: ReminderDelivery) -> RoundBooking | None:
    """The booking an eve delivery is about, if the round is still booked and still to come."""
    if delivery.round_id is None:
        return None
    return (
        RoundBooking.objects.filter(
            enrolment_id=delivery.enrolment_id,
            round_id=delivery.round_id,
            result=RoundResult.UPCOMING,
        )
        .select_related("round__guide")
        .first()
    )


def eve_context(delivery: ReminderDelivery, booking: RoundBooking) -> dict:
    """What the eve e-mail shows, in five queries whatever the number of questions."""
    enrolment, rnd = delivery.enrolment, booking.round
    user = enrolment.user
    region_id = enrolment.region_id or user.region_id
    questions = list(
        Question.objects.published()
        .filter(round=rnd)
        .filter(Q(region__isnull=True) | Q(region_id=region_id))
        .select_related("guide", "round")
        .order_by("order", "id")
    )
    notes = {
        progress.question_id: progress
        for progress in QuestionProgress.objects.filter(
            user_id=user.pk, question__in=[q.pk for q in questions]
        )
    }
    # The candidate's stories are the one home of their STAR text: each linked question shows it.
    stories: dict[int, list[Story]] = {}
    links = (
        Story.questions.through.objects.filter(
            story__user_id=user.pk, question_id__in=[q.pk for q in questions]
        )
        .select_related("story")
        .order_by("story__title", "story_id")
    )
    for link in links:
        stories.setdefault(link.question_id, []).append(link.story)
    # Due for review by the round's day: worth one more look tonight.
    _, day_end = local_day_bounds(user.time_zone, booking.date)
    due = set(
        ReviewCard.objects.filter(
            user_id=user.pk, question__in=[q.pk for q in questions], due__lt=day_end
        ).values_list("question_id", flat=True)
    )
    labels = dict(PracticeStatus.choices)
    rows = [
        EveQuestion(
            question=q,
            status=labels[notes[q.pk].status] if q.pk in notes else labels[PracticeStatus.NEW],
            due_for_review=q.pk in due,
            notes=notes.get(q.pk),
            stories=stories.get(q.pk, []),
        )
        for q in questions
    ]
    criteria = content_lines(rnd.evaluation_criteria)
    criteria_are_the_guides = False
    if not criteria:
        criteria = [
            f"{c.title}: {c.description}" if c.description else c.title
            for c in EvaluationCriterion.objects.filter(guide_id=rnd.guide_id).order_by("order")
        ]
        criteria_are_the_guides = True
    return {
        "booking": booking,
        "round": rnd,
        "eve_questions": rows,
        "practised_count": sum(1 for row in rows if row.notes and row.status != "New"),
        "criteria": criteria,
        "criteria_are_the_guides": criteria_are_the_guides,
    }
