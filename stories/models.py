"""A candidate's story bank: the experiences they tell, linked to the questions they answer.

Stories live in their own app, not in practice/: a story belongs to the candidate, not to one
question (one story answers many questions, and a mock borrows it too), and it has its own pages
(the bank, the coverage grid) and API. practice/ keeps the per-question status and notes.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

STORY_TEXT_MAX_LENGTH = 10_000
STORY_TITLE_MAX_LENGTH = 200
STORY_TAGS_MAX_LENGTH = 300


def split_tags(raw: str) -> list[str]:
    """Comma-separated tags as typed: trimmed, with empty ones and repeats dropped."""
    seen: dict[str, str] = {}
    for tag in raw.split(","):
        tag = " ".join(tag.split())
        if tag and tag.lower() not in seen:
            seen[tag.lower()] = tag
    return list(seen.values())


class StoryQuerySet(models.QuerySet["Story"]):
    def of(self, user) -> "StoryQuerySet":
        """The stories of one candidate; anonymous visitors have none."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(user_id=user.pk)

    def with_link_to(self, question) -> "StoryQuerySet":
        """Annotate `linked`: whether each story answers `question` (no extra query)."""
        through = Story.questions.through.objects
        linked = through.filter(story_id=models.OuterRef("pk"), question_id=question.pk)
        return self.annotate(linked=models.Exists(linked))


class Story(models.Model):
    """One experience the candidate tells, in STAR form, with what they learned from it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stories"
    )
    title = models.CharField(
        max_length=STORY_TITLE_MAX_LENGTH, help_text="A short name to pick the story by."
    )
    situation = models.TextField(blank=True, max_length=STORY_TEXT_MAX_LENGTH)
    task = models.TextField(blank=True, max_length=STORY_TEXT_MAX_LENGTH)
    action = models.TextField(blank=True, max_length=STORY_TEXT_MAX_LENGTH)
    result = models.TextField(blank=True, max_length=STORY_TEXT_MAX_LENGTH)
    reflection = models.TextField(
        blank=True,
        max_length=STORY_TEXT_MAX_LENGTH,
        help_text="What you learned.",
    )
    # Free words of the candidate's own (not the bank's tags, which recruiters own).
    tags = models.CharField(
        max_length=STORY_TAGS_MAX_LENGTH, blank=True, help_text="Comma-separated."
    )
    questions = models.ManyToManyField(
        "questions.Question", blank=True, related_name="stories", help_text="Questions it answers."
    )
    criteria = models.ManyToManyField(
        "rounds.EvaluationCriterion",
        blank=True,
        related_name="stories",
        help_text="The evaluation criteria this story shows.",
    )
    # Set on the stories made from practice STAR drafts (migration 0002), so undoing it removes
    # exactly those.
    from_star_draft = models.ForeignKey(
        "practice.QuestionProgress",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StoryQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("stories:edit", kwargs={"story_id": self.pk})

    def tag_list(self) -> list[str]:
        return split_tags(self.tags)

    def star_parts(self) -> list[tuple[str, str]]:
        """The STAR parts written so far, as (label, text), in telling order."""
        parts = [
            ("Situation", self.situation),
            ("Task", self.task),
            ("Action", self.action),
            ("Result", self.result),
        ]
        return [(label, text) for label, text in parts if text.strip()]
