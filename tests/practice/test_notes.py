import re

import pytest
from django.urls import reverse

from practice.models import PracticeStatus, QuestionProgress
from practice.services import question_practice
from tests.factories import QuestionFactory, build_guide

NOTES = reverse("practice:notes")


@pytest.mark.django_db
def test_notes_page_lists_every_note_grouped_by_guide(client, alice, guide):
    question = guide.questions.first()
    question_practice(user=alice, question=question, status="practised", answer_draft="My draft")
    client.force_login(alice)
    page = client.get(NOTES).content.decode()
    assert guide.title in page
    assert question.text in page
    assert "My draft" in page
    assert question.get_absolute_url() in page


@pytest.mark.django_db
def test_editing_question_text_keeps_status_and_notes_attached(client, alice, guide):
    question = guide.questions.first()
    question_practice(user=alice, question=question, status="confident", answer_draft="Kept")
    question.text = "A reworded question?"
    question.save()
    client.force_login(alice)
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Kept" in page
    assert re.search(r'value="confident"[^>]*checked', page)
    assert QuestionProgress.objects.get().status == PracticeStatus.CONFIDENT
    # My notes and the API name it as it reads now, before it is practised again (they showed
    # the old wording, kept for when a question is deleted).
    notes = client.get(NOTES).content.decode()
    assert "A reworded question?" in notes
    api = client.get("/api/v1/practice/").json()
    assert api["results"][0]["question_text"] == "A reworded question?"
    # The copy of the text follows the question the next time it is practised.
    question_practice(user=alice, question=question, status="confident")
    assert QuestionProgress.objects.get().question_text == "A reworded question?"


@pytest.mark.django_db
def test_deleted_question_keeps_notes_readable(client, alice, guide):
    question = QuestionFactory(guide=guide, text="Describe a failed launch.")
    question_practice(user=alice, question=question, status="practised", answer_draft="Lesson")
    question.delete()
    row = QuestionProgress.objects.get(user=alice)
    assert row.question is None
    client.force_login(alice)
    page = client.get(NOTES).content.decode()
    assert "Describe a failed launch." in page
    assert "Lesson" in page
    assert "This question was removed from the guide" in page


@pytest.mark.django_db
def test_orphaned_notes_can_be_deleted_by_their_owner(client, alice, guide):
    question = QuestionFactory(guide=guide)
    row = question_practice(user=alice, question=question, answer_draft="Old")
    question.delete()
    client.force_login(alice)
    response = client.post(reverse("practice:note_delete", args=[row.pk]), follow=True)
    assert "are deleted" in response.content.decode()
    assert not QuestionProgress.objects.exists()


@pytest.mark.django_db
def test_unpublished_question_notes_stay_readable(client, alice, guide):
    question = guide.questions.first()
    question_practice(user=alice, question=question, answer_draft="Still mine")
    question.is_published = False
    question.save()
    client.force_login(alice)
    page = client.get(NOTES).content.decode()
    assert "Still mine" in page
    assert "no longer published" in page


@pytest.mark.django_db
def test_notes_page_requires_login(client):
    assert client.get(NOTES).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("guides,per_guide", [(1, 1), (3, 5)])
def test_notes_query_count_is_fixed(client, alice, django_assert_num_queries, guides, per_guide):
    for n in range(guides):
        guide = build_guide(slug=f"g{n}", rounds=2, questions_per_round=3)
        for question in guide.questions.all()[:per_guide]:
            question_practice(user=alice, question=question, answer_draft="note")
    QuestionFactory(guide=guide).delete()
    client.force_login(alice)
    with django_assert_num_queries(3):
        response = client.get(NOTES)
    assert response.content.decode().count('class="note-card"') == guides * per_guide
