"""Questions and study tasks are matched on their key: rewording keeps candidates' progress, and an
import that would still remove progress asks first."""

import datetime
import importlib
import io
import re

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from practice.models import PracticeStatus, QuestionProgress
from questions.models import Question
from rounds.content_io.exporter import guide_export
from studyplan.models import StudyBlock, StudyTask, TaskProgress
from tests.factories import EnrolmentFactory, UserFactory

from .conftest import import_guide


def write(tmp_path, text: str):
    path = tmp_path / "edited.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def refusal(path) -> str:
    with pytest.raises(CommandError) as excinfo:
        call_command("import_guide", str(path))
    return str(excinfo.value)


def reword_everything(text: str) -> str:
    """Every question and task text reworded; keys, and everything else, left as they are."""
    return re.sub(r"^(\s+- text: )", r"\1Reworded - ", text, flags=re.MULTILINE)


def without_item(text: str, key: str) -> str:
    """The file without the question or task whose key is `key`."""
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.strip() == f"key: {key}")
    start = at - 1
    while not lines[start].lstrip().startswith("- text:"):
        start -= 1
    indent = len(lines[start]) - len(lines[start].lstrip())
    end = at + 1
    while end < len(lines) and len(lines[end]) - len(lines[end].lstrip()) > indent:
        end += 1
    return "".join(lines[:start] + lines[end:])


@pytest.fixture
def candidates(seed_guide, alice, bob):
    """Alice and Bob have ticked every task and practised every question, with notes."""
    for user in (alice, bob):
        enrolment = EnrolmentFactory(
            user=user, guide=seed_guide, start_date=datetime.date(2026, 1, 5)
        )
        for task in StudyTask.objects.filter(block__guide=seed_guide):
            TaskProgress.objects.create(enrolment=enrolment, task=task)
        for question in seed_guide.questions.all():
            QuestionProgress.objects.create(
                user=user,
                question=question,
                guide=seed_guide,
                guide_title=seed_guide.title,
                question_text=question.text,
                status=PracticeStatus.PRACTISED,
                answer_draft=f"{user.display_name}'s notes",
            )
    return [alice, bob]


@pytest.mark.django_db
def test_rewording_every_question_and_task_keeps_all_ticks_and_notes(
    seed_guide, seed_text, candidates, tmp_path
):
    slugs = dict(Question.objects.values_list("key", "slug"))
    ticks = set(TaskProgress.objects.values_list("enrolment_id", "task_id"))
    notes = set(QuestionProgress.objects.values_list("user_id", "question_id", "answer_draft"))
    reworded = reword_everything(seed_text)
    assert reworded.count("Reworded - ") == 28 + 13

    summary = import_guide(write(tmp_path, reworded))

    assert "0 created, 41 updated" in summary
    assert "0 removed" in summary
    assert set(TaskProgress.objects.values_list("enrolment_id", "task_id")) == ticks
    assert (
        set(QuestionProgress.objects.values_list("user_id", "question_id", "answer_draft")) == notes
    )
    assert all(
        t.startswith("Reworded - ") for t in StudyTask.objects.values_list("text", flat=True)
    )
    assert all(q.text.startswith("Reworded - ") for q in Question.objects.all())
    # A reworded question keeps its address, so candidates' bookmarks still work.
    assert dict(Question.objects.values_list("key", "slug")) == slugs
    # The file written back keeps the old addresses; importing it again changes nothing.
    again = import_guide(write(tmp_path, guide_export(guide=seed_guide)))
    assert "(no changes)" in again


@pytest.mark.django_db
def test_a_task_moved_to_another_block_keeps_its_ticks(seed_guide, seed_text, alice, tmp_path):
    enrolment = EnrolmentFactory(user=alice, guide=seed_guide, start_date=datetime.date(2026, 1, 5))
    task = StudyTask.objects.get(text="Understand the company's strategic goals and challenges.")
    TaskProgress.objects.create(enrolment=enrolment, task=task)
    item = f"      - text: {task.text}\n        key: {task.key}\n"
    moved = seed_text.replace(item, "").replace(
        "    tasks:\n      - text: Focus on technical leadership and system design.\n",
        "    tasks:\n" + item + "      - text: Focus on technical leadership and system design.\n",
    )
    assert moved.count(task.key) == 1 and moved != seed_text

    import_guide(write(tmp_path, moved))

    task.refresh_from_db()
    assert (task.block.start_week, task.order) == (3, 1)
    assert TaskProgress.objects.filter(enrolment=enrolment, task=task).exists()


@pytest.mark.django_db
def test_a_block_whose_weeks_change_keeps_its_tasks_ticks(seed_guide, seed_text, alice, tmp_path):
    enrolment = EnrolmentFactory(user=alice, guide=seed_guide, start_date=datetime.date(2026, 1, 5))
    task = StudyTask.objects.get(text="Focus on technical leadership and system design.")
    TaskProgress.objects.create(enrolment=enrolment, task=task)
    shifted = seed_text.replace(
        "  - start_week: 1\n    end_week: 2", "  - start_week: 1\n    end_week: 1"
    ).replace("  - start_week: 3\n    end_week: 4", "  - start_week: 2\n    end_week: 4")

    summary = import_guide(write(tmp_path, shifted))

    task.refresh_from_db()
    assert task.block.start_week == 2
    assert TaskProgress.objects.filter(enrolment=enrolment, task=task).exists()
    assert "removed 1 study block" in summary
    assert "study task" not in summary.split("removed")[-1]


@pytest.mark.django_db
def test_removing_a_ticked_task_is_refused_without_confirmation(
    seed_guide, seed_text, candidates, tmp_path
):
    task = StudyTask.objects.get(text="Understand the company's strategic goals and challenges.")
    edited = without_item(seed_text, task.key).replace("plan_weeks: 8", "plan_weeks: 9")
    before = guide_export(guide=seed_guide)

    error = refusal(write(tmp_path, edited))

    assert "nothing imported; this file removes 1 study task that 2 candidates ticked" in error
    assert f"study task “{task.text}” (2 candidates)" in error
    assert "--allow-removing-progress" in error
    assert guide_export(guide=seed_guide) == before
    assert TaskProgress.objects.filter(task=task).count() == 2


@pytest.mark.django_db
def test_removing_a_ticked_task_is_applied_with_confirmation(
    seed_guide, seed_text, candidates, tmp_path
):
    task = StudyTask.objects.get(text="Understand the company's strategic goals and challenges.")
    edited = without_item(seed_text, task.key).replace("plan_weeks: 8", "plan_weeks: 9")
    out = io.StringIO()

    call_command(
        "import_guide", str(write(tmp_path, edited)), "--allow-removing-progress", stdout=out
    )

    assert not StudyTask.objects.filter(pk=task.pk).exists()
    assert TaskProgress.objects.count() == 2 * 12
    seed_guide.refresh_from_db()
    assert seed_guide.plan_weeks == 9
    assert "removed 1 study task" in out.getvalue()


@pytest.mark.django_db
def test_removing_a_question_with_notes_is_refused_then_applied_keeping_the_notes(
    seed_guide, seed_text, candidates, tmp_path
):
    question = Question.objects.get(text="How do you handle conflict within a team?")
    path = write(tmp_path, without_item(seed_text, question.key))

    error = refusal(path)

    assert "removes 1 question that 2 candidates practised or took notes on" in error
    assert Question.objects.filter(pk=question.pk).exists()

    call_command("import_guide", str(path), "--allow-removing-progress", stdout=io.StringIO())

    assert not Question.objects.filter(pk=question.pk).exists()
    notes = QuestionProgress.objects.filter(question_text=question.text)
    assert [(n.question, n.answer_draft) for n in notes.order_by("user__email")] == [
        (None, "Alice's notes"),
        (None, "Bob's notes"),
    ]


@pytest.mark.django_db
def test_a_file_without_keys_asks_before_replacing_items_with_progress(
    seed_guide, seed_text, candidates, tmp_path
):
    # An old export, before keys: every item in it is new, so the ones with progress would go.
    keyless = re.sub(r"^\s+key: \w+\n", "", seed_text, flags=re.MULTILINE)

    error = refusal(write(tmp_path, keyless))

    assert "removes 13 study tasks that 2 candidates ticked" in error
    assert "and 28 questions that 2 candidates practised or took notes on" in error
    assert "… and 21 more" in error
    assert TaskProgress.objects.count() == 2 * 13


@pytest.mark.django_db
def test_an_item_without_progress_and_without_key_is_replaced_silently(
    seed_guide, seed_text, tmp_path
):
    task = StudyTask.objects.get(text="Understand the company's strategic goals and challenges.")

    summary = import_guide(write(tmp_path, seed_text.replace(f"        key: {task.key}\n", "")))

    assert not StudyTask.objects.filter(pk=task.pk).exists()
    replacement = StudyTask.objects.get(text=task.text)
    assert replacement.key and replacement.key != task.key
    assert "created 1 study task" in summary and "removed 1 study task" in summary


@pytest.mark.django_db
def test_a_key_used_twice_in_the_file_is_an_error(seed_guide, seed_text, tmp_path):
    task = StudyTask.objects.get(text="Understand the company's strategic goals and challenges.")
    question = Question.objects.get(text="How do you handle conflict within a team?")
    other_question = Question.objects.get(
        text="What are your strengths and weaknesses as a leader?"
    )
    other_task = StudyTask.objects.get(text="Focus on technical leadership and system design.")
    edited = seed_text.replace(f"key: {other_task.key}", f"key: {task.key}").replace(
        f"key: {other_question.key}", f"key: {question.key}"
    )

    error = refusal(write(tmp_path, edited))

    assert f'study_plan[1].tasks[0].key: "{task.key}" is already the key of study_plan[0]' in error
    assert f'rounds[0].questions[4].key: "{question.key}" is already the key of' in error


@pytest.mark.django_db
def test_a_copied_file_makes_a_second_guide_with_the_same_keys(seed_guide, seed_text, tmp_path):
    copy = seed_text.replace("slug: okx-head-of-engineering", "slug: okx-copy")

    import_guide(write(tmp_path, copy))

    assert Question.objects.filter(guide__slug="okx-copy").count() == 28
    assert StudyTask.objects.filter(block__guide__slug="okx-copy").count() == 13
    assert seed_guide.questions.count() == 28


@pytest.mark.django_db
def test_tasks_added_in_the_admin_or_in_bulk_get_distinct_keys(seed_guide):
    block = StudyBlock.objects.get(guide=seed_guide, start_week=1)
    made = StudyTask.objects.bulk_create(
        [StudyTask(block=block, order=10 + n, text=f"Extra {n}") for n in range(5)]
    )

    assert len({task.key for task in made}) == 5
    assert all(re.fullmatch(r"[a-z][a-z2-9]{7}", task.key) for task in made)


class _AppsAfterPracticeMove:
    """Today's models, where QuestionProgress has since moved to practice (the same table)."""

    def get_model(self, app_label: str, name: str):
        if (app_label, name) == ("questions", "QuestionProgress"):
            app_label = "practice"
        return apps.get_model(app_label, name)


@pytest.mark.django_db
def test_the_migrations_give_existing_rows_keys_and_notes_their_guide_title(seed_guide):
    # What the data migrations do to rows that existed before them.
    keys = importlib.import_module("questions.migrations.0003_question_key")
    task_keys = importlib.import_module("studyplan.migrations.0002_studytask_key")
    titles = importlib.import_module("questions.migrations.0004_questionprogress_guide_title")
    candidate = UserFactory()
    question = seed_guide.questions.first()
    QuestionProgress.objects.create(user=candidate, question=question, guide=seed_guide)
    old = set(Question.objects.values_list("key", flat=True)) | set(
        StudyTask.objects.values_list("key", flat=True)
    )

    keys.give_every_question_a_key(apps, None)
    task_keys.give_every_task_a_key(apps, None)
    titles.copy_guide_titles(_AppsAfterPracticeMove(), None)

    question_keys = set(Question.objects.values_list("key", flat=True))
    task_keys_now = set(StudyTask.objects.values_list("key", flat=True))
    assert (len(question_keys), len(task_keys_now)) == (28, 13)
    assert not (question_keys | task_keys_now) & old
    assert QuestionProgress.objects.get(user=candidate).guide_title == "Head of Engineering at OKX"
