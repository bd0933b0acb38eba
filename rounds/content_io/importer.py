"""Write a validated guide file into the database: idempotent, atomic, the file is the truth."""

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import Count
from django.utils.text import slugify

from practice.models import QuestionProgress
from questions.models import Question, Tag
from rounds.models import EvaluationCriterion, Guide, Region, RegionalVariant, Round
from studyplan.models import StudyBlock, StudyTask, TaskProgress

from ..history.services import recorded_as
from .errors import ContentError, ContentFileInvalid, shorten
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


# What candidates did with an item, as the preview words it.
PROGRESS_WORDS = {
    "task": ("study task", "study tasks", "ticked"),
    "question": ("question", "questions", "practised or took notes on"),
}
LOSSES_LISTED = 20
# The reason on the history rows an import writes.
IMPORT_REASON = "import"


@dataclass(frozen=True)
class Loss:
    """An item the import removes although candidates ticked it or took notes on it."""

    kind: str
    pk: int
    text: str
    candidates: int


@dataclass
class ImportResult:
    guide: Guide
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    removed: Counter = field(default_factory=Counter)
    losses: list[Loss] = field(default_factory=list)
    # Distinct candidates per kind of item, across every item of that kind that is removed.
    loss_candidates: Counter = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)

    @property
    def fingerprint(self) -> str:
        """Names exactly which candidates' items this import removes, for the confirmation."""
        names = sorted(f"{loss.kind}:{loss.pk}" for loss in self.losses)
        return hashlib.sha256(" ".join(names).encode()).hexdigest()[:32]

    def loss_sentence(self) -> str:
        """What the import takes from candidates: "removes 2 study tasks that 14 candidates
        ticked and 1 question that 3 candidates practised or took notes on"."""
        phrases = []
        for kind, (singular, plural, verb) in PROGRESS_WORDS.items():
            items = [loss for loss in self.losses if loss.kind == kind]
            if items:
                people = self.loss_candidates[kind]
                phrases.append(
                    f"{len(items)} {singular if len(items) == 1 else plural} that "
                    f"{people} candidate{'' if people == 1 else 's'} {verb}"
                )
        return "removes " + " and ".join(phrases) if phrases else ""

    def sections(self) -> list[dict[str, Any]]:
        """Per kind of item, what the import adds, changes, removes and leaves: the preview's
        table."""
        rows = []
        for key, (_, plural) in LABELS.items():
            counts = {
                "added": self.created[key],
                "changed": self.updated[key],
                "removed": self.removed[key],
                "unchanged": self.unchanged[key],
            }
            if any(counts.values()):
                rows.append({"section": plural, **counts})
        return rows

    def loss_items(self) -> list[str]:
        """The removed items with candidates' progress, the first LOSSES_LISTED of them."""
        items = [
            f"{PROGRESS_WORDS[loss.kind][0]} “{shorten(loss.text, 100)}” "
            f"({loss.candidates} candidate{'' if loss.candidates == 1 else 's'})"
            for loss in self.losses[:LOSSES_LISTED]
        ]
        if len(self.losses) > LOSSES_LISTED:
            items.append(f"… and {len(self.losses) - LOSSES_LISTED} more")
        return items

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


def progress_losses(kind: str, queryset: models.QuerySet) -> tuple[list[Loss], int]:
    """The items of `queryset` ("task" or "question") that candidates ticked or took notes on,
    each with how many candidates, and how many distinct candidates in all: what removing them
    takes. Also used by a guide's restore (rounds.history)."""
    if kind == "task":
        progress = TaskProgress.objects.filter(task__in=queryset)
        item, person = "task_id", "enrolment__user_id"
    else:
        progress = QuestionProgress.objects.filter(question__in=queryset)
        item, person = "question_id", "user_id"
    counts = dict(
        progress.values_list(item).annotate(people=Count(person, distinct=True)).order_by()
    )
    if not counts:
        return [], 0
    losses = [
        Loss(kind, pk, text, counts[pk])
        for pk, text in queryset.filter(pk__in=counts).order_by("pk").values_list("pk", "text")
    ]
    return losses, progress.values(person).distinct().count()


class ProgressAtRisk(Exception):
    """The import would remove items candidates ticked or took notes on; nothing was changed.

    `result` is what the import would have done: its summary and losses make the preview, and its
    fingerprint confirms exactly these losses on the next attempt.
    """

    def __init__(self, result: ImportResult) -> None:
        self.result = result
        super().__init__(result.loss_sentence())


def guide_import_bytes(
    *,
    raw: bytes,
    allow_removing_progress: bool = False,
    confirmed: str = "",
    user=None,
    dry_run: bool = False,
    keep_status: bool = False,
    reason: str = IMPORT_REASON,
) -> ImportResult:
    """Import a guide file's bytes; raises ContentFileInvalid, changing nothing, when it is bad."""
    document = load_located(decode_content(raw))
    return guide_import(
        data=validate_guide(document),
        allow_removing_progress=allow_removing_progress,
        confirmed=confirmed,
        user=user,
        dry_run=dry_run,
        keep_status=keep_status,
        reason=reason,
    )


def guide_import(
    *,
    data: GuideSpec,
    allow_removing_progress: bool = False,
    confirmed: str = "",
    user=None,
    dry_run: bool = False,
    keep_status: bool = False,
    reason: str = IMPORT_REASON,
) -> ImportResult:
    """Make the database hold exactly the guide in `data`, writing only rows that differ.

    With `keep_status` (a recruiter's import in the admin) the file's status and "last reviewed"
    date are not applied: an existing guide keeps its own, a new one is a draft; existing
    questions keep whether they are published. Publishing goes
    through review (rounds/publishing.py), not through a file.

    An import that removes items with candidates' progress raises ProgressAtRisk and changes
    nothing, unless `allow_removing_progress` is set or `confirmed` is the fingerprint of exactly
    those removals (from an earlier preview). Every row written is recorded in the guide's
    history with `reason` ("import" unless said otherwise, e.g. by an approved staged edit) and
    `user` (the signed-in user in the admin).

    `dry_run` does it all and rolls it back: the result says what the import would do, losses
    included, for a preview.
    """
    try:
        with transaction.atomic(), recorded_as(reason=reason, user=user):
            result = _Importer(data, keep_status=keep_status).run()
            if dry_run:
                transaction.set_rollback(True)
                return result
            if result.losses and not (
                allow_removing_progress or (confirmed and confirmed == result.fingerprint)
            ):
                # Raised inside the transaction, so the trial run is rolled back.
                raise ProgressAtRisk(result)
            return result
    except IntegrityError as exc:
        raise ContentFileInvalid(
            [ContentError(None, "", f"the database refused the content: {exc}")]
        ) from None


def _same(current: Any, value: Any) -> bool:
    # Text typed in the admin keeps the browser's CRLF line ends; a file has LF. Same text.
    if isinstance(current, str) and isinstance(value, str):
        return current.replace("\r\n", "\n") == value.replace("\r\n", "\n")
    return current == value


def _sync(instance: models.Model, values: dict[str, Any]) -> bool:
    """Set the differing `values` on `instance`; whether anything changed."""
    changed = False
    for name, value in values.items():
        if not _same(getattr(instance, name), value):
            setattr(instance, name, value)
            changed = True
    return changed


class _Importer:
    def __init__(self, spec: GuideSpec, *, keep_status: bool = False) -> None:
        self.spec = spec
        self.keep_status = keep_status
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
            if kind in PROGRESS_WORDS:
                self.record_losses(kind, queryset)
            queryset.delete()
            self.result.removed[kind] += count

    def record_losses(self, kind: str, queryset: models.QuerySet) -> None:
        """Note which of the removed items candidates have progress on, before it is deleted."""
        losses, people = progress_losses(kind, queryset)
        if losses:
            self.result.losses.extend(losses)
            self.result.loss_candidates[kind] += people

    def run(self) -> ImportResult:
        guide = Guide.objects.filter(slug=self.spec.slug).first() or Guide()
        self.result = ImportResult(guide=guide)
        fields = dict(self.spec.fields)
        if self.keep_status:
            fields.pop("status", None)
            fields.pop("last_reviewed", None)
        self.save("guide", guide, fields)
        self.criteria(guide)
        regions = self.regions(guide)
        rounds = self.rounds(guide)
        self.questions(guide, rounds, regions)
        self.study_plan(guide, rounds)
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
        # Matched on their key, so rewording a question keeps candidates' notes attached; a
        # question without a key in the file is new.
        existing = {q.key: q for q in guide.questions.prefetch_related("tags")} if guide.pk else {}
        keys = {spec.key for spec, _ in wanted if spec.key}
        self.remove(
            "question",
            guide.questions.filter(pk__in=[q.pk for k, q in existing.items() if k not in keys]),
        )
        matched = [(spec, existing.get(spec.key) if spec.key else None) for spec, _ in wanted]
        slugs = self.question_slugs(matched)
        moving = [q for spec, q in matched if q is not None and q.slug != slugs[id(spec)]]
        if moving:
            # Park the slugs that change, so two questions may trade slugs without a clash.
            for question in moving:
                Question.objects.filter(pk=question.pk).update(slug=f"~{question.pk}")
        kept = self.kept_orders(wanted, matched, rounds, regions)
        for (spec, round_slug), (_, match) in zip(wanted, matched, strict=True):
            question = match or Question(guide=guide)
            is_new = question.pk is None
            values = self.question_values(spec, rounds.get(round_slug), regions)
            values["order"] = kept.get(id(spec), values["order"])
            values["slug"] = slugs[id(spec)]
            if is_new and spec.key:
                values["key"] = spec.key
            if self.keep_status and not is_new:
                # As for the guide: a recruiter's file does not publish or hide a question,
                # review does (questions/publishing.py). A new question takes the file's word.
                del values["is_published"]
            counter = self.save("question", question, values)
            current = set() if is_new else {tag.name for tag in question.tags.all()}
            if current != set(spec.tags):
                question.tags.set([tags[name] for name in spec.tags])
                if counter is self.result.unchanged:
                    # Only the tags differ: the question counts as updated.
                    self.result.unchanged["question"] -= 1
                    self.result.updated["question"] += 1

    @staticmethod
    def kept_orders(wanted, matched, rounds: dict[str, Round], regions: dict[str, Region]):
        """Files give questions' positions by their sequence (1, 2, 3 …); questions written in
        the admin may have other numbers (0, 0, 5 …) in the same sequence. Where a round's or
        region's questions are all known and already in the file's sequence, their numbers stay,
        so an untouched file changes nothing."""
        groups: dict[tuple, list[tuple[QuestionSpec, Question | None]]] = {}
        for (spec, round_slug), (_, match) in zip(wanted, matched, strict=True):
            groups.setdefault((round_slug, spec.region_slug), []).append((spec, match))
        kept: dict[int, int] = {}
        for (round_slug, region_slug), members in groups.items():
            rnd = rounds.get(round_slug)
            target = (rnd.pk if rnd else None, regions[region_slug].pk if region_slug else None)
            questions = [match for _, match in members]
            if any(q is None or (q.round_id, q.region_id) != target for q in questions):
                continue
            if sorted(questions, key=lambda q: (q.order, q.pk)) == questions:
                kept.update((id(spec), match.order) for spec, match in members)
        return kept

    @staticmethod
    def question_slugs(matched: list[tuple[QuestionSpec, Question | None]]) -> dict[int, str]:
        """Each question's slug: the file's, else the one it has (its address stays when it is
        reworded), else the one its text gives."""
        slugs: dict[int, str] = {}
        owners: dict[str, QuestionSpec] = {}
        errors = []
        for spec, question in matched:
            slug = spec.slug if spec.slug_given or question is None else question.slug
            if slug in owners:
                errors.append(
                    ContentError(
                        spec.line,
                        f"{spec.path}.slug" if spec.slug_given else f"{spec.path}.text",
                        f'gives slug "{slug}", which {owners[slug].path} already has; '
                        "add a distinct slug field",
                    )
                )
            owners[slug] = spec
            slugs[id(spec)] = slug
        if errors:
            raise ContentFileInvalid(errors)
        return slugs

    @staticmethod
    def question_values(
        spec: QuestionSpec, rnd: Round | None, regions: dict[str, Region]
    ) -> dict[str, Any]:
        return {
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

    def links(
        self,
        block: StudyBlock,
        is_new: bool,
        counter: Counter,
        spec: Any,
        rounds: dict[str, Round],
        tags: dict[str, Tag],
    ) -> None:
        """Set the rounds and tags a block prepares for."""
        changed = False
        if is_new or {r.slug for r in block.rounds.all()} != set(spec.rounds):
            block.rounds.set([rounds[slug] for slug in spec.rounds])
            changed = True
        if is_new or {t.name for t in block.tags.all()} != set(spec.tags):
            block.tags.set([tags[name] for name in spec.tags])
            changed = True
        if changed and counter is self.result.unchanged:
            # Only the links differ: the block counts as updated.
            self.result.unchanged["block"] -= 1
            self.result.updated["block"] += 1

    def study_plan(self, guide: Guide, rounds: dict[str, Round]) -> None:
        existing = {b.start_week: b for b in guide.study_blocks.prefetch_related("rounds", "tags")}
        tags = self.tags({name for block in self.spec.study_plan for name in block.tags})
        # Tasks are matched on their key across the whole plan, so candidates keep their ticks
        # when a task is reworded, reordered or moved to another block; a task without a key in
        # the file is new.
        all_tasks = StudyTask.objects.filter(block__guide=guide) if guide.pk else None
        tasks = {task.key: task for task in all_tasks} if all_tasks is not None else {}
        keys = {task.key for block in self.spec.study_plan for task in block.tasks if task.key}
        if all_tasks is not None:
            self.remove("task", all_tasks.exclude(key__in=keys))
        for spec in self.spec.study_plan:
            block = existing.pop(spec.start_week, None) or StudyBlock(guide=guide)
            is_new = block.pk is None
            counter = self.save(
                "block",
                block,
                {
                    "start_week": spec.start_week,
                    "end_week": spec.end_week,
                    "title": spec.title,
                    "headline": spec.headline,
                    "description": spec.description,
                    "question_kinds": spec.kinds,
                },
            )
            self.links(block, is_new, counter, spec, rounds, tags)
            known = [tasks.get(t.key) if t.key else None for t in spec.tasks]
            # As for questions: a block whose tasks are all known and in the file's sequence
            # keeps their numbers (1, 2, 4 after a deletion in the admin), so nothing is written.
            keep = (
                all(t is not None and t.block_id == block.pk for t in known)
                and sorted(known, key=lambda t: (t.order, t.pk)) == known
            )
            for order, task_spec in enumerate(spec.tasks, start=1):
                task = tasks.get(task_spec.key) if task_spec.key else None
                position = task.order if keep and task is not None else order
                values: dict[str, Any] = {"block_id": block.pk, "order": position}
                values["text"] = task_spec.text
                if task is None:
                    task = StudyTask(block=block)
                    if task_spec.key:
                        values["key"] = task_spec.key
                self.save("task", task, values)
        # Last, once the tasks that stay have moved out of the blocks that go.
        self.remove("block", guide.study_blocks.filter(pk__in=[b.pk for b in existing.values()]))
