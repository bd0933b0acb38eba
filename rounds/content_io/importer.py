"""Write a validated guide file into the database: idempotent, atomic, the file is the truth."""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils.text import slugify

from questions.models import Question, Tag
from rounds.models import EvaluationCriterion, Guide, Region, RegionalVariant, Round
from studyplan.models import StudyBlock, StudyTask

from .errors import ContentError, ContentFileInvalid
from .loader import decode_content, load_located
from .schema import validate_guide
from .specs import GuideSpec, QuestionSpec

# Singular and plural labels, in the order the summary lists them.
LABELS = {
    "guide": ("guide", "guides"),
    "criterion": ("criterion", "criteria"),
    "region": ("region", "regions"),
    "variant": ("regional variant", "regional variants"),
    "round": ("round", "rounds"),
    "question": ("question", "questions"),
    "block": ("study block", "study blocks"),
    "task": ("study task", "study tasks"),
}


@dataclass
class ImportResult:
    guide: Guide
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    removed: Counter = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)

    def summary(self) -> str:
        """One line for the terminal or an admin message."""
        totals = ", ".join(
            f"{sum(counter.values())} {name}"
            for name, counter in (
                ("created", self.created),
                ("updated", self.updated),
                ("unchanged", self.unchanged),
                ("removed", self.removed),
            )
        )
        changes = "; ".join(
            f"{name} {_count_list(counter)}"
            for name, counter in (
                ("created", self.created),
                ("updated", self.updated),
                ("removed", self.removed),
            )
            if counter
        )
        return f"{self.guide.slug}: {totals}" + (f" ({changes})." if changes else " (no changes).")


def _count_list(counter: Counter) -> str:
    parts = []
    for key, (singular, plural) in LABELS.items():
        if counter[key]:
            parts.append(f"{counter[key]} {singular if counter[key] == 1 else plural}")
    return ", ".join(parts)


def guide_import_bytes(*, raw: bytes) -> ImportResult:
    """Import a guide file's bytes; raises ContentFileInvalid, changing nothing, when it is bad."""
    document = load_located(decode_content(raw))
    return guide_import(data=validate_guide(document))


def guide_import(*, data: GuideSpec) -> ImportResult:
    """Make the database hold exactly the guide in `data`, writing only rows that differ."""
    try:
        with transaction.atomic():
            return _Importer(data).run()
    except IntegrityError as exc:
        raise ContentFileInvalid(
            [ContentError(None, "", f"the database refused the content: {exc}")]
        ) from None


def _sync(instance: models.Model, values: dict[str, Any]) -> bool:
    """Set the differing `values` on `instance`; whether anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


class _Importer:
    def __init__(self, spec: GuideSpec) -> None:
        self.spec = spec
        self.result: ImportResult

    def save(self, kind: str, instance: models.Model, values: dict[str, Any]) -> Counter:
        """Create `instance`, or save it when `values` differ; the counter that recorded it."""
        if instance.pk is None:
            _sync(instance, values)
            instance.save()
            counter = self.result.created
        elif _sync(instance, values):
            instance.save()
            counter = self.result.updated
        else:
            counter = self.result.unchanged
        counter[kind] += 1
        return counter

    def remove(self, kind: str, queryset: models.QuerySet) -> None:
        count = queryset.count()
        if count:
            queryset.delete()
            self.result.removed[kind] += count

    def run(self) -> ImportResult:
        guide = Guide.objects.filter(slug=self.spec.slug).first() or Guide()
        self.result = ImportResult(guide=guide)
        self.save("guide", guide, self.spec.fields)
        self.criteria(guide)
        regions = self.regions(guide)
        rounds = self.rounds(guide)
        self.questions(guide, rounds, regions)
        self.study_plan(guide)
        return self.result

    def criteria(self, guide: Guide) -> None:
        existing = {c.order: c for c in guide.criteria.all()}
        for spec in self.spec.criteria:
            criterion = existing.pop(spec.order, None) or EvaluationCriterion(guide=guide)
            self.save(
                "criterion",
                criterion,
                {"order": spec.order, "title": spec.title, "description": spec.description},
            )
        self.remove("criterion", guide.criteria.filter(pk__in=[c.pk for c in existing.values()]))

    def regions(self, guide: Guide) -> dict[str, Region]:
        regions: dict[str, Region] = {}
        variants = {v.region_id: v for v in guide.regional_variants.all()}
        for spec in self.spec.regions:
            region = Region.objects.filter(slug=spec.slug).first() or Region()
            clash = Region.objects.filter(name=spec.name).exclude(slug=spec.slug).first()
            if clash:
                raise ContentFileInvalid(
                    [
                        ContentError(
                            None,
                            f"regions[{self.spec.regions.index(spec)}].name",
                            f'"{spec.name}" is the name of region "{clash.slug}"; '
                            f'use slug "{clash.slug}" or another name',
                        )
                    ]
                )
            self.save("region", region, {"slug": spec.slug, "name": spec.name, "order": spec.order})
            regions[spec.slug] = region
            variant = variants.pop(region.pk, None) or RegionalVariant(guide=guide, region=region)
            self.save(
                "variant",
                variant,
                {"interview_focus": spec.interview_focus, "tips": spec.tips},
            )
        self.remove(
            "variant", guide.regional_variants.filter(pk__in=[v.pk for v in variants.values()])
        )
        return regions

    def rounds(self, guide: Guide) -> dict[str, Round]:
        existing = {r.slug: r for r in guide.rounds.all()}
        wanted = {spec.slug for spec in self.spec.rounds}
        self.remove("round", guide.rounds.exclude(slug__in=wanted))
        rounds: dict[str, Round] = {}
        for spec in self.spec.rounds:
            rnd = existing.get(spec.slug) or Round(guide=guide)
            self.save(
                "round",
                rnd,
                {
                    "order": spec.order,
                    "slug": spec.slug,
                    "title": spec.title,
                    "summary": spec.summary,
                    "description": spec.description,
                    "what_interviewers_look_for": spec.what_interviewers_look_for,
                    "evaluation_criteria": spec.evaluation_criteria,
                    "preparation_tips": spec.preparation_tips,
                    "rejection_reasons": spec.rejection_reasons,
                },
            )
            rounds[spec.slug] = rnd
        return rounds

    def questions(self, guide: Guide, rounds: dict[str, Round], regions: dict[str, Region]):
        wanted = self.spec.all_questions()
        tags = self.tags({name for question, _ in wanted for name in question.tags})
        self.remove("question", guide.questions.exclude(slug__in=[q.slug for q, _ in wanted]))
        existing = {q.slug: q for q in guide.questions.prefetch_related("tags")}
        for spec, round_slug in wanted:
            question = existing.get(spec.slug) or Question(guide=guide)
            is_new = question.pk is None
            counter = self.save(
                "question",
                question,
                self.question_values(spec, rounds.get(round_slug), regions),
            )
            current = set() if is_new else {tag.name for tag in question.tags.all()}
            if current != set(spec.tags):
                question.tags.set([tags[name] for name in spec.tags])
                if counter is self.result.unchanged:
                    # Only the tags differ: the question counts as updated.
                    self.result.unchanged["question"] -= 1
                    self.result.updated["question"] += 1

    @staticmethod
    def question_values(
        spec: QuestionSpec, rnd: Round | None, regions: dict[str, Region]
    ) -> dict[str, Any]:
        return {
            "slug": spec.slug,
            "text": spec.text,
            "kind": spec.kind,
            "order": spec.order,
            "guidance": spec.guidance,
            "is_published": spec.published,
            "last_reviewed": spec.last_reviewed,
            "round_id": rnd.pk if rnd else None,
            "region_id": regions[spec.region_slug].pk if spec.region_slug else None,
        }

    def tags(self, names: set[str]) -> dict[str, Tag]:
        tags = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
        for name in sorted(names - tags.keys()):
            slug = slugify(name)[:60]
            clash = Tag.objects.filter(slug=slug).first()
            if clash:
                raise ContentFileInvalid(
                    [
                        ContentError(
                            None,
                            "tags",
                            f'tag "{name}" is too close to the existing tag "{clash.name}"; '
                            "use that name",
                        )
                    ]
                )
            tags[name] = Tag.objects.create(name=name, slug=slug)
        return tags

    def study_plan(self, guide: Guide) -> None:
        existing = {b.start_week: b for b in guide.study_blocks.prefetch_related("tasks")}
        wanted = {spec.start_week for spec in self.spec.study_plan}
        self.remove("block", guide.study_blocks.exclude(start_week__in=wanted))
        for spec in self.spec.study_plan:
            block = existing.get(spec.start_week) or StudyBlock(guide=guide)
            self.save(
                "block",
                block,
                {
                    "start_week": spec.start_week,
                    "end_week": spec.end_week,
                    "title": spec.title,
                    "headline": spec.headline,
                    "description": spec.description,
                },
            )
            self.tasks(block, spec.tasks)

    def tasks(self, block: StudyBlock, texts: list[str]) -> None:
        # Tasks are matched by text so candidates keep their ticks when tasks are reordered.
        unmatched = list(block.tasks.all()) if block.pk else []
        kept: list[tuple[StudyTask, int]] = []
        fresh: list[tuple[str, int]] = []
        for order, text in enumerate(texts, start=1):
            match = next((task for task in unmatched if task.text == text), None)
            if match is None:
                fresh.append((text, order))
            else:
                unmatched.remove(match)
                kept.append((match, order))
        self.remove("task", block.tasks.filter(pk__in=[task.pk for task in unmatched]))
        for task, order in kept:
            self.save("task", task, {"order": order})
        for text, order in fresh:
            self.save("task", StudyTask(block=block), {"order": order, "text": text})
