from typing import Any

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from rounds.models import CONTENT_KEY_MAX_LENGTH, GuideStatus, content_key


class QuestionKind(models.TextChoices):
    BEHAVIOURAL = "behavioural", "Behavioural"
    LEADERSHIP = "leadership", "Leadership"
    PEOPLE = "people", "People management"
    SYSTEM_DESIGN = "system_design", "System design"
    TECHNICAL = "technical", "Technical"
    STRATEGY = "strategy", "Strategy"
    MOTIVATION = "motivation", "Motivation and culture fit"
    CODING = "coding", "Coding / DSA"


class Tag(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = slugify(self.name)[:60]
        super().save(*args, **kwargs)


class QuestionQuerySet(models.QuerySet["Question"]):
    def published(self) -> "QuestionQuerySet":
        """Published questions of published guides: what any visitor may see."""
        return self.filter(is_published=True, guide__status=GuideStatus.PUBLISHED)

    def visible_to(self, user) -> "QuestionQuerySet":
        """Published questions, plus unpublished ones and drafts for staff previewing their work."""
        if getattr(user, "is_staff", False):
            return self.all()
        return self.published()

    def with_tag(self, slug: str) -> "QuestionQuerySet":
        """Questions carrying the tag `slug`, without a join that would need DISTINCT."""
        through = Question.tags.through.objects
        return self.filter(pk__in=through.filter(tag__slug=slug).values("question_id"))

    def update(self, **kwargs: Any) -> int:
        # A bulk update sends no signals, so cached pages are told here (prep.caching).
        from prep.caching import content_changed

        # The guides touched, read before the update; moving questions between guides touches
        # guides we cannot name cheaply, so every guide's pages go.
        moved = "guide" in kwargs or "guide_id" in kwargs
        slugs = (
            None if moved else set(self.order_by().values_list("guide__slug", flat=True).distinct())
        )
        count = super().update(**kwargs)
        if count:
            content_changed(
                guide_slugs=slugs,
                # Unpublished, moved or at a new address: no stale copy may be served.
                visibility=bool({"is_published", "slug", "guide", "guide_id"} & kwargs.keys()),
            )
        return count


class Question(models.Model):
    """A question in a guide's bank, optionally asked in one round and/or one region."""

    guide = models.ForeignKey("rounds.Guide", on_delete=models.CASCADE, related_name="questions")
    round = models.ForeignKey(
        "rounds.Round",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
        help_text="The round where this is asked; empty for guide-wide questions.",
    )
    region = models.ForeignKey(
        "rounds.Region",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
        help_text="Set when the question is typical of one region's interviews.",
    )
    kind = models.CharField(max_length=20, choices=QuestionKind.choices)
    text = models.TextField(help_text="The question, exactly as candidates should read it.")
    slug = models.SlugField(max_length=120, help_text="Unique within the guide.")
    # What guide files match on, so rewording the text keeps candidates' notes attached.
    key = models.CharField(
        max_length=CONTENT_KEY_MAX_LENGTH,
        default=content_key,
        editable=False,
        help_text="Names the question in guide files; never changes.",
    )
    order = models.PositiveSmallIntegerField(
        default=0, help_text="Position among the questions of the same round or region."
    )
    guidance = models.TextField(
        blank=True, help_text="How to approach the question; shown under it. Optional."
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="questions")
    is_published = models.BooleanField(
        "published",
        default=True,
        help_text="Unpublished questions are hidden from candidates, even in a published guide.",
    )
    last_reviewed = models.DateField(
        null=True, blank=True, help_text="When a recruiter last checked this question."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()
    # Tags are recorded with each version, so a restore brings them back too.
    history = HistoricalRecords(m2m_fields=[tags])

    class Meta:
        ordering = ["guide", "round__order", "region__order", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["guide", "slug"], name="question_slug_unique_in_guide"),
            models.UniqueConstraint(fields=["guide", "key"], name="question_key_unique_in_guide"),
        ]
        indexes = [
            models.Index(fields=["guide", "kind"]),
            # Published questions of a region (in a guide): region pages, the region filter's
            # choices and the guide page's counts. Partial: visitors only ever ask for these.
            models.Index(
                fields=["region", "guide"],
                condition=Q(is_published=True),
                name="question_published_region",
            ),
        ]

    def __str__(self) -> str:
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = slugify(self.text)[:120].rstrip("-")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse(
            "questions:detail",
            kwargs={"guide_slug": self.guide.slug, "question_slug": self.slug},
        )
