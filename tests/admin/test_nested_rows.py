"""On the guide page: a block's tasks, a round's questions and a new region, in one save."""

import re

import pytest
from django.urls import reverse

from questions.models import Question
from rounds.models import Guide, GuideStatus, Region, StagedEdit
from studyplan.models import StudyTask
from tests.factories import (
    GuideFactory,
    RegionalVariantFactory,
    RegionFactory,
    RoundFactory,
    StudyBlockFactory,
    StudyTaskFactory,
    build_guide,
)

from .test_guide_form import block_row, guide_form, round_row


def child_rows(parent: str, name: str, rows: list[dict], initial: int = 0) -> dict:
    prefix = f"{parent}-{name}"
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


def question_row(text: str, **fields) -> dict:
    return {"order": "", "text": text, "kind": "leadership", "region": "", "is_published": "on"} | {
        k: str(v) for k, v in fields.items()
    }


def existing_guide_form(guide, **inlines) -> dict:
    """The guide page as posted for `guide`, with its saved rounds and blocks as initial rows."""
    data = guide_form(**inlines)
    for prefix, saved in (("rounds", guide.rounds), ("study_blocks", guide.study_blocks)):
        rows = list(saved.all())
        data[f"{prefix}-INITIAL_FORMS"] = str(len(rows))
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        for index, obj in enumerate(rows):
            data[f"{prefix}-{index}-id"] = str(obj.pk)
            data[f"{prefix}-{index}-guide"] = str(guide.pk)
            if prefix == "rounds":
                row = round_row(obj.order, obj.title, obj.slug)
            else:
                row = block_row(obj.start_week, obj.end_week, obj.title)
            data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


@pytest.mark.django_db
def test_a_new_guide_saves_its_blocks_with_their_tasks_in_one_go(recruiter_client):
    data = guide_form(study_blocks=[block_row(1, 3, "Research"), block_row(4, 6, "Practice")])
    data |= child_rows("study_blocks-0", "tasks", [{"order": "", "text": "Read the 10-K."}] * 1)
    data |= child_rows(
        "study_blocks-1",
        "tasks",
        [{"order": "", "text": "Mock the design round."}, {"order": "", "text": ""}],
    )

    response = recruiter_client.post(reverse("admin:rounds_guide_add"), data)

    assert response.status_code == 302
    guide = Guide.objects.get(slug="acme-vp-engineering")
    research, practice = guide.study_blocks.all()
    assert [(t.order, t.text) for t in research.tasks.all()] == [(1, "Read the 10-K.")]
    assert [(t.order, t.text) for t in practice.tasks.all()] == [(1, "Mock the design round.")]


@pytest.mark.django_db
def test_tasks_of_a_saved_block_are_edited_deleted_and_added_on_the_guide_page(recruiter_client):
    # A draft: a published guide's edits are staged for review (test below).
    guide = GuideFactory(plan_weeks=6, status=GuideStatus.DRAFT)
    block = StudyBlockFactory(guide=guide, start_week=1, end_week=2, title="Research")
    keep = StudyTaskFactory(block=block, order=1, text="Read the report.")
    drop = StudyTaskFactory(block=block, order=2, text="Old task.")
    data = existing_guide_form(guide)
    data |= child_rows(
        "study_blocks-0",
        "tasks",
        [
            {"id": keep.pk, "block": block.pk, "order": "1", "text": "Read the annual report."},
            {"id": drop.pk, "block": block.pk, "order": "2", "text": "Old task.", "DELETE": "on"},
            {"order": "", "text": "List three questions to ask."},
        ],
        initial=2,
    )

    response = recruiter_client.post(reverse("admin:rounds_guide_change", args=[guide.pk]), data)

    assert response.status_code == 302
    assert [(t.order, t.text) for t in block.tasks.all()] == [
        (1, "Read the annual report."),
        (2, "List three questions to ask."),
    ]
    assert not StudyTask.objects.filter(pk=drop.pk).exists()


@pytest.mark.django_db
def test_a_task_without_text_refuses_the_save_and_says_where(recruiter_client):
    data = guide_form(study_blocks=[block_row(1, 3, "Research")])
    data |= child_rows("study_blocks-0", "tasks", [{"order": "2", "text": ""}])

    response = recruiter_client.post(reverse("admin:rounds_guide_add"), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Please correct the error" in page
    assert "Check the rows of “Checklist (tasks candidates tick off)” below." in page
    assert not Guide.objects.exists()


@pytest.mark.django_db
def test_questions_are_added_per_round_on_the_guide_page(recruiter_client):
    guide = GuideFactory(status=GuideStatus.DRAFT)
    call, panel = RoundFactory(guide=guide, order=1), RoundFactory(guide=guide, order=2)
    asia = RegionFactory(name="Asia", slug="asia")
    RegionalVariantFactory(guide=guide, region=asia)
    data = existing_guide_form(guide)
    data["regional_variants-TOTAL_FORMS"] = "0"
    data |= child_rows("rounds-0", "questions", [question_row("Why Stripe?")])
    data |= child_rows(
        "rounds-1",
        "questions",
        [
            question_row("Design a ledger.", kind="technical", region=asia.pk),
            question_row("", kind=""),  # a blank row, as the page sends it
        ],
    )

    response = recruiter_client.post(reverse("admin:rounds_guide_change", args=[guide.pk]), data)

    assert response.status_code == 302
    rows = Question.objects.order_by("round__order").values_list(
        "guide", "round", "region", "order", "text", "slug"
    )
    assert list(rows) == [
        (guide.pk, call.pk, None, 1, "Why Stripe?", "why-stripe"),
        (guide.pk, panel.pk, asia.pk, 1, "Design a ledger.", "design-a-ledger"),
    ]


@pytest.mark.django_db
def test_question_rows_offer_only_the_guides_regions(recruiter_client):
    guide = GuideFactory()
    RoundFactory(guide=guide, order=1)
    RegionalVariantFactory(guide=guide, region=RegionFactory(name="Asia", slug="asia"))
    RegionFactory(name="Europe", slug="europe")

    page = recruiter_client.get(reverse("admin:rounds_guide_change", args=[guide.pk])).content
    questions = page.decode().split('id="rounds-0-questions-rows"')[1].split("</table>")[0]

    assert ">Asia</option>" in questions
    assert ">Europe</option>" not in questions


@pytest.mark.django_db
def test_a_new_question_named_like_an_existing_one_is_refused_clearly(recruiter_client):
    guide = GuideFactory()
    rnd = RoundFactory(guide=guide, order=1)
    Question.objects.create(guide=guide, kind="leadership", text="Why Stripe?", slug="why-stripe")
    data = existing_guide_form(guide)
    data |= child_rows("rounds-0", "questions", [question_row("Why Stripe?")])

    response = recruiter_client.post(reverse("admin:rounds_guide_change", args=[guide.pk]), data)

    assert response.status_code == 200
    assert "The guide already has the question “Why Stripe?”" in response.content.decode()
    assert not rnd.questions.exists()


@pytest.mark.django_db
def test_a_region_typed_in_is_created_with_the_regional_difference(recruiter_client):
    RegionFactory(name="Asia", slug="asia", order=4)
    data = guide_form(
        regional_variants=[
            {"region": "", "new_region": "Latin America", "interview_focus": "", "tips": ""},
            {"region": "", "new_region": "asia", "interview_focus": "Scale", "tips": ""},
        ]
    )

    response = recruiter_client.post(reverse("admin:rounds_guide_add"), data)

    assert response.status_code == 302
    guide = Guide.objects.get(slug="acme-vp-engineering")
    assert sorted(v.region.name for v in guide.regional_variants.all()) == ["Asia", "Latin America"]
    assert Region.objects.get(name="Latin America").order == 5
    assert Region.objects.count() == 2


@pytest.mark.django_db
def test_a_regional_difference_needs_a_region(recruiter_client):
    data = guide_form(
        regional_variants=[{"region": "", "new_region": "", "interview_focus": "x", "tips": ""}]
    )

    response = recruiter_client.post(reverse("admin:rounds_guide_add"), data)

    assert response.status_code == 200
    assert "Pick a region, or type the name of a new one." in response.content.decode()


@pytest.mark.django_db
def test_a_published_guides_task_edit_is_staged_not_live(recruiter_client):
    guide = GuideFactory(plan_weeks=6, status=GuideStatus.PUBLISHED)
    block = StudyBlockFactory(guide=guide, start_week=1, end_week=2, title="Research")
    task = StudyTaskFactory(block=block, order=1, text="Read the report.")
    data = existing_guide_form(guide)
    data |= child_rows(
        "study_blocks-0",
        "tasks",
        [{"id": task.pk, "block": block.pk, "order": "1", "text": "Read the annual report."}],
        initial=1,
    )

    response = recruiter_client.post(reverse("admin:rounds_guide_change", args=[guide.pk]), data)

    assert response.status_code == 302
    task.refresh_from_db()
    assert task.text == "Read the report."
    staged = StagedEdit.objects.get(guide=guide)
    assert "Read the annual report." in staged.document
    assert "Read the annual report." not in staged.base_document


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 4])
@pytest.mark.parametrize("status", [GuideStatus.DRAFT, GuideStatus.PUBLISHED])
def test_guide_page_queries_are_fixed(recruiter_client, django_assert_num_queries, size, status):
    guide = build_guide(
        rounds=size, questions_per_round=size, regions=size, blocks=size, status=status
    )
    url = reverse("admin:rounds_guide_change", args=[guide.pk])
    recruiter_client.get(url)  # content types are cached once per process

    # Rounds with their questions, blocks with their tasks and regions: one query each; the
    # review record and any staged change (rounds/staging.py) a few more, the same for drafts.
    with django_assert_num_queries(19):
        response = recruiter_client.get(url)

    page = response.content.decode()
    assert page.count('class="nested-rows__row nested-rows__row--saved"') == size * size + size * 3


@pytest.mark.django_db
def test_a_published_guides_question_cannot_be_hidden_by_a_staged_edit(recruiter_client):
    # Unticking Published on a question row showed "+ published: false" in the staged diff, and
    # after approval the question was still published: staged edits leave publishing to review.
    guide = GuideFactory(status=GuideStatus.PUBLISHED)
    rnd = RoundFactory(guide=guide, order=1, title="Screen", slug="screen")
    question = Question.objects.create(
        guide=guide,
        round=rnd,
        order=1,
        text="Why us?",
        kind="leadership",
        is_published=True,
        status="published",
    )
    url = reverse("admin:rounds_guide_change", args=[guide.pk])
    page = recruiter_client.get(url).content.decode()
    rows = page.split('id="rounds-0-questions-rows"')[1].split("</table>")[0]
    assert 'name="rounds-0-questions-0-is_published"' in rows
    assert re.search(r'name="rounds-0-questions-0-is_published"[^>]*disabled', rows)
    assert "Publish or hide it from the question list" in rows
    # A blank row for a new question may still be ticked or not.
    assert not re.search(r'name="rounds-0-questions-1-is_published"[^>]*disabled', rows)

    data = existing_guide_form(guide)
    row = question_row("Why us?", id=question.pk, round=rnd.pk, order=1) | {"is_published": ""}
    data |= child_rows("rounds-0", "questions", [row], initial=1)
    recruiter_client.post(url, data)

    staged = StagedEdit.objects.filter(guide=guide).first()
    assert staged is None or "published: false" not in staged.document
    question.refresh_from_db()
    assert question.is_published
