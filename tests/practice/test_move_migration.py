"""The move of candidates' practice from the questions app to practice/ keeps every row."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from practice.models import QuestionProgress
from stories.models import Story

BEFORE = [
    ("questions", "0005_merge_search_indexes_and_note_guide_titles"),
    ("practice", None),
]

FIELDS = [
    "id",
    "user_id",
    "question_id",
    "guide_id",
    "question_text",
    "guide_title",
    "status",
    "last_practised_at",
    "answer_draft",
    "created_at",
    "updated_at",
]


def migrate(targets=None) -> MigrationExecutor:
    """Migrate to `targets`; by default to the latest state, which later tests need."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor


def apps_before_the_move(executor: MigrationExecutor):
    """Every other app as it is now, questions and practice as they were before the move.

    Stories and mocks are left out: they came later and depend on practice's own migrations.
    """
    nodes = [
        node
        for node in executor.loader.graph.leaf_nodes()
        if node[0] not in {"questions", "practice", "stories", "mocks"}
    ]
    return executor.loader.project_state([*nodes, BEFORE[0]]).apps


@pytest.mark.django_db(transaction=True)
def test_moving_practice_to_its_own_app_keeps_every_row_and_id():
    old_apps = apps_before_the_move(migrate(BEFORE))
    User = old_apps.get_model("accounts", "User")
    Guide = old_apps.get_model("rounds", "Guide")
    Question = old_apps.get_model("questions", "Question")
    OldProgress = old_apps.get_model("questions", "QuestionProgress")

    alice = User.objects.create(email="alice@example.com", display_name="Alice")
    charlie = User.objects.create(email="charlie@example.com", display_name="Charlie")
    guide = Guide.objects.create(
        company="OKX", role="Head of Engineering", slug="okx", status="published"
    )
    kept = Question.objects.create(guide=guide, kind="behavioural", text="Kept?", slug="kept")
    gone = Question.objects.create(guide=guide, kind="technical", text="Gone?", slug="gone")
    practised_at = timezone.now() - datetime.timedelta(days=3)
    # Ids come from the table's own sequence, as in production: explicit ids would leave the
    # sequence behind and make "new rows continue the numbering" depend on earlier tests.
    confident = OldProgress.objects.create(
        user=alice,
        question=kept,
        guide=guide,
        question_text="Kept?",
        guide_title="Head of Engineering at OKX",
        status="confident",
        last_practised_at=practised_at,
        answer_draft="My draft",
        # Moved on to a story by practice.0004, which the last migrate() runs too.
        star_situation="S",
        star_task="T",
        star_action="A",
        star_result="R",
    )
    # Notes whose question and guide a recruiter has since deleted.
    orphan = OldProgress.objects.create(
        user=charlie, question=None, guide=None, question_text="Gone?", guide_title="Old"
    )
    deleted = OldProgress.objects.create(
        user=alice, question=gone, guide=guide, question_text="Gone?"
    )
    before = {row["id"]: row for row in OldProgress.objects.values(*FIELDS)}
    ContentType.objects.get_or_create(app_label="questions", model="questionprogress")

    migrate()

    after = {row["id"]: row for row in QuestionProgress.objects.values(*FIELDS)}
    assert after == before
    assert set(after) == {confident.pk, orphan.pk, deleted.pk}
    assert after[confident.pk]["last_practised_at"] == practised_at
    story = Story.objects.get()
    assert (story.user_id, story.situation, story.task, story.action, story.result) == (
        alice.pk,
        "S",
        "T",
        "A",
        "R",
    )
    # New rows continue the old numbering instead of colliding with it.
    new = QuestionProgress.objects.create(user_id=alice.pk, question_text="New?")
    assert new.pk > max(after)
    # Admin history and permissions follow the model to its new app.
    assert ContentType.objects.filter(app_label="practice", model="questionprogress").exists()
    assert not ContentType.objects.filter(app_label="questions", model="questionprogress").exists()


@pytest.mark.django_db(transaction=True)
def test_the_move_can_be_undone_without_losing_rows(alice):
    row = QuestionProgress.objects.create(
        user=alice, question_text="Still here?", status="practised"
    )
    executor = migrate(BEFORE)
    OldProgress = apps_before_the_move(executor).get_model("questions", "QuestionProgress")
    assert list(OldProgress.objects.values_list("id", "question_text", "status")) == [
        (row.pk, "Still here?", "practised")
    ]
    migrate()
    assert QuestionProgress.objects.get().pk == row.pk
