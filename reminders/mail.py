"""The reminder e-mails themselves: context, templates and RFC 8058 unsubscribe headers."""

import datetime
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import Weekday
from practice.models import PracticeStatus, QuestionProgress
from questions.models import Question
from studyplan.models import Enrolment, StudyBlock, StudyTask, TaskProgress

from .models import ReminderDelivery, ReminderKind

# A salt of its own, so a token signed for anything else (e-mail confirmation, calendar links)
# can never unsubscribe anyone. Unchanged since the move from studyplan/: links in e-mails already
# sent must keep working.
UNSUBSCRIBE_SALT = "studyplan.reminders.unsubscribe"
QUESTIONS_PER_EMAIL = 3
TEMPLATES = {
    ReminderKind.WELCOME: "reminders/email/welcome",
    ReminderKind.WEEK: "reminders/email/week_reminder",
    ReminderKind.FINAL: "reminders/email/final",
}


def unsubscribe_token_make(*, enrolment_id: int) -> str:
    """A signed, login-free token that turns reminders off for one enrolment."""
    return signing.dumps({"e": enrolment_id}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_token_verify(*, token: str) -> int | None:
    """The enrolment id the token was made for, or None when it is forged or altered."""
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    enrolment_id = payload.get("e") if isinstance(payload, dict) else None
    return enrolment_id if isinstance(enrolment_id, int) else None


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def unsubscribe_url(enrolment_id: int) -> str:
    token = unsubscribe_token_make(enrolment_id=enrolment_id)
    return absolute(reverse("reminders:unsubscribe", kwargs={"token": token}))


@dataclass
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


PRACTISED = [PracticeStatus.PRACTISED, PracticeStatus.CONFIDENT]


def chunk_shared(delivery_ids: list[int]) -> dict:
    """Progress and practice data for a whole chunk of e-mails in five queries, not two per e-mail.

    Read before any delivery is locked, so a task ticked off a second later shows next week.
    """
    rows = list(
        ReminderDelivery.objects.filter(pk__in=delivery_ids).values_list(
            "enrolment_id", "enrolment__guide_id", "enrolment__user_id"
        )
    )
    if not rows:
        return {}
    guide_ids = {guide_id for _, guide_id, _ in rows}
    totals = dict(
        StudyTask.objects.filter(block__guide_id__in=guide_ids)
        .values_list("block__guide_id")
        .annotate(n=Count("id"))
    )
    done = dict(
        TaskProgress.objects.filter(enrolment_id__in={r[0] for r in rows})
        .values_list("enrolment_id")
        .annotate(n=Count("id"))
    )
    practised: dict[int, set[int]] = {user_id: set() for _, _, user_id in rows}
    for user_id, question_id in QuestionProgress.objects.filter(
        user_id__in=practised, status__in=PRACTISED, question__isnull=False
    ).values_list("user_id", "question_id"):
        practised[user_id].add(question_id)
    shared: dict = {("practised", user_id): ids for user_id, ids in practised.items()}
    for guide_id in guide_ids:
        shared["questions", guide_id] = []
    for question in (
        Question.objects.published()
        .filter(guide_id__in=guide_ids)
        .select_related("guide", "round")
        .order_by("round__order", "order", "id")
    ):
        shared["questions", question.guide_id].append(question)
    for enrolment_id, guide_id, _ in rows:
        shared["progress", enrolment_id] = Progress(
            done=done.get(enrolment_id, 0), total=totals.get(guide_id, 0)
        )
    return shared


def plan_progress(enrolment: Enrolment, shared: dict | None = None) -> Progress:
    """Tasks ticked off out of all tasks in the plan, in one query."""
    if shared and ("progress", enrolment.pk) in shared:
        return shared["progress", enrolment.pk]
    counts = StudyTask.objects.filter(block__guide_id=enrolment.guide_id).aggregate(
        total=Count("id", distinct=True),
        done=Count("id", distinct=True, filter=Q(progress__enrolment_id=enrolment.pk)),
    )
    return Progress(done=counts["done"], total=counts["total"])


def questions_to_practise(enrolment: Enrolment, shared: dict | None = None) -> list[Question]:
    """A few published questions the candidate has not practised yet, in interview-round order.

    Questions of another region are left out: they would not come up in this candidate's
    interviews.
    """
    region_id = enrolment.region_id or enrolment.user.region_id
    if shared and ("questions", enrolment.guide_id) in shared:
        done = shared.get(("practised", enrolment.user_id), set())
        return [
            question
            for question in shared["questions", enrolment.guide_id]
            if question.region_id in (None, region_id) and question.pk not in done
        ][:QUESTIONS_PER_EMAIL]
    practised = QuestionProgress.objects.filter(
        user_id=enrolment.user_id, status__in=PRACTISED, question__isnull=False
    ).values("question_id")
    return list(
        Question.objects.published()
        .filter(guide_id=enrolment.guide_id)
        .filter(Q(region__isnull=True) | Q(region_id=region_id))
        .exclude(pk__in=practised)
        .select_related("guide", "round")
        .order_by("round__order", "order", "id")[:QUESTIONS_PER_EMAIL]
    )


def block_for_week(
    enrolment: Enrolment, week: int, shared: dict | None = None
) -> StudyBlock | None:
    """The study block covering `week`, with its tasks loaded.

    `shared` memoises blocks across the e-mails of one chunk: most candidates in a chunk follow the
    same guide and are in the same week.
    """
    key = ("block", enrolment.guide_id, week)
    if shared is not None and key in shared:
        return shared[key]
    block = (
        StudyBlock.objects.filter(
            guide_id=enrolment.guide_id, start_week__lte=week, end_week__gte=week
        )
        .prefetch_related("tasks")
        .first()
    )
    if block is not None:
        # Already loaded with the enrolment; its URL needs the guide's slug.
        block.guide = enrolment.guide
    if shared is not None:
        shared[key] = block
    return block


def reminder_context(delivery: ReminderDelivery, shared: dict | None = None) -> dict:
    enrolment = delivery.enrolment
    user, guide = enrolment.user, enrolment.guide
    plan_url = absolute(reverse("studyplan:plan", kwargs={"guide_slug": guide.slug}))
    week = delivery.week if delivery.kind == ReminderKind.WEEK else 1
    block = block_for_week(enrolment, week, shared) if delivery.kind != ReminderKind.FINAL else None
    context = {
        "kind": delivery.kind,
        "user": user,
        "name": user.get_short_name(),
        "guide": guide,
        "enrolment": enrolment,
        "week": week,
        "plan_weeks": guide.plan_weeks,
        "study_block": block,
        "tasks": list(block.tasks.all()) if block else [],
        "block_url": absolute(block.get_absolute_url()) if block else plan_url,
        "plan_url": plan_url,
        "dashboard_url": absolute(reverse("studyplan:dashboard")),
        "settings_url": absolute(reverse("accounts:settings")),
        "unsubscribe_url": unsubscribe_url(enrolment.pk),
        "reminder_weekday": Weekday(user.reminder_weekday).label,
        "reminder_hour": datetime.time(user.reminder_hour).strftime("%H:%M"),
        "time_zone": user.time_zone,
        "is_interview_day": delivery.kind == ReminderKind.FINAL
        and enrolment.target_interview_date is not None
        and enrolment.target_interview_date
        == delivery.due_at.astimezone(zoneinfo.ZoneInfo(user.time_zone)).date(),
    }
    if delivery.kind != ReminderKind.WELCOME:
        context["progress"] = plan_progress(enrolment, shared)
    if delivery.kind == ReminderKind.WEEK:
        context["questions"] = [
            (question, absolute(question.get_absolute_url()))
            for question in questions_to_practise(enrolment, shared)
        ]
    return context


def reminder_message(
    delivery: ReminderDelivery, connection=None, shared: dict | None = None
) -> EmailMultiAlternatives:
    """The e-mail for one delivery: plain text and HTML, with one-click unsubscribe headers."""
    context = reminder_context(delivery, shared)
    base = TEMPLATES[delivery.kind]
    subject = " ".join(render_to_string(f"{base}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{base}.txt", context),
        to=[delivery.enrolment.user.email],
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # Lets a support person find the delivery row a complaint is about.
            "X-Prep-Delivery": str(delivery.pk),
        },
    )
    message.attach_alternative(render_to_string(f"{base}.html", context), "text/html")
    return message
