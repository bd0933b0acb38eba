"""When a candidate studies what: the one place that turns an enrolment's dates into study periods.

A plan is laid out in one of two ways. The standard layout is 7-day weeks from the start date
(block "weeks 3-4" is days 15-28). A plan fitted to an interview has its own dates per block
(EnrolmentPeriod rows), and its weeks need not be whole: a 2-week block squeezed into 5 days has a
3-day week and a 2-day week. Every "where is the candidate today" question goes through
`Schedule.position()` (pages) or `Schedule.week_on()` (the weekly reminders), so both layouts
answer the same way everywhere.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Enrolment, EnrolmentPeriod, StudyBlock

ONE_DAY = datetime.timedelta(days=1)


def short_day(day: datetime.date) -> str:
    """ "Tue 15 Dec", as the dashboard and plan page print a day."""
    return f"{day:%a} {day.day} {day:%b}"


@dataclass(frozen=True)
class Period:
    """One block of the plan with the days this candidate studies it (end inclusive)."""

    block: StudyBlock
    start: datetime.date
    end: datetime.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def is_whole_weeks(self) -> bool:
        return self.days == 7 * self.block.week_count

    @property
    def dates_label(self) -> str:
        """ "Mon 7 Dec – Sun 20 Dec" (one day: "Mon 7 Dec")."""
        if self.start == self.end:
            return short_day(self.start)
        return f"{short_day(self.start)} – {short_day(self.end)}"

    @property
    def label(self) -> str:
        """What the candidate calls this period: "Weeks 3-4" in a standard plan, else its dates."""
        if self.is_whole_weeks:
            return f"Weeks {self.block.weeks_label}"
        return self.dates_label

    def covers(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


class State:
    BEFORE_START = "before_start"
    IN_PROGRESS = "in_progress"
    FINISHED = "finished"


@dataclass(frozen=True)
class Position:
    """Where the candidate is on `day`: the period they are in (or the next one, between two)."""

    state: str
    week: int
    period: Period | None
    index: int  # of `period` among the periods, from 1; 0 when there is none
    count: int
    standard: bool
    plan_weeks: int
    start: datetime.date
    day: datetime.date

    @property
    def label(self) -> str:
        """ "Week 3 of 8", "Study period 2 of 4, until Fri 18 Dec" or "Starts in 4 days"."""
        if self.state == State.BEFORE_START:
            days = (self.start - self.day).days
            return f"Starts in {days} day{'s' if days != 1 else ''}"
        if self.state == State.FINISHED:
            return "Plan finished"
        if self.standard or self.period is None:
            return f"Week {self.week} of {self.plan_weeks}"
        return f"Study period {self.index} of {self.count}, until {short_day(self.period.end)}"


class Schedule:
    """An enrolment's study periods; built from the enrolment and, for fitted plans, its rows."""

    def __init__(
        self,
        *,
        start_date: datetime.date,
        plan_weeks: int,
        stored: Sequence[EnrolmentPeriod] | None = None,
    ) -> None:
        self.start_date = start_date
        self.plan_weeks = plan_weeks
        self.key = (start_date, stored is not None)
        self.stored = sorted(stored or [], key=lambda p: (p.start_date, p.block.start_week))
        self.standard = stored is None
        # Week number -> (first day, last day); weeks squeezed to nothing have no entry.
        self._weeks: dict[int, tuple[datetime.date, datetime.date]] = {}
        if self.standard:
            for week in range(1, plan_weeks + 1):
                first = start_date + datetime.timedelta(weeks=week - 1)
                self._weeks[week] = (first, first + datetime.timedelta(days=6))
        else:
            for row in self.stored:
                self._weeks.update(
                    split_weeks(
                        row.block.start_week, row.block.end_week, row.start_date, row.end_date
                    )
                )

    @property
    def end(self) -> datetime.date:
        """The plan's last day."""
        if self.standard or not self._weeks:
            return self.start_date + datetime.timedelta(weeks=self.plan_weeks, days=-1)
        return max(last for _, last in self._weeks.values())

    def week_on(self, day: datetime.date) -> int:
        """Study week on `day`: 0 before the start, 1..plan_weeks, plan_weeks + 1 once finished.

        Between two periods of a fitted plan, the week of the period just over.
        """
        if day < self.start_date:
            return 0
        if day > self.end:
            return self.plan_weeks + 1
        # The week whose days hold `day`, else the last one begun before it. By dates, since a
        # block brought forward for a round puts later weeks before earlier ones.
        week, latest = 1, None
        for number, (first, last) in self._weeks.items():
            if first <= day <= last:
                return number
            if first <= day and (latest is None or first > latest):
                week, latest = number, first
        return week

    def opens_period(self, week: int) -> bool:
        """Whether study week `week` begins a study period, when a weekly e-mail is due.

        Every week of a standard plan. A fitted plan's weeks may be a few days each (a 2-week
        block squeezed into 5 days), so its e-mails come once a study period: one per week sent
        the same tasks twice, days apart, on days the candidate had not chosen.
        """
        if self.standard:
            return True
        span = self._weeks.get(week)
        return span is not None and any(row.start_date == span[0] for row in self.stored)

    def period_dates(self, day: datetime.date) -> tuple[datetime.date, datetime.date] | None:
        """First and last day of the fitted plan's study period holding `day`; None if none."""
        for row in self.stored:
            if row.start_date <= day <= row.end_date:
                return row.start_date, row.end_date
        return None

    def week_spans(self) -> list[tuple[int, datetime.date, datetime.date]]:
        """(week, first day, last day) of every week that has days, in order."""
        return [(week, first, last) for week, (first, last) in sorted(self._weeks.items())]

    def week_start(self, week: int) -> datetime.date:
        """First day of study week `week`; a week squeezed out starts with the next one."""
        if self.standard:
            return self.start_date + datetime.timedelta(weeks=week - 1)
        for number in range(week, self.plan_weeks + 1):
            if number in self._weeks:
                return self._weeks[number][0]
        return self.end + ONE_DAY

    def periods(self, blocks: Iterable[StudyBlock]) -> list[Period]:
        """Every block with its dates, in order."""
        by_block = {row.block_id: row for row in self.stored}
        result = []
        for block in blocks:
            row = by_block.get(block.pk)
            if row is not None:
                result.append(Period(block=block, start=row.start_date, end=row.end_date))
            else:
                # Standard dates: also for a block added after the plan was fitted.
                first = self.start_date + datetime.timedelta(weeks=block.start_week - 1)
                result.append(
                    Period(
                        block=block,
                        start=first,
                        end=first + datetime.timedelta(days=7 * block.week_count - 1),
                    )
                )
        return sorted(result, key=lambda p: (p.start, p.block.start_week))

    def position(self, day: datetime.date, blocks: Iterable[StudyBlock]) -> Position:
        """Where the candidate is on `day`."""
        periods = self.periods(blocks)
        week = self.week_on(day)
        if week == 0:
            state = State.BEFORE_START
        elif week > self.plan_weeks:
            state = State.FINISHED
        else:
            state = State.IN_PROGRESS
        current = None
        if state != State.FINISHED:
            current = next((p for p in periods if p.covers(day)), None) or next(
                (p for p in periods if p.start > day), None
            )
        return Position(
            state=state,
            week=week,
            period=current,
            index=periods.index(current) + 1 if current else 0,
            count=len(periods),
            standard=self.standard,
            plan_weeks=self.plan_weeks,
            start=self.start_date,
            day=day,
        )


def local_time_to_utc(day: datetime.date, hour: int, tz: zoneinfo.ZoneInfo) -> datetime.datetime:
    """The UTC instant of `hour`:00 wall-clock time on `day` where the candidate lives.

    fold=0 picks the first of two repeated hours when clocks go back, and for an hour skipped when
    clocks go forward it uses the offset from before the change, i.e. the reminder goes out one
    hour later on the wall clock rather than not at all.
    """
    local = datetime.datetime.combine(day, datetime.time(hour), tzinfo=tz).replace(fold=0)
    return local.astimezone(datetime.UTC)


def week_reminder_day(enrolment: Enrolment, week: int) -> datetime.date:
    """The day the weekly e-mail about study week `week` is due: that week's first day (in a
    fitted plan only weeks that open a study period have one: Schedule.opens_period).

    The e-mail is about the week ahead, so it is never sent after the week has begun: the
    candidate's chosen weekday is that day when a week starts on it, and any other weekday
    would fall later in the week (a Sunday choice once sent "Week 1" on week 1's last day), so
    the week's first day stands in for it. Weeks of a plan fitted to an interview start on
    any day, and so do their e-mails. The hour is the candidate's. Here, beside the schedule,
    so the dashboard's "next reminder" and the reminders app's dispatcher follow one rule.
    """
    return enrolment.week_start(week)


def welcome_covers_week(enrolment: Enrolment, week: int) -> bool:
    """Whether the candidate enrolled during study week `week`, so its e-mail is not sent.

    The welcome names the period they are in and lists its tasks: a "Week 5 of 8" e-mail on top
    of it would say the same twice, also when its hour comes later the same day (enrolled at
    07:00, reminders at 09:00; or a time zone changed after enrolling moved the hour).
    """
    created = enrolment.created_at
    return created is not None and enrolment.week_on(enrolment.local_today(created)) == week


def week_reminder_at(enrolment: Enrolment, week: int) -> datetime.datetime:
    """When the weekly e-mail about study week `week` is due, in UTC."""
    user = enrolment.user
    return local_time_to_utc(
        week_reminder_day(enrolment, week), user.reminder_hour, zoneinfo.ZoneInfo(user.time_zone)
    )


def split_weeks(
    start_week: int, end_week: int, first: datetime.date, last: datetime.date
) -> dict[int, tuple[datetime.date, datetime.date]]:
    """The days of a block's period shared among its weeks as evenly as whole days allow."""
    days = (last - first).days + 1
    count = end_week - start_week + 1
    spans = {}
    for i in range(count):
        a, b = days * i // count, days * (i + 1) // count
        if b > a:
            spans[start_week + i] = (
                first + datetime.timedelta(days=a),
                first + datetime.timedelta(days=b - 1),
            )
    return spans


def schedule_for(enrolment: Enrolment) -> Schedule:
    """The schedule of `enrolment`: no query for a standard plan, one for a fitted one."""
    stored = None
    if enrolment.has_periods:
        cache = getattr(enrolment, "_prefetched_objects_cache", {})
        rows = cache.get("periods")
        if rows is None:
            rows = enrolment.periods.select_related("block")
        stored = list(rows)
    return Schedule(
        start_date=enrolment.start_date, plan_weeks=enrolment.guide.plan_weeks, stored=stored
    )


def share_days(days: int, weights: Sequence[int], caps: Sequence[int]) -> list[int]:
    """`days` shared in proportion to `weights`, none above its cap, each at least one day.

    Largest remainders get the spare days, so the shares add up exactly (up to the caps).
    Needs days >= len(weights).
    """
    total = sum(weights)
    raw = [days * w / total for w in weights]
    shares = [min(cap, max(1, int(r))) for r, cap in zip(raw, caps, strict=True)]
    spare = min(days, sum(caps)) - sum(shares)
    order = sorted(range(len(weights)), key=lambda i: raw[i] - int(raw[i]), reverse=True)
    while spare > 0:
        moved = False
        for i in order:
            if spare and shares[i] < caps[i]:
                shares[i] += 1
                spare -= 1
                moved = True
        if not moved:
            break
    while spare < 0:
        # Rounding up to one day each overshot: take back from the largest shares.
        i = max(range(len(shares)), key=lambda j: shares[j])
        shares[i] -= 1
        spare += 1
    return shares
