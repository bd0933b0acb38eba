"""Review of single questions: draft → in review → published, approved by a second recruiter."""

import pytest
from django.urls import reverse
from django.utils import timezone

from questions.models import Question, QuestionReview, QuestionStatus
from rounds.models import ReviewOutcome
from tests.factories import GuideFactory, QuestionFactory

CHANGELIST = "admin:questions_question_changelist"


@pytest.fixture
def draft(db):
    """A draft question in a draft guide (drafts are edited directly, not staged)."""
    guide = GuideFactory(status="draft")
    return QuestionFactory(
        guide=guide, text="How do you run an incident review?", is_published=False
    )


def act(client, user, action: str, question: Question) -> str:
    client.force_login(user)
    response = client.post(
        reverse(CHANGELIST), {"action": action, "_selected_action": [question.pk]}, follow=True
    )
    assert response.status_code == 200
    return response.content.decode()


def visible_to_visitors(client, question: Question) -> bool:
    client.logout()
    return client.get(question.get_absolute_url()).status_code == 200


def publish_guide(question: Question) -> None:
    question.guide.status = "published"
    question.guide.save()


@pytest.mark.django_db
def test_an_unpublished_question_is_a_draft():
    question = QuestionFactory(is_published=False)

    assert question.status == QuestionStatus.DRAFT
    Question.objects.filter(pk=question.pk).update(is_published=True)
    question.refresh_from_db()
    assert question.status == QuestionStatus.PUBLISHED
    question.status = QuestionStatus.IN_REVIEW
    question.save()
    question.refresh_from_db()
    assert question.is_published is False


@pytest.mark.django_db
def test_a_question_sent_for_review_stays_invisible(client, rita, draft):
    publish_guide(draft)

    page = act(client, rita, "send_for_review", draft)

    assert "Sent for review: 1 question." in page
    draft.refresh_from_db()
    assert draft.status == QuestionStatus.IN_REVIEW
    assert not visible_to_visitors(client, draft)
    assert QuestionReview.objects.get(question=draft).requested_by == rita


@pytest.mark.django_db
def test_only_a_draft_question_can_be_sent_for_review(client, rita):
    question = QuestionFactory()

    page = act(client, rita, "send_for_review", question)

    assert "only a draft question can be sent for review" in page
    assert not QuestionReview.objects.exists()


@pytest.mark.django_db
def test_the_recruiter_who_sent_a_question_cannot_approve_it(client, rita, draft):
    act(client, rita, "send_for_review", draft)

    page = act(client, rita, "approve_and_publish", draft)

    assert "another recruiter must approve it" in page
    draft.refresh_from_db()
    assert draft.status == QuestionStatus.IN_REVIEW


@pytest.mark.django_db
def test_a_second_recruiter_approves_and_the_question_is_published_and_reviewed_today(
    client, rita, sam, draft
):
    act(client, rita, "send_for_review", draft)

    page = act(client, sam, "approve_and_publish", draft)

    assert "Approved and published: 1 question." in page
    draft.refresh_from_db()
    assert (draft.status, draft.is_published) == (QuestionStatus.PUBLISHED, True)
    assert draft.last_reviewed == timezone.localdate()
    review = QuestionReview.objects.get(question=draft)
    assert (review.outcome, review.decided_by) == (ReviewOutcome.APPROVED, sam)
    # Visible once its guide is published too.
    assert not visible_to_visitors(client, draft)
    publish_guide(draft)
    assert visible_to_visitors(client, draft)


@pytest.mark.django_db
def test_a_superuser_may_approve_a_question_they_sent(admin_client, admin_user, draft):
    admin_client.post(
        reverse(CHANGELIST), {"action": "send_for_review", "_selected_action": [draft.pk]}
    )
    admin_client.post(
        reverse(CHANGELIST), {"action": "approve_and_publish", "_selected_action": [draft.pk]}
    )

    draft.refresh_from_db()
    assert draft.status == QuestionStatus.PUBLISHED


@pytest.mark.django_db
def test_a_reviewer_returns_a_question_to_draft(client, rita, sam, draft):
    act(client, rita, "send_for_review", draft)

    page = act(client, sam, "return_to_draft", draft)

    assert "Returned to draft: 1 question." in page
    draft.refresh_from_db()
    assert draft.status == QuestionStatus.DRAFT
    assert QuestionReview.objects.get(question=draft).outcome == ReviewOutcome.RETURNED


@pytest.mark.django_db
def test_approving_a_question_not_in_review_is_refused(client, sam, draft):
    page = act(client, sam, "approve_and_publish", draft)

    assert "is not waiting for review" in page
    draft.refresh_from_db()
    assert draft.status == QuestionStatus.DRAFT


@pytest.mark.django_db
def test_a_recruiter_cannot_publish_a_question_through_its_form(client, rita, draft):
    client.force_login(rita)
    url = reverse("admin:questions_question_change", args=[draft.pk])
    page = client.get(url).content.decode()
    assert 'name="status"' not in page

    client.post(
        url,
        {
            "guide": draft.guide_id,
            "kind": draft.kind,
            "text": draft.text,
            "slug": draft.slug,
            "order": draft.order,
            "status": "published",
            "last_reviewed": "2026-01-01",
        },
    )

    draft.refresh_from_db()
    assert (draft.status, draft.last_reviewed) == (QuestionStatus.DRAFT, None)


@pytest.mark.django_db
def test_a_recruiters_import_does_not_publish_a_draft_question(rita, draft):
    from rounds.content_io.exporter import guide_export
    from rounds.content_io.importer import guide_import_bytes

    text = guide_export(guide=draft.guide).replace("published: false", "published: true")

    guide_import_bytes(raw=text.encode(), user=rita, keep_status=True)

    draft.refresh_from_db()
    assert draft.status == QuestionStatus.DRAFT
