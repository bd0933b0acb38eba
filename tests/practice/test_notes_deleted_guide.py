"""Notes keep the title of their guide, so they still say what they were for once it is deleted."""

import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from practice.models import QuestionProgress
from practice.services import question_practice
from rounds.models import Guide
from tests.factories import build_guide


@pytest.fixture
def deleted_guide_notes(alice):
    """Alice's notes on a question of a guide a recruiter has since deleted."""
    guide = build_guide(
        company="Acme", role="Staff Engineer", rounds=1, questions_per_round=1, regions=0, blocks=1
    )
    question = guide.questions.get()
    question_practice(user=alice, question=question, status="practised", answer_draft="Mine")
    Guide.objects.filter(pk=guide.pk).delete()
    return QuestionProgress.objects.get(user=alice)


@pytest.mark.django_db
def test_my_notes_names_the_deleted_guide(client, alice, deleted_guide_notes):
    client.force_login(alice)

    page = client.get(reverse("practice:notes")).content.decode()

    assert "Staff Engineer at Acme" in page
    assert "(this guide no longer exists)" in page
    assert "Mine" in page


@pytest.mark.django_db
def test_the_data_export_names_the_deleted_guide(client, alice, deleted_guide_notes):
    client.force_login(alice)

    data = json.loads(client.get(reverse("accounts:export")).content)

    assert [(n["guide"], n["answer_draft"]) for n in data["question_notes"]] == [
        ("Staff Engineer at Acme", "Mine")
    ]


@pytest.mark.django_db
def test_the_practice_api_names_the_deleted_guide(alice, deleted_guide_notes):
    api = APIClient()
    api.force_authenticate(alice)

    note = api.get(f"/api/v1/practice/{deleted_guide_notes.pk}/").json()

    assert (note["guide"], note["guide_title"]) == (None, "Staff Engineer at Acme")


@pytest.mark.django_db
def test_notes_of_a_live_guide_show_its_current_title(client, alice, guide):
    question_practice(user=alice, question=guide.questions.first(), status="practised")
    Guide.objects.filter(pk=guide.pk).update(company="Renamed Co")
    client.force_login(alice)

    page = client.get(reverse("practice:notes")).content.decode()

    assert f"{guide.role} at Renamed Co" in page
    assert "no longer exists" not in page
