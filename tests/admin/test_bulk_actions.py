import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from questions.models import Question
from rounds.models import Guide, GuideStatus
from tests.factories import GuideFactory, QuestionFactory


def run_action(client, changelist: str, action: str, ids: list[int], **extra):
    return client.post(
        reverse(changelist), {"action": action, "_selected_action": ids, **extra}, follow=True
    )


@pytest.mark.django_db
def test_a_superuser_publishes_and_unpublishes_guides_in_bulk_without_review(admin_client):
    drafts = [GuideFactory(status=GuideStatus.DRAFT) for _ in range(2)]
    kept = GuideFactory(status=GuideStatus.DRAFT)
    ids = [g.pk for g in drafts]

    response = run_action(admin_client, "admin:rounds_guide_changelist", "publish", ids)

    assert "Published 2 guides." in response.content.decode()
    assert set(Guide.objects.published().values_list("pk", flat=True)) == set(ids)
    kept.refresh_from_db()
    assert kept.status == GuideStatus.DRAFT

    asked = run_action(admin_client, "admin:rounds_guide_changelist", "unpublish", ids)

    # Candidates lose the guide at once: the action asks first, saying who follows it.
    assert "Unpublish these guides?" in asked.content.decode()
    assert "0 candidates following it" in asked.content.decode()
    assert Guide.objects.published().count() == 2
    run_action(admin_client, "admin:rounds_guide_changelist", "unpublish", ids, confirm="yes")

    assert not Guide.objects.published().exists()


@pytest.mark.django_db
def test_a_recruiter_cannot_publish_or_mark_reviewed_without_a_review(recruiter_client):
    guide = GuideFactory(status=GuideStatus.DRAFT, last_reviewed=datetime.date(2025, 1, 1))
    page = recruiter_client.get(reverse("admin:rounds_guide_changelist")).content.decode()
    assert "Send selected guides for review" in page
    assert "without review" not in page

    run_action(recruiter_client, "admin:rounds_guide_changelist", "publish", [guide.pk])
    run_action(recruiter_client, "admin:rounds_guide_changelist", "mark_reviewed_today", [guide.pk])

    guide.refresh_from_db()
    assert guide.status == GuideStatus.DRAFT
    assert guide.last_reviewed == datetime.date(2025, 1, 1)


@pytest.mark.django_db
def test_mark_guides_reviewed_today(admin_client):
    guide = GuideFactory(last_reviewed=datetime.date(2025, 1, 1))

    run_action(admin_client, "admin:rounds_guide_changelist", "mark_reviewed_today", [guide.pk])

    guide.refresh_from_db()
    assert guide.last_reviewed == timezone.localdate()


@pytest.mark.django_db
def test_a_recruiter_unpublishes_questions_in_bulk_and_a_superuser_publishes_them(
    recruiter_client, admin_client
):
    guide = GuideFactory()
    questions = [QuestionFactory(guide=guide) for _ in range(3)]
    ids = [q.pk for q in questions[:2]]

    asked = run_action(recruiter_client, "admin:questions_question_changelist", "unpublish", ids)
    assert "Unpublish these questions?" in asked.content.decode()
    assert not Question.objects.filter(status="draft").exists()
    response = run_action(
        recruiter_client, "admin:questions_question_changelist", "unpublish", ids, confirm="yes"
    )

    assert "Unpublished 2 questions." in response.content.decode()
    assert set(Question.objects.filter(is_published=False).values_list("pk", flat=True)) == set(ids)
    assert set(Question.objects.filter(status="draft").values_list("pk", flat=True)) == set(ids)
    # Recorded in the guide's History with who did it (a bulk UPDATE left no trace there).
    for pk in ids:
        latest = Question.history.filter(id=pk).latest()
        assert (latest.history_type, latest.status) == ("~", "draft")
        assert latest.history_user.email == "rita@example.com"

    # Publishing without review is a superuser's; a recruiter's attempt changes nothing.
    run_action(recruiter_client, "admin:questions_question_changelist", "publish", ids)
    assert Question.objects.filter(is_published=True).count() == 1

    run_action(admin_client, "admin:questions_question_changelist", "publish", ids)

    assert Question.objects.filter(is_published=True, status="published").count() == 3


@pytest.mark.django_db
def test_mark_questions_reviewed_today_is_a_superusers(recruiter_client, admin_client):
    question = QuestionFactory(last_reviewed=datetime.date(2025, 1, 1))

    for client in (recruiter_client, admin_client):
        run_action(
            client, "admin:questions_question_changelist", "mark_reviewed_today", [question.pk]
        )
        question.refresh_from_db()
        expected = datetime.date(2025, 1, 1) if client is recruiter_client else timezone.localdate()
        assert question.last_reviewed == expected
