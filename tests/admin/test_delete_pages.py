"""Delete pages say what deleting does, in a recruiter's words."""

import pytest
from django.urls import reverse

from rounds.models import Guide, GuideStatus
from tests.factories import EnrolmentFactory, build_guide


@pytest.fixture
def guide(db):
    guide = build_guide(slug="draft-guide", rounds=2, regions=0, blocks=1)
    guide.status = GuideStatus.DRAFT
    guide.save()
    block = guide.study_blocks.get()
    block.rounds.add(guide.rounds.get(order=1))
    return guide


@pytest.mark.django_db
def test_deleting_a_round_says_its_questions_stay_and_hides_the_link_rows(admin_client, guide):
    """The page listed 'Studyblock-round relationships: StudyBlock_rounds object (1)' and said
    nothing of the round's questions, which stay in the guide without a round."""
    rnd = guide.rounds.get(order=1)

    page = admin_client.get(reverse("admin:rounds_round_delete", args=[rnd.pk])).content.decode()

    assert "StudyBlock_rounds object" not in page
    assert "relationship" not in page.lower()
    assert "Questions kept as guide-wide questions (no longer in a round): 5" in page


@pytest.mark.django_db
def test_a_guide_candidates_follow_is_not_deleted_and_unpublishing_is_offered(
    admin_client, guide, alice
):
    EnrolmentFactory(user=alice, guide=guide)

    response = admin_client.get(reverse("admin:rounds_guide_delete", args=[guide.pk]), follow=True)

    page = response.content.decode()
    assert "1 candidate has enrolled in" in page
    assert "Unpublish it instead" in page
    assert "permission to delete" not in page
    assert Guide.objects.filter(pk=guide.pk).exists()
