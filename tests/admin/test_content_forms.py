"""Admin forms refuse inconsistent content with a clear message instead of a 500."""

import pytest
from django.urls import reverse

from questions.models import Question
from studyplan.models import StudyBlock, StudyTask
from tests.factories import GuideFactory, RoundFactory, StudyBlockFactory


def question_form(guide, **overrides) -> dict:
    data = {
        "guide": guide.pk,
        "round": "",
        "region": "",
        "kind": "leadership",
        "text": "How do you grow senior engineers?",
        "slug": "how-do-you-grow-senior-engineers",
        "order": 1,
        "guidance": "",
        "last_reviewed": "",
    }
    return {**data, **overrides}


@pytest.mark.django_db
def test_recruiter_adds_a_question_to_a_round(recruiter_client):
    guide = GuideFactory(status="draft")  # drafts are edited directly
    rnd = RoundFactory(guide=guide)

    response = recruiter_client.post(
        reverse("admin:questions_question_add"), question_form(guide, round=rnd.pk)
    )

    assert response.status_code == 302
    question = Question.objects.get()
    assert (question.guide, question.round) == (guide, rnd)


@pytest.mark.django_db
def test_a_question_cannot_use_a_round_of_another_guide(recruiter_client):
    guide = GuideFactory(company="OKX")
    foreign_round = RoundFactory(guide=GuideFactory(company="Acme"), title="Acme final")

    response = recruiter_client.post(
        reverse("admin:questions_question_add"), question_form(guide, round=foreign_round.pk)
    )

    assert response.status_code == 200
    assert "“Acme final” is a round of Head of Engineering at Acme" in response.content.decode()
    assert not Question.objects.exists()


@pytest.mark.django_db
def test_a_question_slug_must_be_unique_in_its_guide(recruiter_client):
    guide = GuideFactory(status="draft")  # drafts are edited directly
    url = reverse("admin:questions_question_add")
    recruiter_client.post(url, question_form(guide))

    response = recruiter_client.post(url, question_form(guide, text="Another wording"))

    assert response.status_code == 200
    assert Question.objects.count() == 1
    assert "already exists" in response.content.decode()


def block_form(guide, start: int, end: int, tasks: list[str]) -> dict:
    data = {
        "guide": guide.pk,
        "start_week": start,
        "end_week": end,
        "title": "Mock interviews",
        "headline": "",
        "description": "",
        "tasks-TOTAL_FORMS": len(tasks),
        "tasks-INITIAL_FORMS": 0,
        "tasks-MIN_NUM_FORMS": 0,
        "tasks-MAX_NUM_FORMS": 1000,
    }
    for index, text in enumerate(tasks):
        data[f"tasks-{index}-order"] = index + 1
        data[f"tasks-{index}-text"] = text
    return data


@pytest.mark.django_db
def test_recruiter_adds_a_study_block_with_its_checklist(recruiter_client):
    guide = GuideFactory(status="draft")  # drafts are edited directly

    response = recruiter_client.post(
        reverse("admin:studyplan_studyblock_add"),
        block_form(guide, 7, 8, ["Run two mock interviews.", "Ask for written feedback."]),
    )

    assert response.status_code == 302
    block = StudyBlock.objects.get()
    assert [t.text for t in block.tasks.all()] == [
        "Run two mock interviews.",
        "Ask for written feedback.",
    ]


@pytest.mark.django_db
def test_overlapping_study_weeks_are_refused_with_a_clear_error(recruiter_client):
    guide = GuideFactory()
    StudyBlockFactory(guide=guide, start_week=1, end_week=2, title="Company research")

    response = recruiter_client.post(
        reverse("admin:studyplan_studyblock_add"), block_form(guide, 2, 3, ["Read."])
    )

    assert response.status_code == 200
    assert "Weeks 2-3 overlap “Weeks 1-2: Company research”." in response.content.decode()
    assert StudyBlock.objects.count() == 1
    assert not StudyTask.objects.exists()


@pytest.mark.django_db
def test_study_weeks_after_the_plan_are_refused(recruiter_client):
    guide = GuideFactory(plan_weeks=8)

    response = recruiter_client.post(
        reverse("admin:studyplan_studyblock_add"), block_form(guide, 8, 9, [])
    )

    assert response.status_code == 200
    assert "The plan has 8 weeks; this block ends after it." in response.content.decode()
    assert not StudyBlock.objects.exists()


@pytest.mark.django_db
def test_round_choices_name_their_guide(recruiter_client):
    RoundFactory(guide=GuideFactory(company="Acme"), title="Panel", order=2)

    page = recruiter_client.get(reverse("admin:questions_question_add")).content.decode()

    assert "Head of Engineering at Acme — 2. Panel" in page


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["question", "block"])
def test_tags_are_checkboxes_without_ctrl_click_help(recruiter_client, model):
    """A multiple select needs Ctrl/Cmd-click, which Django's help explains in words that mean
    nothing on a phone: tags are checkboxes on both forms that have them."""
    from questions.models import Tag

    Tag.objects.create(name="fintech", slug="fintech")
    guide = GuideFactory()
    url = {
        "question": reverse("admin:questions_question_add") + f"?guide={guide.pk}",
        "block": reverse("admin:studyplan_studyblock_add"),
    }[model]

    page = recruiter_client.get(url).content.decode()

    assert 'type="checkbox" name="tags"' in page
    assert "Hold down" not in page
    assert '<select name="tags"' not in page
