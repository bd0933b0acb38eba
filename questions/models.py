from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from prep.content_limits import limit_text
from prep.url_shapes import slug_url
from rounds.models import CONTENT_KEY_MAX_LENGTH, GuideStatus, ReviewOutcome, content_key


class QuestionKind(models.TextChoices):
    BEHAVIOURAL = "behavioural", "Behavioural"
    LEADERSHIP = "leadership", "Leadership"
    PEOPLE = "people", "People management"
    SYSTEM_DESIGN = "system_design", "System design"
    TECHNICAL = "technical", "Technical"
    STRATEGY = "strategy", "Strategy"
    MOTIVATION = "motivation", "Motivation and culture fit"
    CODING = "coding", "Coding / DSA"


class QuestionStatus(models.TextChoices):
    """A question's own review, like its guide's (questions/publishing.py)."""

    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"


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
        # The status and the published flag move together (see Question.is_published).
        if "status" in kwargs and "is_published" not in kwargs:
            kwargs["is_published"] = kwargs["status"] == QuestionStatus.PUBLISHED
        elif "is_published" in kwargs and "status" not in kwargs:
            kwargs["status"] = (
                QuestionStatus.PUBLISHED if kwargs["is_published"] else QuestionStatus.DRAFT
            )
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
    text = models.TextField(
        validators=[limit_text], help_text="The question, exactly as candidates should read it."
    )
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
        blank=True,
        validators=[limit_text],
        help_text="How to approach the question; shown under it. Optional.",
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="questions")
    status = models.CharField(
        max_length=10,
        choices=QuestionStatus.choices,
        default=QuestionStatus.PUBLISHED,
        help_text="Draft and in-review questions are hidden from candidates, even in a published "
        "guide. A question is published when a second recruiter approves it.",
    )
    # Always `status == "published"` (a check constraint says so): every public query, the
    # partial index below and code outside this app read the flag, so it stays a column.
    # Setting it by hand still works: True publishes, False makes a draft (save() and
    # QuerySet.update keep the two together).
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
            models.CheckConstraint(
                condition=Q(is_published=True, status="published")
                | (Q(is_published=False) & ~Q(status="published")),
                name="question_published_flag_matches_status",
                violation_error_message=(
                    "A question is shown to candidates only when it is published."
                ),
            ),
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
        self._sync_published_flag()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"status", "is_published"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "status", "is_published"}
        super().save(*args, **kwargs)
        self._remember_review_state()

    def get_absolute_url(self) -> str:
        return slug_url("questions:detail", guide_slug=self.guide.slug, question_slug=self.slug)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._remember_review_state()
        return instance

    def _remember_review_state(self) -> None:
        # From __dict__: reading a deferred field here would load it, and loading builds
        # another instance, which would remember its own state, and so on.
        self._loaded_review_state = (self.__dict__.get("status"), self.__dict__.get("is_published"))

    def refresh_from_db(self, *args, **kwargs) -> None:
        super().refresh_from_db(*args, **kwargs)
        self._remember_review_state()

    def _sync_published_flag(self) -> None:
        """Make `is_published` and `status` agree; whichever was changed since loading wins."""
        published = self.status == QuestionStatus.PUBLISHED
        if self.is_published == published:
            return
        loaded_status, loaded_flag = getattr(self, "_loaded_review_state", (None, None))
        if loaded_status is not None:
            status_set = loaded_status != self.status
        elif loaded_flag is not None:
            status_set = loaded_flag == self.is_published
        else:
            # A new question: the one set away from its default (published) wins.
            status_set = not published
        if status_set:
            self.is_published = published
        else:
            self.status = QuestionStatus.PUBLISHED if self.is_published else QuestionStatus.DRAFT


class QuestionReview(models.Model):
    """One request to publish a question and its decision (questions/publishing.py)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="reviews")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(
        max_length=10, choices=ReviewOutcome.choices, default=ReviewOutcome.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["question"],
                condition=Q(outcome="pending"),
                name="question_review_one_pending",
                violation_error_message="This question is already waiting for review.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question} — {self.get_outcome_display()}"
