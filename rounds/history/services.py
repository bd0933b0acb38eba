"""Recording, reading and restoring a guide's history (django-simple-history underneath).

Every content model carries `history = HistoricalRecords()`; a save or delete writes a historical
row with the user (HistoryRequestMiddleware, or `recorded_as`) and a reason. A guide's history is
the union of its own rows and those of everything in it: criteria, rounds, regional variants,
questions (with their tags), study blocks and tasks, plus the regions its variants use.
"""

import contextlib
import datetime
import hashlib
from collections import defaultdict
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.contrib.admin.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.utils.text import capfirst
from simple_history.signals import pre_create_historical_record

from practice.models import QuestionProgress
from questions.models import Question, Tag
from rounds.models import EvaluationCriterion, Guide, Region, RegionalVariant, Round
from studyplan.models import StudyBlock, StudyTask

# Fields every save rewrites; comparing them would make every restore a change.
_STAMPS = {"created_at", "updated_at"}
# What a history row's type means to a reader.
ACTIONS = {"+": "added", "~": "changed", "-": "deleted"}

_recording: ContextVar[tuple[str, Any] | None] = ContextVar("history_recording", default=None)


@contextlib.contextmanager
def recorded_as(*, reason: str, user=None) -> Iterator[None]:
    """Every history row written inside the block gets `reason` (and `user`, when the request
    has none): imports and restores say so, cascaded deletes included."""
    token = _recording.set((reason, user))
    try:
        yield
    finally:
        _recording.reset(token)


def stamp_history_row(sender, history_instance, **kwargs) -> None:
    """pre_create_historical_record receiver (connected in RoundsConfig.ready)."""
    recording = _recording.get()
    if recording is None:
        return
    reason, user = recording
    if not history_instance.history_change_reason:
        history_instance.history_change_reason = reason[:100]
    if user is not None and history_instance.history_user_id is None:
        history_instance.history_user = user


def connect() -> None:
    pre_create_historical_record.connect(stamp_history_row, dispatch_uid="rounds.history.stamp")


def _m2m_model() -> type[models.Model]:
    # simple-history names the through table's history model after the field.
    return Question.history.model._meta.get_field("historicalquestion_tags").related_model


# --- reading -------------------------------------------------------------------------------


@dataclass
class FieldChange:
    field: str
    old: str
    new: str


@dataclass
class Change:
    """One historical row, as the History page shows it."""

    at: datetime.datetime
    what: str  # "question", "round", ...
    label: str
    action: str  # added / changed / deleted
    user: str
    reason: str
    fields: list[FieldChange] = field(default_factory=list)


def _history_querysets(guide_id: int) -> list[tuple[str, models.QuerySet]]:
    """Every history row of the guide and what is in it, per kind, each one query."""
    block_ids = StudyBlock.history.filter(guide_id=guide_id).values("id")
    region_ids = RegionalVariant.history.filter(guide_id=guide_id).values("region_id")
    return [
        ("guide", Guide.history.filter(id=guide_id)),
        ("evaluation criterion", EvaluationCriterion.history.filter(guide_id=guide_id)),
        ("round", Round.history.filter(guide_id=guide_id)),
        ("region", Region.history.filter(id__in=region_ids)),
        ("regional difference", RegionalVariant.history.filter(guide_id=guide_id)),
        ("question", Question.history.filter(guide_id=guide_id)),
        ("study block", StudyBlock.history.filter(guide_id=guide_id)),
        ("study task", StudyTask.history.filter(block_id__in=block_ids)),
    ]


def _label(what: str, row: models.Model, region_names: dict[int, str]) -> str:
    if what == "regional difference":
        # Its own __str__ would read the guide and region: a query per row.
        return region_names.get(row.region_id, f"region #{row.region_id}")
    return str(row.instance)[:120]


def _show(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(sorted(str(v) for v in value)) or "—"
    return str(value)


def _field_change(model: type[models.Model], name: str, old: Any, new: Any) -> FieldChange:
    """A field's change as a recruiter reads it: the field's label, choices by their labels,
    true and false as yes and no ("is_published False → True", "status in_review → published")."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return FieldChange(name, _show(old), _show(new))
    choices = dict(field.flatchoices) if field.choices else {}

    def show(value: Any) -> str:
        if isinstance(value, bool):
            return "yes" if value else "no"
        return _show(choices.get(value, value))

    return FieldChange(capfirst(field.verbose_name), show(old), show(new))


def guide_changes(*, guide_id: int) -> list[Change]:
    """Every change to the guide and everything in it, newest first, with field-level before and
    after (diff_against the row's previous version): a fixed number of queries."""
    changes: list[Change] = []
    question_rows: list[models.Model] = []
    region_names: dict[int, str] = {}
    for what, queryset in _history_querysets(guide_id):
        rows = list(queryset.select_related("history_user").order_by("id", "history_date"))
        if what == "question":
            question_rows = rows
        if what == "region":
            region_names = {row.id: row.name for row in rows}
        previous: dict[int, models.Model] = {}
        for row in rows:
            before = previous.get(row.id)
            previous[row.id] = row
            fields: list[FieldChange] = []
            if before is not None and row.history_type == "~":
                delta = row.diff_against(before, excluded_fields=[*_STAMPS, "tags"])
                model = queryset.model.instance_type
                fields = [_field_change(model, c.field, c.old, c.new) for c in delta.changes]
            user = row.history_user
            changes.append(
                Change(
                    at=row.history_date,
                    what=what,
                    label=_label(what, row, region_names),
                    action=ACTIONS.get(row.history_type, row.history_type),
                    user=(user.get_full_name() or user.email) if user else "",
                    reason=row.history_change_reason or "",
                    fields=fields,
                )
            )
            row._change = changes[-1]
    _add_tag_changes(question_rows)
    changes += _import_summaries(guide_id)
    changes.sort(key=lambda change: change.at, reverse=True)
    return changes


def _import_summaries(guide_id: int) -> list[Change]:
    """The one-line summaries imports leave in the admin log ("56 created, …"); the admin's own
    edit messages are left out, the rows above say more."""
    entries = (
        LogEntry.objects.filter(
            content_type__app_label="rounds",
            content_type__model="guide",
            object_id=str(guide_id),
        )
        .exclude(change_message__startswith="[")
        .exclude(change_message="")
        .select_related("user")
    )
    return [
        Change(
            at=entry.action_time,
            what="guide",
            label=entry.object_repr,
            action="imported",
            user=entry.user.get_full_name() or entry.user.email,
            reason=entry.change_message,
        )
        for entry in entries
    ]


def _add_tag_changes(rows: list[models.Model]) -> None:
    """Tags before and after, from the recorded through rows (one query for all versions)."""
    tags_of: dict[int, list[int]] = defaultdict(list)
    m2m = _m2m_model()
    for history_id, tag_id in m2m.objects.filter(history__in=[r.pk for r in rows]).values_list(
        "history_id", "tag_id"
    ):
        tags_of[history_id].append(tag_id)
    names = dict(Tag.objects.values_list("id", "name"))
    previous: dict[int, set[int]] = {}
    for row in rows:
        current = set(tags_of.get(row.history_id, []))
        before = previous.get(row.id)
        previous[row.id] = current
        if before is not None and before != current and row.history_type == "~":
            row._change.fields.append(
                FieldChange(
                    "Tags",
                    _show([names.get(i, f"#{i}") for i in before]),
                    _show([names.get(i, f"#{i}") for i in current]),
                )
            )


# --- restoring -----------------------------------------------------------------------------


class NothingToRestore(Exception):
    """The guide did not exist at that time."""


@dataclass
class RestoreResult:
    written: int = 0
    deleted: int = 0
    notes_reattached: int = 0
    # Study tasks the restore removes that candidates ticked: (task text, candidates). A tick
    # goes with its task; the recruiter confirms that before it happens.
    lost_ticks: list[tuple[str, int]] = field(default_factory=list)
    ticking_candidates: int = 0

    def fingerprint(self, at: datetime.datetime) -> str:
        """Names this restore and what it takes from candidates, for the confirmation."""
        text = " ".join([at.isoformat(), *(f"{t}:{n}" for t, n in self.lost_ticks)])
        return hashlib.sha256(text.encode()).hexdigest()[:32]


class RestoreNeedsConfirmation(Exception):
    """The restore was worked out and rolled back: `result` says what it would do."""

    def __init__(self, result: RestoreResult) -> None:
        self.result = result
        super().__init__("Confirm the restore.")


def _as_of(model: type[models.Model], ids: models.QuerySet, at: datetime.datetime) -> dict:
    """The version of each row in `ids` current at `at`, by primary key (rows deleted by then
    left out)."""
    latest: dict[int, models.Model] = {}
    rows = model.history.filter(id__in=ids, history_date__lte=at).order_by(
        "id", "history_date", "history_id"
    )
    for row in rows:
        latest[row.id] = row
    return {pk: row for pk, row in latest.items() if row.history_type != "-"}


def _differs(current: models.Model | None, wanted: models.Model) -> bool:
    if current is None:
        return True
    return any(
        getattr(current, f.attname) != getattr(wanted, f.attname)
        for f in type(current)._meta.concrete_fields
        if f.name not in _STAMPS
    )


class _Restore:
    def __init__(self, guide_id: int, at: datetime.datetime) -> None:
        self.guide_id = guide_id
        self.at = at
        self.result = RestoreResult()

    def put(self, record: models.Model, current: dict) -> models.Model:
        """Write the recorded version, keeping its primary key; only when it differs."""
        wanted = record.instance
        existing = current.get(wanted.pk)
        if _differs(existing, wanted):
            if existing is not None:
                wanted.created_at = getattr(existing, "created_at", None)
            wanted.save(force_insert=existing is None)
            self.result.written += 1
        return wanted

    def drop(self, queryset: models.QuerySet) -> None:
        if queryset.model is StudyTask:
            self.note_lost_ticks(queryset)
        for instance in queryset:
            instance.delete()
            self.result.deleted += 1

    def note_lost_ticks(self, tasks: models.QuerySet) -> None:
        # Imported here: the importer records its history through this module.
        from ..content_io.importer import progress_losses

        losses, people = progress_losses("task", tasks)
        self.result.lost_ticks += [(loss.text, loss.candidates) for loss in losses]
        self.result.ticking_candidates += people

    def ensure(self, model: type[models.Model], ids: set[int]) -> None:
        """Shared rows (regions, tags) are only brought back when deleted since, never
        rewritten: other guides use them as they are now."""
        missing = ids - set(model.objects.filter(pk__in=ids).values_list("pk", flat=True))
        if not missing:
            return
        latest: dict[int, models.Model] = {}
        for row in (
            model.history.filter(id__in=missing)
            .exclude(history_type="-")
            .order_by("id", "history_date")
        ):
            latest[row.id] = row
        for row in latest.values():
            row.instance.save(force_insert=True)
            self.result.written += 1

    def run(self) -> RestoreResult:
        g = self.guide_id
        guides = _as_of(Guide, Guide.history.filter(id=g).values("id"), self.at)
        if g not in guides:
            raise NothingToRestore
        current_guide = Guide.objects.filter(pk=g).first()
        guide = guides[g].instance
        if current_guide is not None:
            guide.created_at = current_guide.created_at
        # Always saved, so the guide's own history says it was restored.
        guide.save(force_insert=current_guide is None)
        self.result.written += 1

        def scoped(model, **lookup) -> tuple[dict, dict]:
            ids = model.history.filter(**lookup).values("id")
            wanted = {
                pk: row
                for pk, row in _as_of(model, ids, self.at).items()
                if all(getattr(row, k) == v for k, v in lookup.items() if not k.endswith("__in"))
            }
            return wanted, {obj.pk: obj for obj in model.objects.filter(**lookup)}

        criteria, current = scoped(EvaluationCriterion, guide_id=g)
        self.drop(EvaluationCriterion.objects.filter(guide_id=g).exclude(pk__in=criteria))
        for row in criteria.values():
            self.put(row, current)

        rounds, current = scoped(Round, guide_id=g)
        self.drop(Round.objects.filter(guide_id=g).exclude(pk__in=rounds))
        self.park(Round, rounds, current, "slug", lambda pk, i: f"~{pk}")
        for row in rounds.values():
            self.put(row, current)

        variants, current = scoped(RegionalVariant, guide_id=g)
        questions, current_questions = scoped(Question, guide_id=g)
        region_ids = {r.region_id for r in variants.values()}
        region_ids |= {q.region_id for q in questions.values() if q.region_id}
        self.ensure(Region, region_ids)
        self.drop(RegionalVariant.objects.filter(guide_id=g).exclude(pk__in=variants))
        for row in variants.values():
            self.put(row, current)

        blocks, current = scoped(StudyBlock, guide_id=g)
        self.park_blocks(blocks, current)
        for row in blocks.values():
            self.put(row, current)
        task_ids = StudyTask.history.filter(block_id__in=list(blocks)).values("id")
        tasks = {
            pk: row
            for pk, row in _as_of(StudyTask, task_ids, self.at).items()
            if row.block_id in blocks
        }
        current = {t.pk: t for t in StudyTask.objects.filter(block__guide_id=g)}
        for row in tasks.values():
            self.put(row, current)
        self.drop(StudyTask.objects.filter(block__guide_id=g).exclude(pk__in=tasks))
        self.drop(StudyBlock.objects.filter(guide_id=g).exclude(pk__in=blocks))

        self.questions(questions, current_questions)
        return self.result

    def park(self, model, wanted: dict, current: dict, name: str, parked) -> None:
        """Move unique values that change out of the way first, so two rows may trade them."""
        for i, (pk, obj) in enumerate(current.items()):
            if pk in wanted and getattr(wanted[pk], name) != getattr(obj, name):
                model.objects.filter(pk=pk).update(**{name: parked(pk, i)})

    def park_blocks(self, wanted: dict, current: dict) -> None:
        for i, (pk, block) in enumerate(current.items()):
            if pk not in wanted or wanted[pk].start_week != block.start_week:
                week = 30000 + i
                StudyBlock.objects.filter(pk=pk).update(start_week=week, end_week=week)

    def questions(self, wanted: dict, current: dict) -> None:
        g = self.guide_id
        self.drop(Question.objects.filter(guide_id=g).exclude(pk__in=wanted))
        self.park(Question, wanted, current, "slug", lambda pk, i: f"~{pk}")
        m2m = _m2m_model()
        tags_of: dict[int, set[int]] = defaultdict(set)
        for history_id, tag_id in m2m.objects.filter(
            history__in=[row.history_id for row in wanted.values()]
        ).values_list("history_id", "tag_id"):
            tags_of[history_id].add(tag_id)
        self.ensure(Tag, {t for ids in tags_of.values() for t in ids})
        current_tags: dict[int, set[int]] = defaultdict(set)
        for question_id, tag_id in Question.tags.through.objects.filter(
            question__guide_id=g
        ).values_list("question_id", "tag_id"):
            current_tags[question_id].add(tag_id)
        recreated = []
        for row in wanted.values():
            question = self.put(row, current)
            if row.id not in current:
                recreated.append(question)
            tag_ids = tags_of.get(row.history_id, set())
            if tag_ids != current_tags.get(row.id, set()):
                question.tags.set(tag_ids)
        for question in recreated:
            self.reattach_notes(question)

    def reattach_notes(self, question: Question) -> None:
        """Notes kept when the question was deleted (question_text, guide) go back to it."""
        texts = set(Question.history.filter(id=question.pk).values_list("text", flat=True))
        taken = QuestionProgress.objects.filter(question=question).values("user_id")
        count = (
            QuestionProgress.objects.filter(
                question__isnull=True, guide_id=self.guide_id, question_text__in=texts
            )
            .exclude(user_id__in=taken)
            .update(question=question)
        )
        self.result.notes_reattached += count


def restore_guide(
    *, guide_id: int, at: datetime.datetime, user=None, confirm: str | None = None
) -> RestoreResult:
    """Make the guide and everything in it what it was at `at`, in one transaction.

    Rows keep their primary keys, so candidates' ticks and notes stay attached; rows deleted since
    come back with their old keys, and notes kept from a deleted question re-attach. A study task
    added after `at` goes, and its ticks with it. Unless `confirm` is the fingerprint of exactly
    this restore (`RestoreResult.fingerprint`), or None to skip the check, nothing is kept:
    RestoreNeedsConfirmation says what it would do. The restore is recorded like any change, with
    the reason naming the time restored.
    """
    reason = f"Restored to the version of {at:%d %b %Y %H:%M:%S}"
    with transaction.atomic(), recorded_as(reason=reason, user=user):
        result = _Restore(guide_id, at).run()
        if confirm is not None and confirm != result.fingerprint(at):
            # Raised inside the transaction, so everything written above is rolled back.
            raise RestoreNeedsConfirmation(result)
        return result
