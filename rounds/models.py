import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Count
from django.utils import timezone
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from prep.content_limits import limit_items, limit_text
from prep.url_shapes import slug_url

from .text import content_lines

ONE_PER_LINE = "One item per line. Leave empty if there is nothing to say yet."

# Shown before the amounts, as candidates read them in job ads ("US$180000 - US$250000").
CURRENCY_PREFIXES = {
    "USD": "US$",
    "EUR": "€",
    "GBP": "£",
    "SGD": "S$",
    "HKD": "HK$",
    "CNY": "CN¥",
    "JPY": "¥",
    "AUD": "A$",
    "CAD": "C$",
    "INR": "₹",
    "AED": "AED ",
}


# Letters and digits that cannot be misread for one another; a key always starts with a letter so
# YAML never reads it as a number, a date or true/false.
_KEY_LETTERS = "abcdefghjkmnpqrstuvwxyz"
_KEY_CHARS = _KEY_LETTERS + "23456789"
CONTENT_KEY_MAX_LENGTH = 20


def content_key() -> str:
    """A new random key that names a question or study task in guide files, e.g. "k7m2q9xa"."""
    return secrets.choice(_KEY_LETTERS) + "".join(secrets.choice(_KEY_CHARS) for _ in range(7))


class GuideStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    # Waiting for a second recruiter's approval (rounds/publishing.py); invisible to candidates.
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"


class GuideQuerySet(models.QuerySet["Guide"]):
    def published(self) -> "GuideQuerySet":
        """Guides any visitor may see."""
        return self.filter(status=GuideStatus.PUBLISHED)

    def visible_to(self, user) -> "GuideQuerySet":
        """Published guides, plus drafts for staff previewing their work."""
        if getattr(user, "is_staff", False):
            return self.all()
        return self.published()

    def with_round_count(self) -> "GuideQuerySet":
        return self.annotate(round_count=Count("rounds", distinct=True))

    def update(self, **kwargs: Any) -> int:
        # A bulk update sends no signals, so cached pages are told here (prep.caching).
        from prep.caching import content_changed

        # The guides touched, read before the update (which may change their slugs too).
        slugs = set(self.values_list("slug", flat=True))
        count = super().update(**kwargs)
        if count:
            content_changed(
                guide_slugs=slugs | {kwargs["slug"]} if "slug" in kwargs else slugs,
                # Unpublished or moved: no stale copy of their pages may be served.
                visibility=bool({"status", "slug"} & kwargs.keys()),
            )
        return count


class Guide(models.Model):
    """An interview guide for one role at one company."""

    slug = models.SlugField(
        max_length=120, unique=True, help_text="Part of the guide's web address; never reuse one."
    )
    company = models.CharField(max_length=120, help_text="e.g. OKX")
    role = models.CharField(max_length=160, help_text="e.g. Head of Engineering")
    category = models.CharField(
        max_length=120, blank=True, help_text="Job family, e.g. Software Engineering Manager."
    )
    summary = models.TextField(
        blank=True, validators=[limit_text], help_text="What the interview process assesses."
    )
    status = models.CharField(
        max_length=10,
        choices=GuideStatus.choices,
        default=GuideStatus.DRAFT,
        help_text="Drafts and guides in review are invisible to candidates. A guide is "
        "published when a second recruiter approves it.",
    )
    typical_duration_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Typical length of the whole process, in days."
    )
    experience_min_years = models.PositiveSmallIntegerField(null=True, blank=True)
    experience_max_years = models.PositiveSmallIntegerField(null=True, blank=True)
    salary_currency = models.CharField(
        max_length=3, blank=True, help_text="ISO 4217 code, e.g. USD."
    )
    salary_min = models.PositiveIntegerField(null=True, blank=True)
    salary_max = models.PositiveIntegerField(null=True, blank=True)
    total_interview_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Sum of the time spent in interviews, in minutes."
    )
    preparation_tips = models.TextField(
        blank=True, validators=[limit_items], help_text=ONE_PER_LINE
    )
    plan_weeks = models.PositiveSmallIntegerField(
        default=8, help_text="Length of the study plan in weeks; blocks must fit inside it."
    )
    last_reviewed = models.DateField(
        null=True, blank=True, help_text="When a recruiter last checked this guide is current."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = GuideQuerySet.as_manager()
    # Who changed what and when, for the guide's History page and its restore (rounds.history).
    history = HistoricalRecords()

    class Meta:
        ordering = ["company", "role"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(experience_min_years__isnull=True)
                | models.Q(experience_max_years__isnull=True)
                | models.Q(experience_min_years__lte=models.F("experience_max_years")),
                name="guide_experience_range_ordered",
                violation_error_message=(
                    "The most years of experience must not be fewer than the least."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(salary_min__isnull=True)
                | models.Q(salary_max__isnull=True)
                | models.Q(salary_min__lte=models.F("salary_max")),
                name="guide_salary_range_ordered",
                violation_error_message="The top of the salary range must not be below its bottom.",
            ),
            models.CheckConstraint(
                condition=models.Q(plan_weeks__gte=1) & models.Q(plan_weeks__lte=52),
                name="guide_plan_weeks_range",
                violation_error_message="The study plan must have between 1 and 52 weeks.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return slug_url("rounds:guide", guide_slug=self.slug)

    @property
    def title(self) -> str:
        return f"{self.role} at {self.company}"

    @property
    def is_published(self) -> bool:
        return self.status == GuideStatus.PUBLISHED

    def duration_display(self) -> str:
        """The typical duration as the seed writes it: "~14 days"."""
        if self.typical_duration_days is None:
            return ""
        return f"~{self.typical_duration_days} days"

    def experience_display(self) -> str:
        """The experience range as the seed writes it: "8 - 15 yrs"."""
        low, high = self.experience_min_years, self.experience_max_years
        if low is None and high is None:
            return ""
        if high is None:
            return f"{low}+ yrs"
        if low is None:
            return f"up to {high} yrs"
        return f"{low} - {high} yrs"

    def salary_display(self) -> str:
        """The salary range in its currency's style: "US$180,000 – US$250,000"."""
        prefix = CURRENCY_PREFIXES.get(self.salary_currency, f"{self.salary_currency} ")
        low, high = self.salary_min, self.salary_max
        if low is None and high is None:
            return ""
        if high is None:
            return f"from {prefix}{low:,}"
        if low is None:
            return f"up to {prefix}{high:,}"
        return f"{prefix}{low:,} – {prefix}{high:,}"

    def total_minutes_display(self) -> str:
        if self.total_interview_minutes is None:
            return ""
        return f"{self.total_interview_minutes} min"

    def preparation_tip_items(self) -> list[str]:
        return content_lines(self.preparation_tips)


class EvaluationCriterion(models.Model):
    """One of a guide's overall evaluation criteria."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(help_text="Position in the list, from 1.")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, validators=[limit_text])
    history = HistoricalRecords()

    class Meta:
        ordering = ["guide", "order"]
        verbose_name = "evaluation criterion"
        verbose_name_plural = "evaluation criteria"
        constraints = [
            models.UniqueConstraint(
                fields=["guide", "order"],
                name="criterion_order_unique_in_guide",
                # Deferred so recruiters can swap two positions in one save (PostgreSQL).
                deferrable=models.Deferrable.DEFERRED,
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Round(models.Model):
    """One interview round of a guide's process, in order."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="rounds")
    order = models.PositiveSmallIntegerField(help_text="Position in the process, from 1.")
    slug = models.SlugField(max_length=120, help_text="Unique within the guide.")
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=500, blank=True, help_text="One sentence.")
    description = models.TextField(
        blank=True, validators=[limit_text], help_text="What happens in this round."
    )
    what_interviewers_look_for = models.TextField(
        blank=True, validators=[limit_items], help_text=ONE_PER_LINE
    )
    evaluation_criteria = models.TextField(
        blank=True, validators=[limit_items], help_text=ONE_PER_LINE
    )
    preparation_tips = models.TextField(
        blank=True, validators=[limit_items], help_text=ONE_PER_LINE
    )
    rejection_reasons = models.TextField(
        "common reasons for rejection",
        blank=True,
        validators=[limit_items],
        help_text=ONE_PER_LINE,
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["guide", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["guide", "order"],
                name="round_order_unique_in_guide",
                deferrable=models.Deferrable.DEFERRED,
            ),
            models.UniqueConstraint(fields=["guide", "slug"], name="round_slug_unique_in_guide"),
            models.CheckConstraint(
                condition=models.Q(order__gte=1),
                name="round_order_positive",
                violation_error_message="A round's position starts at 1.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = slugify(self.title)[:120]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return slug_url("rounds:detail", guide_slug=self.guide.slug, round_slug=self.slug)

    def look_for_items(self) -> list[str]:
        return content_lines(self.what_interviewers_look_for)

    def criteria_items(self) -> list[str]:
        return content_lines(self.evaluation_criteria)

    def tip_items(self) -> list[str]:
        return content_lines(self.preparation_tips)

    def rejection_items(self) -> list[str]:
        return content_lines(self.rejection_reasons)


class Region(models.Model):
    """A part of the world whose interviews differ (Asia, North America, ...)."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(default=0, help_text="Position in region lists.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = slugify(self.name)[:80]
        super().save(*args, **kwargs)


class RegionalVariant(models.Model):
    """How a guide's interviews differ in one region; its questions live in the bank."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="regional_variants")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="variants")
    interview_focus = models.TextField(blank=True, validators=[limit_items], help_text=ONE_PER_LINE)
    tips = models.TextField(blank=True, validators=[limit_items], help_text=ONE_PER_LINE)
    history = HistoricalRecords()

    class Meta:
        ordering = ["guide", "region__order", "region__name"]
        constraints = [
            models.UniqueConstraint(fields=["guide", "region"], name="variant_unique_per_region"),
        ]

    def __str__(self) -> str:
        return f"{self.guide} — {self.region}"

    def get_absolute_url(self) -> str:
        return slug_url("rounds:region", guide_slug=self.guide.slug, region_slug=self.region.slug)

    def focus_items(self) -> list[str]:
        return content_lines(self.interview_focus)

    def tip_items(self) -> list[str]:
        return content_lines(self.tips)


class ReviewOutcome(models.TextChoices):
    PENDING = "pending", "Waiting for approval"
    APPROVED = "approved", "Approved"
    RETURNED = "returned", "Returned to draft"


class GuideReview(models.Model):
    """One request to publish a guide and its decision (rounds/publishing.py).

    Kept after the decision: who asked, who approved or returned it and when is the guide's
    review record, and the latest approval is its "last reviewed" date.
    """

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="reviews")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True, help_text="What changed, for the reviewer.")
    outcome = models.CharField(
        max_length=10, choices=ReviewOutcome.choices, default=ReviewOutcome.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["guide"],
                condition=models.Q(outcome="pending"),
                name="guide_review_one_pending",
                violation_error_message="This guide is already waiting for review.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.guide} — {self.get_outcome_display()}"


class StagedEditStatus(models.TextChoices):
    STAGED = "staged", "Staged"
    IN_REVIEW = "in_review", "In review"
    APPLIED = "applied", "Approved and applied"
    DISCARDED = "discarded", "Discarded"


# A guide has at most one of these at a time (rounds/staging.py).
OPEN_STAGED_STATUSES = (StagedEditStatus.STAGED, StagedEditStatus.IN_REVIEW)


class StagedEdit(models.Model):
    """A recruiter's change to a published guide, held back until a second recruiter approves it.

    `document` is the whole guide as the change would make it, in the guide file format
    (rounds/content_io); `base_document` is the published guide it was made from. Approval
    imports `document`; candidates see the published guide until then (rounds/staging.py).
    """

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="staged_edits")
    document = models.TextField()
    base_document = models.TextField()
    origin = models.CharField(
        max_length=300, blank=True, help_text="Where the change was made, e.g. “Question page”."
    )
    status = models.CharField(
        max_length=10, choices=StagedEditStatus.choices, default=StagedEditStatus.STAGED
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A second change waits until the first is approved or discarded, so an approval
            # never overwrites someone else's staged work.
            models.UniqueConstraint(
                fields=["guide"],
                condition=models.Q(status__in=["staged", "in_review"]),
                name="staged_edit_one_open_per_guide",
                violation_error_message=(
                    "This guide already has a staged change waiting for review."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.guide} — {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STAGED_STATUSES
