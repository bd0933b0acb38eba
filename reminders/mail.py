"""The reminder e-mails themselves: context, templates and RFC 8058 unsubscribe headers."""

import datetime
import zoneinfo

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import Weekday

from .digest import ChunkData, chunk_data, plan_report, week_report
from .eve import booking_for, eve_context
from .models import ReminderDelivery, ReminderKind

# A salt of its own, so a token signed for anything else (e-mail confirmation, calendar links)
# can never unsubscribe anyone. Unchanged since the move from studyplan/: links in e-mails already
# sent must keep working.
UNSUBSCRIBE_SALT = "studyplan.reminders.unsubscribe"
TEMPLATES = {
    ReminderKind.WELCOME: "reminders/email/welcome",
    ReminderKind.WEEK: "reminders/email/week_reminder",
    ReminderKind.FINAL: "reminders/email/final",
    ReminderKind.EVE: "reminders/email/eve",
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


def chunk_shared(delivery_ids: list[int]) -> ChunkData:
    """What the e-mails of a whole chunk report, read in a fixed number of queries."""
    return chunk_data(delivery_ids, now=timezone.now())


def reminder_context(delivery: ReminderDelivery, shared: ChunkData | None = None) -> dict:
    enrolment = delivery.enrolment
    user, guide = enrolment.user, enrolment.guide
    plan_url = absolute(reverse("studyplan:plan", kwargs={"guide_slug": guide.slug}))
    if delivery.kind == ReminderKind.EVE:
        return eve_email_context(delivery, plan_url)
    data = shared if shared is not None else chunk_shared([delivery.pk])
    if delivery.kind == ReminderKind.WEEK:
        report = week_report(enrolment, delivery.week, data)
    else:
        # As the plan stood when the e-mail fell due (the welcome: the moment they enrolled), so
        # a welcome delayed by a broker outage still describes the day they enrolled.
        report = plan_report(enrolment, data, day=enrolment.local_today(delivery.due_at))
    block = report.block if delivery.kind != ReminderKind.FINAL else None
    context = {
        "kind": delivery.kind,
        "user": user,
        "name": user.get_short_name(),
        "guide": guide,
        "enrolment": enrolment,
        "week": delivery.week,
        "plan_weeks": guide.plan_weeks,
        "report": report,
        "progress": report,
        "study_block": block,
        "tasks": report.tasks if block else [],
        "block_url": absolute(block.get_absolute_url()) if block else plan_url,
        "plan_url": plan_url,
        "dashboard_url": absolute(reverse("studyplan:dashboard")),
        "settings_url": absolute(reverse("accounts:settings")),
        "review_url": absolute(reverse("practice:review_queue")),
        "unsubscribe_url": unsubscribe_url(enrolment.pk),
        "reminder_weekday": Weekday(user.reminder_weekday).label,
        "reminder_hour": datetime.time(user.reminder_hour).strftime("%H:%M"),
        "time_zone": user.time_zone,
        "is_interview_day": delivery.kind == ReminderKind.FINAL
        and enrolment.target_interview_date is not None
        and enrolment.target_interview_date
        == delivery.due_at.astimezone(zoneinfo.ZoneInfo(user.time_zone)).date(),
    }
    if delivery.kind == ReminderKind.WEEK:
        context["questions"] = [
            (question, absolute(question.get_absolute_url())) for question in report.questions
        ]
        context["reviews"] = [
            (card, day, absolute(card.question.get_absolute_url())) for card, day in report.reviews
        ]
    return context


def eve_email_context(delivery: ReminderDelivery, plan_url: str) -> dict:
    """The eve-of-round e-mail's context; its booking was loaded when the delivery was claimed."""
    enrolment = delivery.enrolment
    user = enrolment.user
    booking = getattr(delivery, "booking", None) or booking_for(delivery)
    context = eve_context(delivery, booking)
    context.update(
        {
            "kind": delivery.kind,
            "name": user.get_short_name(),
            "guide": enrolment.guide,
            "enrolment": enrolment,
            "plan_url": plan_url,
            "round_url": absolute(booking.round.get_absolute_url()),
            "questions_with_urls": [
                (row, absolute(row.question.get_absolute_url())) for row in context["eve_questions"]
            ],
            "rounds_url": absolute(
                reverse("studyplan:round_dates", kwargs={"enrolment_id": enrolment.pk})
            ),
            "unsubscribe_url": unsubscribe_url(enrolment.pk),
            "time_zone": booking.time_zone,
        }
    )
    return context


def reminder_message(
    delivery: ReminderDelivery, connection=None, shared: ChunkData | None = None
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
