"""STAR drafts move to stories without losing a draft.

stories.0002 makes a story of every non-empty draft; practice.0004 catches up on drafts written
or changed since, then drops the draft fields. Both run on real rows, on the real database.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from stories.models import Story

BEFORE = [("stories", "0001_story_bank")]
AFTER = [("stories", "0002_stories_from_star_drafts")]
BEFORE_REMOVAL = [("practice", "0003_default_answer_frameworks")]
STAR = ("star_situation", "star_task", "star_action", "star_result")


def migrate(targets=None) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor


def apps_as_migrated():
    """The models exactly as the migrations applied so far left the database."""
    executor = MigrationExecutor(connection)
    return executor.loader.project_state(list(executor.loader.applied_migrations)).apps


def progress_columns() -> set[str]:
    with connection.cursor() as cursor:
        table = connection.introspection.get_table_description(cursor, "questions_questionprogress")
    return {column.name for column in table}


@pytest.mark.django_db(transaction=True)
def test_each_non_empty_star_draft_becomes_a_story_linked_to_its_question():
    migrate(BEFORE)
    old = apps_as_migrated()
    User = old.get_model("accounts", "User")
    Guide = old.get_model("rounds", "Guide")
    Question = old.get_model("questions", "Question")
    Progress = old.get_model("practice", "QuestionProgress")
    alice = User.objects.create(email="alice@example.com")
    bob = User.objects.create(email="bob@example.com")
    guide = Guide.objects.create(company="OKX", role="HoE", slug="okx", status="published")
    q1 = Question.objects.create(guide=guide, kind="behavioural", text="A conflict?", slug="c")
    q2 = Question.objects.create(guide=guide, kind="people", text="A hire?", slug="h")
    full = Progress.objects.create(
        user=alice,
        question=q1,
        question_text="A conflict?",
        star_situation="S1",
        star_task="T1",
        star_action="A1",
        star_result="R1",
        answer_draft="Draft kept too",
    )
    only_result = Progress.objects.create(
        user=bob, question=q1, question_text="A conflict?", star_result="Shipped"
    )
    orphan = Progress.objects.create(
        user=alice, question=None, question_text="Deleted question?", star_action="Did it"
    )
    Progress.objects.create(user=alice, question=q2, question_text="A hire?", answer_draft="x")
    Progress.objects.create(user=bob, question=q2, question_text="A hire?", star_task="   ")

    migrate(AFTER)

    stories = {s.from_star_draft_id: s for s in Story.objects.all()}
    assert set(stories) == {full.pk, only_result.pk, orphan.pk}
    story = stories[full.pk]
    assert (story.user_id, story.title) == (alice.pk, "A conflict?")
    assert (story.situation, story.task, story.action, story.result) == ("S1", "T1", "A1", "R1")
    assert list(story.questions.values_list("pk", flat=True)) == [q1.pk]
    assert stories[only_result.pk].user_id == bob.pk
    assert stories[only_result.pk].result == "Shipped"
    # The question is gone: the story keeps the text, under the question's old wording.
    assert stories[orphan.pk].title == "Deleted question?"
    assert not stories[orphan.pk].questions.exists()
    # The drafts themselves are untouched until practice.0004.
    Progress = apps_as_migrated().get_model("practice", "QuestionProgress")
    assert Progress.objects.get(pk=full.pk).star_situation == "S1"

    # Undone, only the migrated stories go; redone (practice.0004 too), they come back once.
    migrate(BEFORE)
    assert Story.objects.count() == 0
    migrate()
    assert Story.objects.count() == 3
    assert not progress_columns() & set(STAR)


@pytest.mark.django_db(transaction=True)
def test_drafts_written_after_the_first_copy_become_stories_before_the_fields_go():
    migrate(BEFORE_REMOVAL)
    old = apps_as_migrated()
    User = old.get_model("accounts", "User")
    Guide = old.get_model("rounds", "Guide")
    Question = old.get_model("questions", "Question")
    Progress = old.get_model("practice", "QuestionProgress")
    OldStory = old.get_model("stories", "Story")
    assert set(STAR) <= progress_columns()
    alice = User.objects.create(email="alice@example.com")
    bob = User.objects.create(email="bob@example.com")
    guide = Guide.objects.create(company="OKX", role="HoE", slug="okx", status="published")
    q1 = Question.objects.create(guide=guide, kind="behavioural", text="A conflict?", slug="c")
    q2 = Question.objects.create(guide=guide, kind="people", text="A hire?", slug="h")
    q3 = Question.objects.create(guide=guide, kind="leadership", text="A failure?", slug="f")

    # Copied by stories.0002 and untouched since: not copied twice.
    copied = Progress.objects.create(
        user=alice, question=q1, question_text="A conflict?", star_situation="S1"
    )
    OldStory.objects.create(
        user=alice, title="A conflict?", situation="S1", from_star_draft_id=copied.pk
    )
    # Written between the two migrations: no story yet.
    late = Progress.objects.create(
        user=alice,
        question=q2,
        question_text="A hire?",
        star_task="Hire a lead",
        star_result="Hired in 6 weeks",
    )
    # Copied, then changed in the old STAR fields: the new text is kept too.
    edited = Progress.objects.create(
        user=bob, question=q1, question_text="A conflict?", star_action="Second version"
    )
    OldStory.objects.create(
        user=bob, title="A conflict?", action="First version", from_star_draft_id=edited.pk
    )
    # The candidate already retyped the same text into a story of their own.
    retyped = Progress.objects.create(
        user=alice, question=q3, question_text="A failure?", star_result="Learned"
    )
    OldStory.objects.create(user=alice, title="My failure", result="Learned")
    # Bob's draft has the same text as Alice's story: his own text, so his own story.
    Progress.objects.create(
        user=bob, question=q3, question_text="A failure?", star_result="Learned"
    )
    # Only blanks.
    Progress.objects.create(user=bob, question=q2, question_text="A hire?", star_task=" \n ")

    migrate()

    assert not progress_columns() & set(STAR)
    rows = set(Story.objects.values_list("user_id", "situation", "task", "action", "result"))
    assert rows == {
        (alice.pk, "S1", "", "", ""),
        (alice.pk, "", "Hire a lead", "", "Hired in 6 weeks"),
        (alice.pk, "", "", "", "Learned"),
        (bob.pk, "", "", "First version", ""),
        (bob.pk, "", "", "Second version", ""),
        (bob.pk, "", "", "", "Learned"),
    }
    assert Story.objects.count() == len(rows)
    late_story = Story.objects.get(from_star_draft_id=late.pk, task="Hire a lead")
    assert (late_story.title, list(late_story.questions.values_list("pk", flat=True))) == (
        "A hire?",
        [q2.pk],
    )
    second = Story.objects.get(action="Second version")
    assert second.from_star_draft_id == edited.pk
    assert list(second.questions.values_list("pk", flat=True)) == [q1.pk]
    assert not Story.objects.filter(from_star_draft_id=retyped.pk).exists()

    # Undone, the fields come back with the text of the stories made from them.
    migrate(BEFORE_REMOVAL)
    Progress = apps_as_migrated().get_model("practice", "QuestionProgress")
    assert Progress.objects.get(pk=late.pk).star_task == "Hire a lead"
    assert Progress.objects.get(pk=copied.pk).star_situation == "S1"
    migrate()
    assert Story.objects.count() == len(rows)
