"""A guide's history: every change recorded with who and why, shown as a diff, restorable whole."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from practice.models import QuestionProgress
from questions.models import Question, Tag
from rounds.history.services import recorded_as
from rounds.models import EvaluationCriterion, Guide, Region, RegionalVariant, Round
from studyplan.models import StudyBlock, StudyTask, TaskProgress
from tests.factories import EnrolmentFactory, GuideFactory, QuestionFactory, build_guide

CONTENT_MODELS = [
    Guide,
    EvaluationCriterion,
    Round,
    Region,
    RegionalVariant,
    Question,
    Tag,
    StudyBlock,
    StudyTask,
]


def history_url(guide) -> str:
    return reverse("admin:rounds_guide_history", args=[guide.pk])


def restore(client, guide, at: datetime.datetime):
    """Restore as a recruiter does: the History page's button, then the confirmation's."""
    url = reverse("admin:rounds_guide_restore", args=[guide.pk])
    first = client.post(url, {"at": at.isoformat()}, follow=True)
    confirm = re.search(r'name="confirm" value="([0-9a-f]+)"', first.content.decode())
    if confirm is None:  # refused outright (nothing to restore, a bad time)
        return first
    at_value = re.search(r'name="at" value="([^"]+)"', first.content.decode()).group(1)
    return client.post(url, {"at": at_value, "confirm": confirm.group(1)}, follow=True)


@pytest.mark.django_db
@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda m: m.__name__)
def test_every_content_model_records_additions_changes_and_deletions_with_who_and_why(
    model, recruiter
):
    build_guide(rounds=1, questions_per_round=1, regions=1, blocks=1, tasks_per_block=1)
    item = model.objects.order_by("pk").last()
    pk = item.pk
    assert item.history.filter(history_type="+").count() == 1

    if model is Region:
        RegionalVariant.objects.all().delete()  # a region in use cannot be deleted
    with recorded_as(reason="typo fix", user=recruiter):
        item.save()
        item.delete()

    rows = model.history.filter(id=pk)
    changed, deleted = rows.filter(history_type="~").latest(), rows.latest()
    assert deleted.history_type == "-"
    assert changed.history_user == recruiter
    assert changed.history_change_reason == "typo fix"


@pytest.mark.django_db
def test_an_edit_in_the_admin_is_recorded_with_the_recruiter_and_shown_as_a_diff(
    recruiter_client, recruiter
):
    guide = build_guide(rounds=1, questions_per_round=1, regions=0, blocks=0, status="draft")
    question = guide.questions.get()
    url = reverse("admin:questions_question_change", args=[question.pk])
    form = {
        "guide": guide.pk,
        "round": question.round_id,
        "region": "",
        "kind": question.kind,
        "text": "How do you grow senior engineers?",
        "slug": question.slug,
        "order": question.order,
        "guidance": "",
        "tags": [],
        "last_reviewed": "",
    }

    assert recruiter_client.post(url, form).status_code == 302

    latest = question.history.latest()
    assert latest.history_user == recruiter
    page = recruiter_client.get(history_url(guide)).content.decode()
    assert "Question changed" in page
    assert "How do you grow senior engineers?" in page
    # Each field by its label, as the form names it (it said "text", "is_published False → True").
    assert "<dt>Text</dt>" in page
    assert "<dt>Tags</dt>" in page  # the leadership tag was removed
    assert "Rita" in page


@pytest.mark.django_db
def test_restoring_an_earlier_version_brings_back_the_whole_guide_with_the_same_rows(
    recruiter_client, recruiter
):
    guide = build_guide(rounds=2, questions_per_round=2, regions=1, blocks=2, tasks_per_block=2)
    before = timezone.now()
    questions = list(guide.questions.order_by("pk").values_list("pk", "text", "round_id"))
    tagged = set(Question.tags.through.objects.values_list("question_id", "tag_id"))
    all_tasks = StudyTask.objects.filter(block__guide=guide).order_by("pk")
    tasks = list(all_tasks.values_list("pk", "text"))
    first_round = guide.rounds.get(order=1)
    # A bad afternoon: the guide is renamed, a round retitled and another deleted, a task
    # reworded, a block removed, a criterion added and tags dropped.
    guide.company = "Wrong Co"
    guide.save()
    first_round.title = "Oops"
    first_round.save()
    guide.rounds.get(order=2).delete()
    task = StudyTask.objects.filter(block__guide=guide).order_by("pk").first()
    task.text = "Reworded"
    task.save()
    StudyBlock.objects.filter(guide=guide).order_by("start_week").last().delete()
    EvaluationCriterion.objects.create(guide=guide, order=2, title="Added later")
    for question in guide.questions.all():
        question.tags.clear()

    response = restore(recruiter_client, guide, before)

    assert response.status_code == 200
    assert "Restored the guide as it was" in response.content.decode()
    guide.refresh_from_db()
    assert guide.company != "Wrong Co"
    assert list(guide.rounds.values_list("order", "title")) == [(1, "Round 1"), (2, "Round 2")]
    assert guide.rounds.get(order=1).pk == first_round.pk
    assert list(guide.questions.order_by("pk").values_list("pk", "text", "round_id")) == questions
    assert set(Question.tags.through.objects.values_list("question_id", "tag_id")) == tagged
    restored_tasks = StudyTask.objects.filter(block__guide=guide).order_by("pk")
    assert list(restored_tasks.values_list("pk", "text")) == tasks
    assert guide.criteria.count() == 1
    # The restore is itself in the history, by whom and why.
    restored = Guide.history.filter(id=guide.pk).latest()
    assert restored.history_user == recruiter
    assert restored.history_change_reason.startswith("Restored to the version of")
    page = recruiter_client.get(history_url(guide)).content.decode()
    assert "Restored to the version of" in page


@pytest.mark.django_db
def test_restoring_keeps_candidates_ticks_and_reattaches_notes_of_a_deleted_question(
    recruiter_client, alice
):
    guide = build_guide(rounds=1, questions_per_round=2, regions=0, blocks=1, tasks_per_block=2)
    enrolment = EnrolmentFactory(user=alice, guide=guide)
    task = StudyTask.objects.filter(block__guide=guide).first()
    TaskProgress.objects.create(enrolment=enrolment, task=task)
    question = guide.questions.first()
    QuestionProgress.objects.create(
        user=alice,
        question=question,
        guide=guide,
        question_text=question.text,
        answer_draft="My answer about the team I grew.",
    )
    before = timezone.now()
    question_pk = question.pk
    question.delete()
    task.text = "Reworded task"
    task.save()

    restore(recruiter_client, guide, before)

    restored = Question.objects.get(pk=question_pk)
    notes = QuestionProgress.objects.get(user=alice)
    assert notes.question == restored
    assert notes.answer_draft == "My answer about the team I grew."
    assert TaskProgress.objects.filter(enrolment=enrolment, task_id=task.pk).exists()
    assert StudyTask.objects.get(pk=task.pk).text != "Reworded task"


@pytest.mark.django_db
def test_restoring_to_before_the_guide_existed_changes_nothing(recruiter_client):
    guide = build_guide(rounds=1, questions_per_round=1, regions=0, blocks=0)
    long_ago = timezone.now() - datetime.timedelta(days=365)

    response = restore(recruiter_client, guide, long_ago)

    assert "did not exist yet" in response.content.decode()
    assert guide.questions.count() == 1


@pytest.mark.django_db
def test_restore_refuses_a_get_and_a_missing_time(recruiter_client):
    guide = build_guide(rounds=1, questions_per_round=1, regions=0, blocks=0)
    url = reverse("admin:rounds_guide_restore", args=[guide.pk])

    assert recruiter_client.get(url).status_code == 405
    response = recruiter_client.post(url, {"at": "yesterday"}, follow=True)
    assert "Pick a version to restore" in response.content.decode()


@pytest.mark.django_db
def test_imports_are_recorded_as_imports_by_the_importing_user(seed_guide):
    question = seed_guide.questions.first()

    record = question.history.latest()
    assert record.history_change_reason == "import"
    assert record.history_user is None  # the command line has no user


@pytest.mark.django_db
def test_an_admin_import_is_recorded_with_the_recruiter_and_listed_on_the_history_page(
    recruiter_client, recruiter
):
    from .conftest import SEED_FILE
    from .test_guide_import_export import confirm_fields, upload

    preview = upload(recruiter_client, SEED_FILE.read_bytes())
    form = confirm_fields(preview.content.decode())
    recruiter_client.post(reverse("admin:rounds_guide_import"), form)

    guide = Guide.objects.get(slug="okx-head-of-engineering")
    record = guide.questions.first().history.latest()
    assert (record.history_user, record.history_change_reason) == (recruiter, "import")
    page = recruiter_client.get(history_url(guide)).content.decode()
    assert "Question added" in page
    assert "Imported from YAML: okx-head-of-engineering: 56 created" in page


@pytest.mark.django_db
def test_staff_outside_the_recruiters_group_cannot_see_history_or_restore(client):
    from tests.factories import UserFactory

    guide = build_guide(rounds=1, questions_per_round=1, regions=0, blocks=0)
    client.force_login(UserFactory(email="intern@example.com", is_staff=True))

    assert client.get(history_url(guide)).status_code == 403
    assert restore(client, guide, timezone.now()).status_code == 403


@pytest.mark.django_db
def test_a_candidate_is_sent_to_log_in(client, alice):
    guide = build_guide(rounds=1, questions_per_round=1, regions=0, blocks=0)
    client.force_login(alice)

    response = client.get(history_url(guide))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_a_recruiter_still_cannot_reach_accounts_tokens_or_candidates_notes(recruiter_client):
    for name in (
        "admin:accounts_user_changelist",
        "admin:accounts_apitoken_changelist",
        "admin:practice_questionprogress_changelist",
    ):
        assert recruiter_client.get(reverse(name)).status_code == 403, name


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 4])
def test_history_page_queries_do_not_grow_with_the_guide(
    recruiter_client, django_assert_num_queries, size
):
    guide = build_guide(
        rounds=size, questions_per_round=size, regions=size, blocks=size, tasks_per_block=size
    )
    for question in guide.questions.all():
        question.text += " (reworded)"
        question.save()

    # Session, user, guide, permissions (2), 8 kinds of history, tags' history, tag names and
    # the admin log's import summaries.
    with django_assert_num_queries(16):
        response = recruiter_client.get(history_url(guide))
    assert response.status_code == 200


@pytest.mark.django_db
def test_content_from_before_history_gets_a_first_version_and_survives_a_restore(recruiter_client):
    import importlib

    from django.apps import apps

    guide = build_guide(rounds=2, questions_per_round=2, regions=1, blocks=1, tasks_per_block=2)
    for model in CONTENT_MODELS:
        model.history.all().delete()  # as on a database from before history was recorded
    migration = importlib.import_module("rounds.migrations.0004_history_of_existing_content")
    migration.record_existing(apps, None)
    counts = {model: model.objects.count() for model in CONTENT_MODELS}
    counts["tags"] = Question.tags.through.objects.count()
    question = guide.questions.first()
    question.text = "Edited after history started"
    question.save()

    restore(recruiter_client, guide, question.history.latest().history_date)

    after = {model: model.objects.count() for model in CONTENT_MODELS}
    after["tags"] = Question.tags.through.objects.count()
    assert after == counts
    assert guide.questions.filter(text="Edited after history started").exists()
    started = Question.history.filter(history_change_reason="history started")
    assert started.count() == counts[Question]


@pytest.mark.django_db
def test_a_restore_says_what_it_changes_and_whose_ticks_it_removes_before_it_happens(
    recruiter_client, alice
):
    # "Restore this version" changed the published guide at the first click, and removed a task
    # added since, with the ticks candidates had on it.
    guide = build_guide(rounds=1, questions_per_round=1, regions=0, blocks=1, tasks_per_block=1)
    before = timezone.now()
    block = guide.study_blocks.get()
    added = StudyTask.objects.create(block=block, order=9, text="Read the annual report")
    enrolment = EnrolmentFactory(user=alice, guide=guide)
    TaskProgress.objects.create(enrolment=enrolment, task=added)
    url = reverse("admin:rounds_guide_restore", args=[guide.pk])

    first = recruiter_client.post(url, {"at": before.isoformat()})

    page = first.content.decode()
    assert first.status_code == 200
    assert "Nothing has changed yet." in page
    assert "It removes 1 study task that 1 candidate ticked" in page
    assert "“Read the annual report” (1 candidate)" in page
    assert 'value="Restore and remove candidates’ ticks"' in page
    assert StudyTask.objects.filter(pk=added.pk).exists()  # rolled back
    assert TaskProgress.objects.filter(task=added).exists()

    # A stale confirmation (another tick since) is asked again, not carried out.
    bob_enrolment = EnrolmentFactory(guide=guide)
    TaskProgress.objects.create(enrolment=bob_enrolment, task=added)
    confirm = re.search(r'name="confirm" value="([0-9a-f]+)"', page).group(1)
    at = re.search(r'name="at" value="([^"]+)"', page).group(1)
    again = recruiter_client.post(url, {"at": at, "confirm": confirm}).content.decode()
    assert "changed since you last looked" in again
    assert "(2 candidates)" in again
    assert StudyTask.objects.filter(pk=added.pk).exists()

    confirm = re.search(r'name="confirm" value="([0-9a-f]+)"', again).group(1)
    done = recruiter_client.post(url, {"at": at, "confirm": confirm}, follow=True)
    assert "Restored the guide as it was" in done.content.decode()
    assert not StudyTask.objects.filter(pk=added.pk).exists()


@pytest.mark.django_db
def test_a_status_change_is_told_by_its_labels(recruiter_client, recruiter):
    from questions.models import QuestionStatus

    guide = GuideFactory(status="draft")
    question = QuestionFactory(guide=guide)
    question.status = QuestionStatus.DRAFT
    question.is_published = False
    question.save()

    page = recruiter_client.get(history_url(guide)).content.decode()

    assert "<dt>Status</dt>" in page
    assert "<del>Published</del> → <ins>Draft</ins>" in page
    assert "<del>yes</del> → <ins>no</ins>" in page
    assert "in_review" not in page and "False" not in page
