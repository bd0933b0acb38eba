"""Which sections of each guide are still empty, so recruiters know what to write next."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse

from questions.models import Question, QuestionKind
from rounds.models import Guide, RegionalVariant, Round
from studyplan.models import StudyBlock


@dataclass
class Gap:
    """One part of a guide that has no content yet, and the admin page where it is written."""

    section: str
    missing: list[str]
    url: str


@dataclass
class GuideGaps:
    guide: Guide
    gaps: list[Gap] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.gaps


def guide_gaps(*, guides: QuerySet[Guide]) -> list[GuideGaps]:
    """The empty sections of every guide in `guides`, in a fixed number of queries."""
    guides = guides.prefetch_related(
        "criteria",
        Prefetch("rounds", queryset=Round.objects.annotate(question_count=Count("questions"))),
        Prefetch("regional_variants", queryset=RegionalVariant.objects.select_related("region")),
        Prefetch("study_blocks", queryset=StudyBlock.objects.annotate(task_count=Count("tasks"))),
    )
    guides = list(guides)
    counts = {
        row["guide_id"]: row
        for row in Question.objects.filter(guide__in=[g.pk for g in guides])
        .values("guide_id")
        .annotate(
            coding=Count("pk", filter=Q(kind=QuestionKind.CODING)),
            general=Count("pk", filter=Q(round__isnull=True, region__isnull=True)),
        )
    }
    return [_gaps(guide, counts.get(guide.pk, {})) for guide in guides]


def _gaps(guide: Guide, counts: dict) -> GuideGaps:
    result = GuideGaps(guide=guide)
    guide_url = reverse("admin:rounds_guide_change", args=[guide.pk])

    def add(section: str, missing: list[str], url: str = guide_url) -> None:
        if missing:
            result.gaps.append(Gap(section, missing, url))

    add(
        "Guide",
        [
            label
            for label, value in (
                ("summary", guide.summary),
                ("category", guide.category),
                ("preparation tips", guide.preparation_tips),
            )
            if not value.strip()
        ],
    )
    criteria = list(guide.criteria.all())
    if not criteria:
        add("Overall evaluation criteria", ["no criteria yet"])
    for criterion in criteria:
        if not criterion.description.strip():
            add(f"Evaluation criterion “{criterion.title}”", ["description"])

    question_add = reverse("admin:questions_question_add")
    if not counts.get("general"):
        add(
            "Commonly asked questions",
            ["no guide-wide questions"],
            f"{question_add}?guide={guide.pk}",
        )
    if not counts.get("coding"):
        add(
            "Commonly asked DSA questions",
            ["no coding questions"],
            f"{question_add}?guide={guide.pk}&kind={QuestionKind.CODING}",
        )

    rounds = list(guide.rounds.all())
    if not rounds:
        add("Interview rounds", ["no rounds yet"])
    for rnd in rounds:
        missing = [
            label
            for label, value in (
                ("summary", rnd.summary),
                ("description", rnd.description),
                ("what interviewers look for", rnd.what_interviewers_look_for),
                ("evaluation criteria", rnd.evaluation_criteria),
                ("preparation tips", rnd.preparation_tips),
                ("common reasons for rejection", rnd.rejection_reasons),
            )
            if not value.strip()
        ]
        if not rnd.question_count:
            missing.append("questions")
        add(
            f"Round {rnd.order}: {rnd.title}",
            missing,
            reverse("admin:rounds_round_change", args=[rnd.pk]),
        )

    for variant in guide.regional_variants.all():
        add(
            f"Region: {variant.region.name}",
            [
                label
                for label, value in (
                    ("interview focus", variant.interview_focus),
                    ("tips", variant.tips),
                )
                if not value.strip()
            ],
        )

    blocks = list(guide.study_blocks.all())
    if not blocks:
        add("Study plan", ["no study blocks yet"])
    for block in blocks:
        missing = [
            label
            for label, value in (("headline", block.headline), ("description", block.description))
            if not value.strip()
        ]
        if not block.task_count:
            missing.append("tasks")
        add(
            f"Study plan, weeks {block.weeks_label}: {block.title}",
            missing,
            reverse("admin:studyplan_studyblock_change", args=[block.pk]),
        )
    return result
