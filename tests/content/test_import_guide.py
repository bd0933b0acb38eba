import datetime
import io

import pytest
import yaml
from django.core.management import call_command

from practice.models import PracticeStatus, QuestionProgress
from questions.models import Question
from rounds.content_io.exporter import guide_export
from rounds.content_io.importer import guide_import_bytes
from rounds.models import EvaluationCriterion, Guide, Region, RegionalVariant, Round
from studyplan.models import StudyBlock, StudyTask, TaskProgress
from tests.factories import EnrolmentFactory, QuestionFactory, build_guide

from .conftest import SEED_FILE, import_guide

CONTENT_MODELS = [Guide, EvaluationCriterion, Round, Region, RegionalVariant, Question]


def row_counts() -> dict[str, int]:
    models = [*CONTENT_MODELS, StudyBlock, StudyTask]
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.django_db
def test_import_creates_the_whole_seed_guide():
    summary = import_guide(SEED_FILE)

    guide = Guide.objects.get(slug="okx-head-of-engineering")
    assert guide.title == "Head of Engineering at OKX"
    assert guide.is_published
    assert row_counts() == {
        "Guide": 1,
        "EvaluationCriterion": 2,
        "Round": 4,
        "Region": 2,
        "RegionalVariant": 2,
        "Question": 28,
        "StudyBlock": 4,
        "StudyTask": 13,
    }
    assert summary.startswith("okx-head-of-engineering: 56 created, 0 updated, 0 unchanged")


@pytest.mark.django_db
def test_seed_metadata_renders_exactly_as_the_seed_writes_it(seed_guide):
    guide = Guide.objects.with_round_count().get(pk=seed_guide.pk)
    assert guide.category == "Software Engineering Manager"
    assert guide.round_count == 4
    assert guide.duration_display() == "~14 days"
    assert guide.experience_display() == "8 - 15 yrs"
    assert guide.salary_display() == "US$180,000 – US$250,000"
    assert guide.total_minutes_display() == "225 min"
    assert guide.plan_weeks == 8


@pytest.mark.django_db
def test_empty_seed_sections_stay_empty(seed_guide):
    assert seed_guide.preparation_tips == ""
    assert [c.description for c in seed_guide.criteria.all()] == ["", ""]
    assert not seed_guide.questions.filter(round=None, region=None).exists()
    assert not seed_guide.questions.filter(kind="coding").exists()
    for rnd in seed_guide.rounds.all():
        assert rnd.what_interviewers_look_for == ""
        assert rnd.evaluation_criteria == ""
        assert rnd.preparation_tips == ""
        assert rnd.rejection_reasons == ""
    for variant in seed_guide.regional_variants.all():
        assert (variant.interview_focus, variant.tips) == ("", "")


@pytest.mark.django_db
def test_seed_rounds_regions_and_blocks_are_in_order(seed_guide):
    assert [r.title for r in seed_guide.rounds.all()] == [
        "HR Screening",
        "Technical Leadership and System Design",
        "People and Strategy Leadership",
        "Executive Strategy and Vision",
    ]
    assert [r.questions.count() for r in seed_guide.rounds.all()] == [5, 5, 5, 5]
    assert [(v.region.slug, v.region.order) for v in seed_guide.regional_variants.all()] == [
        ("asia", 1),
        ("north-america", 2),
    ]
    assert [v.region.questions.count() for v in seed_guide.regional_variants.all()] == [4, 4]
    assert [(b.start_week, b.end_week) for b in seed_guide.study_blocks.all()] == [
        (1, 2),
        (3, 4),
        (5, 6),
        (7, 8),
    ]


@pytest.mark.django_db
def test_study_tasks_are_the_sentences_of_each_block_description(seed_guide):
    for block in seed_guide.study_blocks.all():
        prefix = f"Weeks {block.weeks_label}: "
        assert block.description.startswith(prefix)
        tasks = [task.text for task in block.tasks.all()]
        assert " ".join(tasks) == block.description.removeprefix(prefix)


@pytest.mark.django_db
def test_importing_the_same_file_twice_changes_nothing(seed_guide):
    rows_before = row_counts()
    stamps_before = {
        "guide": Guide.objects.values_list("updated_at", flat=True)[0],
        "rounds": list(Round.objects.values_list("updated_at", flat=True)),
        "questions": list(Question.objects.values_list("id", "updated_at")),
        "blocks": list(StudyBlock.objects.values_list("updated_at", flat=True)),
        "tasks": list(StudyTask.objects.values_list("id", "updated_at")),
    }

    summary = import_guide(SEED_FILE)

    assert (
        summary
        == "okx-head-of-engineering: 0 created, 0 updated, 56 unchanged, 0 removed (no changes)."
    )
    assert row_counts() == rows_before
    assert {
        "guide": Guide.objects.values_list("updated_at", flat=True)[0],
        "rounds": list(Round.objects.values_list("updated_at", flat=True)),
        "questions": list(Question.objects.values_list("id", "updated_at")),
        "blocks": list(StudyBlock.objects.values_list("updated_at", flat=True)),
        "tasks": list(StudyTask.objects.values_list("id", "updated_at")),
    } == stamps_before


@pytest.mark.django_db
def test_export_after_import_reproduces_the_committed_file_byte_for_byte(seed_guide, seed_text):
    assert guide_export(guide=seed_guide) == seed_text


@pytest.mark.django_db
def test_a_guide_survives_export_then_import_into_an_empty_database(tmp_path):
    guide = build_guide(rounds=3, questions_per_round=4, regions=2, blocks=4, tasks_per_block=2)
    Question.objects.filter(guide=guide).first().tags.clear()
    exported = guide_export(guide=guide)
    Guide.objects.all().delete()

    path = tmp_path / "guide.yaml"
    path.write_text(exported, encoding="utf-8")
    import_guide(path)

    assert guide_export(guide=Guide.objects.get()) == exported


@pytest.mark.django_db
def test_edited_file_updates_only_what_changed(seed_guide, seed_text, tmp_path):
    round_one = Round.objects.get(order=1)
    untouched = Round.objects.get(order=2)
    untouched_stamp = untouched.updated_at
    edited = seed_text.replace(
        "preparation_tips: []\n    rejection_reasons: []\n    questions:\n"
        "      - text: Tell me about yourself",
        "preparation_tips:\n      - Research OKX's recent product launches.\n"
        "    rejection_reasons: []\n    questions:\n      - text: Tell me about yourself",
        1,
    )
    assert edited != seed_text
    path = tmp_path / "edited.yaml"
    path.write_text(edited, encoding="utf-8")

    summary = import_guide(path)

    round_one.refresh_from_db()
    untouched.refresh_from_db()
    assert round_one.tip_items() == ["Research OKX's recent product launches."]
    assert untouched.updated_at == untouched_stamp
    assert "1 updated" in summary
    assert "updated 1 round" in summary


@pytest.mark.django_db
def test_the_file_is_the_whole_truth_and_candidate_notes_survive(
    seed_guide, seed_text, tmp_path, alice
):
    question = Question.objects.get(text="How do you handle conflict within a team?")
    QuestionProgress.objects.create(
        user=alice,
        question=question,
        guide=seed_guide,
        question_text=question.text,
        status=PracticeStatus.PRACTISED,
        answer_draft="I listen first.",
    )
    edited = seed_text.replace(
        "      - text: How do you handle conflict within a team?\n"
        f"        key: {question.key}\n"
        "        kind: people\n        tags: [culture]\n",
        "",
    )
    assert edited != seed_text
    path = tmp_path / "edited.yaml"
    path.write_text(edited, encoding="utf-8")

    out = io.StringIO()
    call_command("import_guide", str(path), "--allow-removing-progress", stdout=out)

    assert not Question.objects.filter(pk=question.pk).exists()
    assert Question.objects.count() == 27
    progress = QuestionProgress.objects.get(user=alice)
    assert progress.question is None
    assert progress.answer_draft == "I listen first."
    assert "removed 1 question" in out.getvalue()


@pytest.mark.django_db
def test_a_question_keeps_its_identity_when_the_file_gives_its_slug(
    seed_guide, seed_text, tmp_path
):
    question = Question.objects.get(text="How do you handle conflict within a team?")
    edited = seed_text.replace(
        "      - text: How do you handle conflict within a team?\n",
        f"      - text: How do you handle conflict inside a team?\n        slug: {question.slug}\n",
    )
    path = tmp_path / "edited.yaml"
    path.write_text(edited, encoding="utf-8")

    import_guide(path)

    question.refresh_from_db()
    assert question.text == "How do you handle conflict inside a team?"
    assert Question.objects.count() == 28


@pytest.mark.django_db
def test_candidates_keep_ticked_tasks_when_tasks_are_reordered(seed_guide, seed_text, tmp_path):
    enrolment = EnrolmentFactory(guide=seed_guide, start_date=datetime.date(2026, 1, 5))
    task = StudyTask.objects.get(text="Understand the company's strategic goals and challenges.")
    TaskProgress.objects.create(enrolment=enrolment, task=task)
    first = "      - text: Deep dive into OKX's business, products, and technology stack.\n"
    first += "        key: k8x238w5\n"
    second = "      - text: Understand the company's strategic goals and challenges.\n"
    second += "        key: casr2n5a\n"
    edited = seed_text.replace(first + second, second + first)
    assert edited != seed_text
    path = tmp_path / "edited.yaml"
    path.write_text(edited, encoding="utf-8")

    import_guide(path)

    task.refresh_from_db()
    assert task.order == 1
    assert TaskProgress.objects.filter(enrolment=enrolment, task=task).exists()


@pytest.mark.django_db
def test_questions_of_a_region_without_regional_notes_survive_the_round_trip(tmp_path):
    guide = build_guide(rounds=1, questions_per_round=1, regions=0, blocks=1, tasks_per_block=1)
    europe = Region.objects.create(name="Europe", slug="europe", order=3)
    QuestionFactory(guide=guide, region=europe, text="Why Berlin?", slug="why-berlin")
    path = tmp_path / "guide.yaml"
    path.write_text(guide_export(guide=guide), encoding="utf-8")
    Guide.objects.all().delete()

    import_guide(path)

    question = Question.objects.get(text="Why Berlin?")
    assert question.region == europe
    assert question.round is None


@pytest.mark.django_db
def test_an_untouched_round_trip_of_a_guide_written_in_the_admin_changes_nothing():
    guide = build_guide(rounds=2, questions_per_round=3, blocks=2, tasks_per_block=3)
    # As the admin leaves them: CRLF line ends from text areas, positions with gaps and ties.
    guide.preparation_tips = "Read the annual report.\r\nKnow the product."
    guide.save()
    question = guide.questions.filter(round__isnull=False).first()
    question.guidance = "Start with the team.\r\nThen the numbers."
    question.save()
    Question.objects.filter(guide=guide, region__isnull=False).update(order=0)
    StudyTask.objects.filter(block__guide=guide, order=2).delete()
    history_rows = Question.history.count()
    raw = guide_export(guide=guide)

    result = guide_import_bytes(raw=raw.encode() if isinstance(raw, str) else raw)

    assert not result.changed, result.summary()
    assert "0 created, 0 updated" in result.summary()
    assert Question.history.count() == history_rows  # nothing rewritten


@pytest.mark.django_db
def test_a_round_trip_with_one_tip_added_updates_only_the_guide():
    guide = build_guide(rounds=2, questions_per_round=2, blocks=1, tasks_per_block=2)
    raw = guide_export(guide=guide)
    data = yaml.safe_load(raw)
    data["preparation_tips"] = [*data.get("preparation_tips", []), "Sleep well."]
    edited = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)

    result = guide_import_bytes(raw=edited.encode())

    assert dict(result.updated) == {"guide": 1}
    assert not result.created and not result.removed
