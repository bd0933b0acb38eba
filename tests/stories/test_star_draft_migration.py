"""Migration stories.0002 turns every non-empty STAR draft into a story: no draft is lost."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from stories.models import Story

BEFORE = [("stories", "0001_story_bank")]
AFTER = [("stories", "0002_stories_from_star_drafts")]


def migrate(targets=None) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor


@pytest.mark.django_db(transaction=True)
def test_each_non_empty_star_draft_becomes_a_story_linked_to_its_question():
    executor = migrate(BEFORE)
    others = [n for n in executor.loader.graph.leaf_nodes() if n[0] != "stories"]
    old = executor.loader.project_state([*others, *BEFORE]).apps
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
    # The drafts themselves are untouched.
    from practice.models import QuestionProgress

    assert QuestionProgress.objects.get(pk=full.pk).star_situation == "S1"

    # Undone, only the migrated stories go; redone, they come back once.
    migrate(BEFORE)
    assert Story.objects.count() == 0
    migrate()
    assert Story.objects.count() == 3
