"""The candidate's plan as an iCalendar (RFC 5545) feed: a week per event, plus interviews."""

import datetime

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from icalendar import Calendar, Event

from accounts.models import User

from .models import Enrolment, EnrolmentPeriod, EnrolmentStatus, RoundBooking, StudyBlock
from .schedule import short_day

PRODID = "-//Prep//Study plan//EN"


def _uid(kind: str, enrolment: Enrolment, week: int = 0) -> str:
    # Stable per enrolment and week, so calendar apps update events after a re-plan instead of
    # duplicating them.
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "prep"
    return f"enrolment-{enrolment.pk}-{kind}-{week}@{host}"


def user_calendar(*, user: User, now: datetime.datetime | None = None) -> bytes:
    """The iCalendar document for every plan the candidate is following (active or paused)."""
    now = now or datetime.datetime.now(datetime.UTC)
    enrolments = (
        Enrolment.objects.filter(user=user)
        .exclude(status=EnrolmentStatus.LEFT)
        .select_related("guide")
        .prefetch_related(
            Prefetch("guide__study_blocks", queryset=StudyBlock.objects.prefetch_related("tasks")),
            Prefetch("periods", queryset=EnrolmentPeriod.objects.select_related("block")),
            Prefetch("bookings", queryset=RoundBooking.objects.select_related("round")),
        )
        .order_by("start_date", "pk")
    )
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "Prep study plan")
    # Subscribed calendars poll the feed; twice a day picks up a re-plan soon enough.
    cal.add("refresh-interval", datetime.timedelta(hours=12), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT12H")
    for enrolment in enrolments:
        guide = enrolment.guide
        blocks = list(guide.study_blocks.all())
        plan_url = settings.SITE_URL + guide.get_absolute_url()
        schedule = enrolment.schedule
        # A week per event; in a plan fitted to an interview a study period per event, named by
        # its dates rather than "week 5 of 8" (its squeezed weeks were events of their own, two
        # or three per period with the same tasks, unlike every other page and e-mail).
        for week, start, last in schedule.week_spans():
            if not schedule.opens_period(week):
                continue
            if not schedule.standard:
                start, last = schedule.period_dates(start) or (start, last)
            block = next((b for b in blocks if b.covers(week)), None)
            event = Event()
            event.add("uid", _uid("week", enrolment, week))
            event.add("dtstamp", now)
            event.add("dtstart", start)
            event.add("dtend", last + datetime.timedelta(days=1))
            if schedule.standard:
                title = f"{guide.title}: week {week} of {guide.plan_weeks}"
            else:
                days = (
                    short_day(start) if start == last else f"{short_day(start)}–{short_day(last)}"
                )
                title = f"{guide.title}: {days}"
            if block is not None:
                title += f" — {block.title}"
            event.add("summary", title)
            lines = []
            if block is not None:
                if block.headline:
                    lines.append(block.headline)
                lines.extend(f"• {task.text}" for task in block.tasks.all())
            lines.append(settings.SITE_URL + reverse("studyplan:dashboard"))
            event.add("description", "\n".join(lines))
            event.add("url", plan_url)
            event.add("transp", "TRANSPARENT")
            cal.add_component(event)
        if enrolment.target_interview_date is not None:
            event = Event()
            event.add("uid", _uid("interview", enrolment))
            event.add("dtstamp", now)
            event.add("dtstart", enrolment.target_interview_date)
            event.add("dtend", enrolment.target_interview_date + datetime.timedelta(days=1))
            event.add("summary", f"Interview: {guide.title}")
            event.add("description", "Good luck!")
            event.add("url", plan_url)
            cal.add_component(event)
        for booking in enrolment.bookings.all():
            cal.add_component(_round_event(enrolment, booking, now, plan_url))
    # Timed rounds carry their TZID; the zone's rules travel with the feed, so the time stays
    # right across daylight-saving changes in every calendar app.
    cal.add_missing_timezones()
    return cal.to_ical()


def _round_event(
    enrolment: Enrolment, booking: RoundBooking, now: datetime.datetime, plan_url: str
) -> Event:
    event = Event()
    event.add("uid", _uid("round", enrolment, booking.round_id))
    event.add("dtstamp", now)
    starts = booking.starts_at
    if starts is None:
        event.add("dtstart", booking.date)
        event.add("dtend", booking.date + datetime.timedelta(days=1))
    else:
        event.add("dtstart", starts)
        # The guide does not say how long each round takes; an hour holds the slot.
        event.add("dtend", starts + datetime.timedelta(hours=1))
    event.add("summary", f"Interview round: {booking.round.title} ({enrolment.guide.title})")
    lines = [booking.round.summary] if booking.round.summary else []
    if booking.result:
        lines.append(f"Result: {booking.get_result_display()}")
    lines.append(plan_url)
    event.add("description", "\n".join(lines))
    event.add("url", plan_url)
    return event
