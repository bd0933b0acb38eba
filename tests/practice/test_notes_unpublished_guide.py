"""Notes on a guide the recruiter takes offline stay readable and deletable, without dead links."""

import pytest
from django.urls import reverse

from practice.models import QuestionProgress
from practice.services import question_practice
from rounds.models import GuideStatus

NOTES = reverse("practice:notes")


@pytest.mark.django_db
def test_notes_of_an_unpublished_guide_stay_readable_without_a_link(client, alice, guide):
    question = guide.questions.first()
    question_practice(user=alice, question=question, status="practised", answer_draft="Kept draft")
    guide.status = GuideStatus.DRAFT
    guide.save()
    client.force_login(alice)
    page = client.get(NOTES).content.decode()
    assert "Kept draft" in page
    assert "taken this guide offline" in page
    assert f'href="{question.get_absolute_url()}"' not in page
    assert client.get(question.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_notes_of_an_unpublished_guide_can_be_deleted_by_their_owner(client, alice, guide):
    note = question_practice(
        user=alice, question=guide.questions.first(), status="practised", answer_draft="Old"
    )
    guide.status = GuideStatus.DRAFT
    guide.save()
    client.force_login(alice)
    delete_url = reverse("practice:note_delete", args=[note.pk])
    assert f'action="{delete_url}"' in client.get(NOTES).content.decode()
    client.post(delete_url)
    assert not QuestionProgress.objects.filter(pk=note.pk).exists()
