"""Review before publishing: a second recruiter approves a guide before candidates see it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from rounds.models import GuideReview, GuideStatus, ReviewOutcome
from tests.factories import build_guide

CHANGELIST = "admin:rounds_guide_changelist"


@pytest.fixture
def draft(db):
    guide = build_guide(slug="stripe-staff-engineer", company="Stripe")
    guide.status = GuideStatus.DRAFT
    guide.last_reviewed = None
    guide.save()
    return guide


def act(client, user, action: str, guide) -> str:
    client.force_login(user)
    response = client.post(
        reverse(CHANGELIST), {"action": action, "_selected_action": [guide.pk]}, follow=True
    )
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_a_guide_sent_for_review_stays_invisible_to_visitors(client, rita, draft):
    page = act(client, rita, "send_for_review", draft)

    assert "Sent for review: 1 guide." in page
    draft.refresh_from_db()
    assert draft.status == GuideStatus.IN_REVIEW
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404
    review = GuideReview.objects.get(guide=draft)
    assert review.requested_by == rita
    assert review.outcome == ReviewOutcome.PENDING


@pytest.mark.django_db
def test_the_author_cannot_approve_their_own_guide(client, rita, draft):
    act(client, rita, "send_for_review", draft)
    page = act(client, rita, "approve_and_publish", draft)

    assert "another recruiter must approve it" in page
    draft.refresh_from_db()
    assert draft.status == GuideStatus.IN_REVIEW
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_a_second_recruiter_approves_and_the_guide_is_published_and_reviewed_today(
    client, rita, sam, draft
):
    act(client, rita, "send_for_review", draft)
    page = act(client, sam, "approve_and_publish", draft)

    assert "Approved and published: 1 guide." in page
    draft.refresh_from_db()
    assert draft.status == GuideStatus.PUBLISHED
    assert draft.last_reviewed == timezone.localdate()
    review = GuideReview.objects.get(guide=draft)
    assert (review.outcome, review.decided_by) == (ReviewOutcome.APPROVED, sam)
    # The approval is a version in the guide's history, under the reviewer's name.
    assert draft.history.first().history_user == sam
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_a_superuser_may_approve_their_own_guide(admin_client, admin_user, draft):
    act(admin_client, admin_user, "send_for_review", draft)
    act(admin_client, admin_user, "approve_and_publish", draft)
    draft.refresh_from_db()
    assert draft.status == GuideStatus.PUBLISHED


@pytest.mark.django_db
def test_a_reviewer_returns_a_guide_to_draft(client, rita, sam, draft):
    act(client, rita, "send_for_review", draft)
    page = act(client, sam, "return_to_draft", draft)

    assert "Returned to draft: 1 guide." in page
    draft.refresh_from_db()
    assert draft.status == GuideStatus.DRAFT
    assert GuideReview.objects.get(guide=draft).outcome == ReviewOutcome.RETURNED
    # And it can be sent again.
    act(client, rita, "send_for_review", draft)
    assert GuideReview.objects.filter(guide=draft).count() == 2


@pytest.mark.django_db
def test_only_a_draft_can_be_sent_and_only_a_guide_in_review_approved(client, rita, sam, draft):
    page = act(client, sam, "approve_and_publish", draft)
    assert "is not waiting for review" in page
    act(client, rita, "send_for_review", draft)
    page = act(client, rita, "send_for_review", draft)
    assert "only a draft can be sent for review" in page
    assert GuideReview.objects.filter(guide=draft).count() == 1


@pytest.mark.django_db
def test_a_recruiter_cannot_publish_by_editing_the_status_field(client, rita, draft):
    client.force_login(rita)
    page = client.get(reverse("admin:rounds_guide_change", args=[draft.pk])).content.decode()
    assert 'name="status"' not in page
    assert 'name="last_reviewed"' not in page


@pytest.mark.django_db
def test_the_guide_page_shows_its_review_record(client, rita, sam, draft):
    act(client, rita, "send_for_review", draft)
    act(client, sam, "approve_and_publish", draft)
    client.force_login(rita)
    page = client.get(reverse("admin:rounds_guide_change", args=[draft.pk])).content.decode()
    assert "Sent by Rita on" in page
    assert ": approved by Sam on" in page
