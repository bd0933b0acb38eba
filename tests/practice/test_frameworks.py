import pytest
from django.urls import reverse

from practice.models import AnswerFramework
from questions.models import QuestionKind
from tests.factories import QuestionFactory


@pytest.mark.django_db
def test_every_question_kind_ships_with_a_default_framework():
    assert set(AnswerFramework.objects.values_list("kind", flat=True)) == set(QuestionKind.values)
    design = AnswerFramework.objects.get(kind=QuestionKind.SYSTEM_DESIGN).step_list()
    assert [name for name, _ in design] == [
        "Requirements",
        "Estimates",
        "Interfaces",
        "Data",
        "Architecture",
        "Scaling",
        "Trade-offs",
    ]
    star = AnswerFramework.objects.get(kind=QuestionKind.BEHAVIOURAL)
    assert star.title == "STAR"


@pytest.mark.django_db
def test_question_page_shows_prep_method_beside_the_form_labelled_as_prep(client, alice, guide):
    question = QuestionFactory(guide=guide, kind=QuestionKind.SYSTEM_DESIGN, text="Design a feed.")
    client.force_login(alice)
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Prep’s method" in page
    assert "it is not part of this guide" in page
    assert "<strong>Estimates</strong>" in page
    # The guide's own text is untouched: the method is only shown beside it.
    question.refresh_from_db()
    assert "Estimates" not in question.guidance


@pytest.mark.django_db
def test_recruiter_edit_in_admin_shows_on_the_question_page(client, recruiter, alice, guide):
    from django.test import Client

    admin_client = Client()
    admin_client.force_login(recruiter)
    question = QuestionFactory(guide=guide, kind=QuestionKind.CODING)
    framework = AnswerFramework.objects.get(kind=QuestionKind.CODING)
    response = admin_client.post(
        reverse("admin:practice_answerframework_change", args=[framework.pk]),
        {"kind": "coding", "title": "Think aloud", "steps": "Clarify: the inputs\nBrute force"},
    )
    assert response.status_code == 302
    client.force_login(alice)
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Think aloud" in page and "<strong>Clarify</strong>: the inputs" in page
    assert "<li>Brute force</li>" in page


@pytest.mark.django_db
def test_one_framework_per_kind(admin_client):
    response = admin_client.post(
        reverse("admin:practice_answerframework_add"),
        {"kind": "coding", "title": "Second", "steps": "x"},
    )
    assert response.status_code == 200
    assert "Answer framework with this Kind already exists." in response.content.decode()
    assert AnswerFramework.objects.filter(kind="coding").count() == 1


@pytest.mark.django_db
def test_review_queue_shows_the_method_for_the_due_question(client, alice, guide):
    from practice import review
    from practice.models import ReviewCard

    question = QuestionFactory(guide=guide, kind=QuestionKind.BEHAVIOURAL)
    review.review_submit(user=alice, question=question, rating=1)
    ReviewCard.objects.update(due="2026-01-01T00:00:00Z")
    client.force_login(alice)
    page = client.get(reverse("practice:review_queue")).content.decode()
    assert "Prep’s method" in page and "<strong>Situation</strong>" in page
