import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from practice.models import NOTE_MAX_LENGTH, PracticeStatus, QuestionProgress
from questions.models import QuestionKind
from stories.models import Story
from tests.factories import QuestionFactory


def practice_url(question) -> str:
    return reverse(
        "practice:question",
        kwargs={"guide_slug": question.guide.slug, "question_slug": question.slug},
    )


@pytest.fixture
def question(guide):
    return guide.questions.filter(round__isnull=False).first()


@pytest.fixture
def behavioural(guide):
    return QuestionFactory(
        guide=guide, kind=QuestionKind.BEHAVIOURAL, text="Tell me about a conflict."
    )


@pytest.mark.django_db
def test_question_page_offers_practice_form_to_signed_in_candidates(client, alice, question):
    client.force_login(alice)
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Your practice" in page
    assert 'name="status"' in page
    assert "Answer draft" in page
    assert "htmx.min.js" in page


@pytest.mark.django_db
def test_anonymous_visitor_is_invited_to_log_in(client, question):
    page = client.get(question.get_absolute_url()).content.decode()
    assert "to mark this question practised" in page
    assert 'name="status"' not in page


@pytest.mark.django_db
def test_marking_practised_saves_status_time_and_notes(client, alice, question):
    client.force_login(alice)
    before = timezone.now()
    response = client.post(
        practice_url(question),
        {"status": "practised", "answer_draft": "I would start by listening."},
        follow=True,
    )
    row = QuestionProgress.objects.get(user=alice, question=question)
    assert row.status == PracticeStatus.PRACTISED
    assert row.last_practised_at >= before
    assert row.answer_draft == "I would start by listening."
    assert row.question_text == question.text
    page = response.content.decode()
    assert "Your practice is saved." in page
    assert "I would start by listening." in page
    assert "Last practised" in page


@pytest.mark.django_db
def test_back_to_new_keeps_the_last_practised_time(client, alice, question):
    client.force_login(alice)
    client.post(practice_url(question), {"status": "confident"})
    first = QuestionProgress.objects.get().last_practised_at
    client.post(practice_url(question), {"status": "new"})
    row = QuestionProgress.objects.get()
    assert row.status == PracticeStatus.NEW
    assert row.last_practised_at == first


@pytest.mark.django_db
def test_behavioural_question_sends_star_text_to_a_story_linked_to_it(client, alice, behavioural):
    """Stories are the one home of STAR text: the practice form has no STAR fields of its own,
    and "Write a story for this question" saves a story already linked to it."""
    client.force_login(alice)
    page = client.get(behavioural.get_absolute_url()).content.decode()
    assert "answer it with one of your stories" in page
    assert "STAR draft" not in page and 'name="star_situation"' not in page
    write = f"{reverse('stories:new')}?question={behavioural.pk}"
    assert write.replace("&", "&amp;") in page
    assert behavioural.text in client.get(write).content.decode()

    response = client.post(
        reverse("stories:new"),
        {
            "question": behavioural.pk,
            "title": "The design dispute",
            "situation": "Two teams disagreed.",
            "task": "Agree a design.",
            "action": "I ran a workshop.",
            "result": "Shipped in 3 weeks.",
        },
        follow=True,
    )

    story = Story.objects.get(user=alice)
    assert (story.situation, story.task, story.action, story.result) == (
        "Two teams disagreed.",
        "Agree a design.",
        "I ran a workshop.",
        "Shipped in 3 weeks.",
    )
    assert list(story.questions.all()) == [behavioural]
    assert response.redirect_chain[-1][0] == behavioural.get_absolute_url() + "#stories"
    assert "The design dispute" in response.content.decode()


@pytest.mark.django_db
def test_star_fields_posted_to_the_practice_form_are_ignored(client, alice, behavioural):
    client.force_login(alice)
    client.post(
        practice_url(behavioural),
        {"status": "practised", "answer_draft": "Kept.", "star_situation": "Old form."},
    )
    row = QuestionProgress.objects.get()
    assert (row.status, row.answer_draft) == (PracticeStatus.PRACTISED, "Kept.")
    assert not hasattr(row, "star_situation")
    assert not Story.objects.exists()


@pytest.mark.django_db
def test_system_design_question_is_not_pointed_to_stories(client, alice, guide):
    question = QuestionFactory(guide=guide, kind=QuestionKind.SYSTEM_DESIGN)
    client.force_login(alice)
    page = client.get(question.get_absolute_url()).content.decode()
    assert "answer it with one of your stories" not in page


@pytest.mark.django_db
def test_oversized_note_gets_a_clear_error_and_saves_nothing(client, alice, question):
    client.force_login(alice)
    client.post(practice_url(question), {"status": "practised", "answer_draft": "kept"})
    response = client.post(
        practice_url(question),
        {"status": "confident", "answer_draft": "x" * (NOTE_MAX_LENGTH + 1)},
    )
    assert response.status_code == 400
    assert "Keep this note under 10000 characters (it has 10001)" in response.content.decode()
    row = QuestionProgress.objects.get()
    assert row.answer_draft == "kept"
    assert row.status == PracticeStatus.PRACTISED


@pytest.mark.django_db
def test_service_refuses_oversized_notes_too(alice, question):
    from django.core.exceptions import ValidationError

    from practice.services import question_practice

    with pytest.raises(ValidationError) as error:
        question_practice(user=alice, question=question, answer_draft="y" * 10_001)
    assert "Keep this note under 10,000 characters" in str(error.value)
    assert not QuestionProgress.objects.exists()


@pytest.mark.django_db
def test_invalid_status_is_refused(client, alice, question):
    client.force_login(alice)
    response = client.post(practice_url(question), {"status": "expert"})
    assert "Choose new, practised or confident." in response.content.decode()
    assert not QuestionProgress.objects.exists()


@pytest.mark.django_db
def test_htmx_save_returns_the_form_in_place(client, alice, question):
    client.force_login(alice)
    response = client.post(
        practice_url(question),
        {"status": "practised", "answer_draft": "Draft"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="practice"')
    assert "Saved." in body
    assert "<html" not in body


@pytest.mark.django_db
def test_htmx_error_is_shown_in_place(client, alice, question):
    client.force_login(alice)
    response = client.post(
        practice_url(question),
        {"status": "practised", "answer_draft": "x" * 10_001},
        headers={"HX-Request": "true"},
    )
    assert "Keep this note under" in response.content.decode()
    assert not QuestionProgress.objects.exists()


@pytest.mark.django_db
def test_unpublished_or_unknown_question_cannot_be_practised(client, alice, guide):
    hidden = QuestionFactory(guide=guide, is_published=False)
    client.force_login(alice)
    assert client.post(practice_url(hidden), {"status": "practised"}).status_code == 404
    response = client.post(
        f"/guides/{guide.slug}/questions/no-such-question/practice/", {"status": "practised"}
    )
    assert response.status_code == 404
    assert not QuestionProgress.objects.exists()


@pytest.mark.django_db
def test_practice_requires_post_and_login(client, question):
    assert client.post(practice_url(question), {"status": "practised"}).status_code == 302
    assert not QuestionProgress.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("practised", [0, 1])
def test_question_page_adds_seven_queries_for_signed_in_candidates(
    client, alice, question, django_assert_max_num_queries, practised
):
    if practised:
        QuestionProgress.objects.create(
            user=alice,
            question=question,
            guide=question.guide,
            question_text=question.text,
            last_practised_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        )
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as anonymous:
        client.get(question.get_absolute_url())
    client.force_login(alice)
    with CaptureQueriesContext(connection) as signed_in:
        client.get(question.get_absolute_url())
    # session + user, then the practice row and the candidate's region, then the review card and
    # Prep's answer framework for the question's kind, then the candidate's stories.
    assert len(signed_in) == len(anonymous) + 7
