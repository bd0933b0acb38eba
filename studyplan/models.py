import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from prep.content_limits import limit_one_line, limit_text
from rounds.models import CONTENT_KEY_MAX_LENGTH, content_key


class StudyBlock(models.Model):
    """A span of weeks in a guide's study plan (weeks 1-2, 3-4, ...) with its checklist."""

    guide = models.ForeignKey("rounds.Guide", on_delete=models.CASCADE, related_name="study_blocks")
    start_week = models.PositiveSmallIntegerField(help_text="First week of the block, from 1.")
    end_week = models.PositiveSmallIntegerField(help_text="Last week of the block (inclusive).")
    title = models.CharField(max_length=200)
    headline = models.CharField(max_length=300, blank=True, help_text="One line, shown in lists.")
    description = models.TextField(blank=True, validators=[limit_text])
    rounds = models.ManyToManyField(
        "rounds.Round",
        blank=True,
        related_name="study_blocks",
        help_text="The interview rounds this block prepares for; the candidate's dashboard "
        "links to their questions while the block is on.",
    )
    # A list of QuestionKind values: a handful of choices, so a list beats a join table.
    question_kinds = models.JSONField(
        default=list,
        blank=True,
        help_text="Question kinds this block practises (e.g. motivation, behavioural).",
    )
    tags = models.ManyToManyField(
        "questions.Tag",
        blank=True,
        related_name="study_blocks",
        help_text="Question topics this block covers.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["guide", "start_week"]
        constraints = [
            models.UniqueConstraint(
                fields=["guide", "start_week"], name="block_start_unique_in_guide"
            ),
            models.CheckConstraint(
                condition=models.Q(start_week__gte=1),
                name="block_start_week_positive",
                violation_error_message="The plan's weeks start at 1.",
            ),
            models.CheckConstraint(
                condition=models.Q(end_week__gte=models.F("start_week")),
                name="block_weeks_ordered",
                violation_error_message="The last week must not come before the first.",
            ),
        ]

    def __str__(self) -> str:
        return f"Weeks {self.weeks_label}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("studyplan:plan", kwargs={"guide_slug": self.guide.slug}) + f"#{self.slug}"

    @property
    def week_count(self) -> int:
        return self.end_week - self.start_week + 1

    @property
    def weeks_label(self) -> str:
        if self.start_week == self.end_week:
            return str(self.start_week)
        return f"{self.start_week}-{self.end_week}"

    @property
    def slug(self) -> str:
        return f"weeks-{self.start_week}-{self.end_week}"

    def covers(self, week: int) -> bool:
        """Whether study week `week` falls inside this block."""
        return self.start_week <= week <= self.end_week

    def clean(self) -> None:
        # Cross-row rules the database cannot check portably: the block fits the plan and does
        # not overlap a sibling.
        if self.start_week and self.end_week and self.end_week < self.start_week:
            raise ValidationError({"end_week": "The last week cannot come before the first."})
        if not self.guide_id or not self.start_week or not self.end_week:
            return
        plan_weeks = self.guide.plan_weeks
        if self.end_week > plan_weeks:
            raise ValidationError(
                {"end_week": f"The plan has {plan_weeks} weeks; this block ends after it."}
            )
        overlapping = (
            StudyBlock.objects.filter(
                guide_id=self.guide_id,
                start_week__lte=self.end_week,
                end_week__gte=self.start_week,
            )
            .exclude(pk=self.pk)
            .first()
        )
        if overlapping:
            raise ValidationError(f"Weeks {self.weeks_label} overlap “{overlapping}”.")


class StudyTask(models.Model):
    """One concrete thing to do in a study block; candidates tick it off."""

    block = models.ForeignKey(StudyBlock, on_delete=models.CASCADE, related_name="tasks")
    order = models.PositiveSmallIntegerField(help_text="Position in the checklist, from 1.")
    text = models.TextField(validators=[limit_one_line])
    # What guide files match on, so rewording or moving a task keeps candidates' ticks.
    key = models.CharField(
        max_length=CONTENT_KEY_MAX_LENGTH,
        default=content_key,
        editable=False,
        help_text="Names the task in guide files; never changes.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["block", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["block", "order"],
                name="task_order_unique_in_block",
                deferrable=models.Deferrable.DEFERRED,
            ),
            models.UniqueConstraint(fields=["block", "key"], name="task_key_unique_in_block"),
        ]

    def __str__(self) -> str:
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    LEFT = "left", "Left"


class Enrolment(models.Model):
    """A candidate working through one guide's study plan."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    # PROTECT: a guide with candidates is unpublished, not deleted, so nobody's plan vanishes.
    guide = models.ForeignKey("rounds.Guide", on_delete=models.PROTECT, related_name="enrolments")
    region = models.ForeignKey(
        "rounds.Region", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    start_date = models.DateField(help_text="Day one of week 1, in the candidate's time zone.")
    target_interview_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ACTIVE
    )
    paused_on = models.DateField(null=True, blank=True)
    reminders_enabled = models.BooleanField(
        default=True, help_text="Off once the candidate unsubscribes from this plan's reminders."
    )
    # When reminders were last turned off, so recruiters' insight can count unsubscribes per
    # week; cleared when they are turned back on.
    reminders_off_at = models.DateTimeField(
        null=True, blank=True, help_text="When the candidate turned this plan's reminders off."
    )
    # A flag rather than a look-up, so pages and reminders that only need the standard layout
    # (7-day weeks from the start date) cost no extra query.
    has_periods = models.BooleanField(
        default=False,
        help_text="The plan has its own study period dates (after fitting it to an interview); "
        "otherwise every week is 7 days from the start date.",
    )
    previous_schedule = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text="The schedule before the last re-plan, kept so the candidate can undo it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "guide"], name="enrolment_unique_per_guide"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.guide}"

    def set_reminders(self, enabled: bool, now: datetime.datetime | None = None) -> list[str]:
        """Turn reminders on or off, noting when they went off; the fields to save."""
        if enabled == self.reminders_enabled:
            return []
        self.reminders_enabled = enabled
        self.reminders_off_at = None if enabled else (now or datetime.datetime.now(datetime.UTC))
        return ["reminders_enabled", "reminders_off_at"]

    def local_today(self, now: datetime.datetime | None = None) -> datetime.date:
        """Today's date where the candidate lives."""
        now = now or datetime.datetime.now(datetime.UTC)
        return now.astimezone(zoneinfo.ZoneInfo(self.user.time_zone)).date()

    @property
    def schedule(self):
        """The plan's study periods with their dates (studyplan.schedule); built once per object."""
        from .schedule import schedule_for

        cached = self.__dict__.get("_schedule")
        if cached is None or cached.key != (self.start_date, self.has_periods):
            cached = self.__dict__["_schedule"] = schedule_for(self)
        return cached

    def may_be_emailed(self) -> bool:
        """Whether this enrolment may be e-mailed reminders at all right now."""
        user = self.user
        return (
            user.is_active
            and user.email_confirmed_at is not None
            and user.reminders_enabled
            and self.reminders_enabled
            and self.status == EnrolmentStatus.ACTIVE
        )

    def week_on(self, day: datetime.date) -> int:
        """Study week on `day`: 0 before the start, 1..plan_weeks, plan_weeks + 1 once finished.

        Kept for the reminder schedule; pages use `schedule.position(day)`, which also knows
        study periods shorter than whole weeks.
        """
        return self.schedule.week_on(day)

    def week_start(self, week: int) -> datetime.date:
        """First day of study week `week` (1-based), following the plan's study periods."""
        return self.schedule.week_start(week)


class EnrolmentPeriod(models.Model):
    """The dates one candidate studies one block, when the plan is not 7-day weeks.

    Written when a plan is fitted to an interview that leaves less (or more) time than the
    standard layout; weeks then need not be whole.
    """

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="periods")
    block = models.ForeignKey(StudyBlock, on_delete=models.CASCADE, related_name="+")
    start_date = models.DateField(help_text="First day, in the candidate's time zone.")
    end_date = models.DateField(help_text="Last day (inclusive).")

    class Meta:
        ordering = ["enrolment", "start_date", "block__start_week"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "block"], name="period_once_per_block"),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="period_dates_ordered",
                violation_error_message="The end date must not come before the start date.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} — {self.block}: {self.start_date} to {self.end_date}"


class TaskProgress(models.Model):
    """A study task a candidate has ticked off; the row's existence means done."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="task_progress")
    task = models.ForeignKey(StudyTask, on_delete=models.CASCADE, related_name="progress")
    done_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "task progress"
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "task"], name="task_done_once"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} — {self.task}"


class RoundResult(models.TextChoices):
    UPCOMING = "", "Not yet"
    WAITING = "waiting", "Waiting for the result"
    PASSED = "passed", "Passed"
    NOT_PASSED = "not_passed", "Not passed"


# The eve-of-round e-mail goes out at this local hour the day before the round.
EVE_HOUR = 18
# After this long past its hour, an eve e-mail not sent (worker down) is skipped: by then it is
# the round's day.
EVE_WINDOW = datetime.timedelta(hours=6)


class RoundBookingQuerySet(models.QuerySet):
    def eve_due(self, *, now: datetime.datetime) -> "RoundBookingQuerySet":
        """Rounds happening tomorrow where the candidate lives, now that it is the evening before
        (18:00 local, up to six hours late), in plans being followed; for the eve-of-round
        e-mail. Sending each once is the caller's job (a delivery record per booking)."""
        return self.filter(
            eve_at__lte=now,
            eve_at__gt=now - EVE_WINDOW,
            result=RoundResult.UPCOMING,
            enrolment__status=EnrolmentStatus.ACTIVE,
        )

    def upcoming(self, *, now: datetime.datetime) -> "RoundBookingQuerySet":
        """Rounds not yet held (their day has not ended anywhere it could still be today)."""
        return self.filter(eve_at__gt=now - datetime.timedelta(hours=30))


class RoundBooking(models.Model):
    """The date (and local time) a candidate's interview round is booked for, and its result."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="bookings")
    round = models.ForeignKey("rounds.Round", on_delete=models.CASCADE, related_name="bookings")
    date = models.DateField(help_text="The round's day, where the candidate lives.")
    time = models.TimeField(null=True, blank=True, help_text="Local start time, if known.")
    time_zone = models.CharField(
        max_length=64, help_text="The candidate's time zone when they booked it (IANA name)."
    )
    result = models.CharField(
        max_length=12, choices=RoundResult.choices, default=RoundResult.UPCOMING, blank=True
    )
    eve_at = models.DateTimeField(
        editable=False, help_text="18:00 local time the day before: when the eve e-mail is due."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RoundBookingQuerySet.as_manager()

    class Meta:
        ordering = ["date", "time", "round__order"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "round"], name="booking_once_per_round"),
        ]
        indexes = [models.Index(fields=["eve_at"])]

    def __str__(self) -> str:
        return f"{self.enrolment} — {self.round} on {self.date}"

    def save(self, *args, **kwargs) -> None:
        self.eve_at = self.compute_eve_at()
        super().save(*args, **kwargs)

    def compute_eve_at(self) -> datetime.datetime:
        """18:00 on the day before, on the candidate's wall clock, as a UTC instant."""
        tz = zoneinfo.ZoneInfo(self.time_zone)
        eve = datetime.datetime.combine(
            self.date - datetime.timedelta(days=1), datetime.time(EVE_HOUR), tzinfo=tz
        )
        return eve.astimezone(datetime.UTC)

    @property
    def starts_at(self) -> datetime.datetime | None:
        """The round's start as an aware local datetime; None when only the day is known."""
        if self.time is None:
            return None
        return datetime.datetime.combine(
            self.date, self.time, tzinfo=zoneinfo.ZoneInfo(self.time_zone)
        )
