"""Mocks and stories are private: another candidate gets 404; export and account deletion."""

import json

import pytest
from django.urls import reverse

from accounts.services import user_delete
from mocks import services
from mocks.models import Mock, MockAnswer
from stories.models import Story
from stories.services import story_save


@pytest.fixture
def alices_things(enrolled_alice, round2):
    story = story_save(
        user=enrolled_alice, title="Alice's secret", questions=[round2.questions.first()]
    )
    mock = services.mock_start(user=enrolled_alice, rnd=round2, questions=1, minutes=5)
    services.answer_save(
        user=enrolled_alice, answer=mock.answers.get(), notes="Alice's notes", story=story
    )
    return mock, story


@pytest.mark.django_db
def test_another_candidate_gets_404_on_alices_mock_and_story(client, charlie, alices_things):
    mock, story = alices_things
    client.force_login(charlie)
    for url in (
        reverse("mocks:detail", args=[mock.pk]),
        reverse("stories:edit", args=[story.pk]),
    ):
        assert client.get(url).status_code == 404
    for url, data in (
        (reverse("mocks:answer", args=[mock.pk]), {"answer": 1, "notes": "x"}),
        (reverse("mocks:grade", args=[mock.pk]), {}),
        (reverse("mocks:abandon", args=[mock.pk]), {}),
        (reverse("stories:edit", args=[story.pk]), {"title": "Mine now"}),
        (reverse("stories:delete", args=[story.pk]), {}),
        (reverse("stories:link", args=[]), {"story": story.pk, "question": 1}),
    ):
        assert client.post(url, data).status_code == 404
    assert Mock.objects.get().status == "in_progress"
    assert Story.objects.get().title == "Alice's secret"
    for url in (
        reverse("mocks:index"),
        reverse("stories:list"),
        reverse("mocks:history", args=[mock.round.guide.slug, mock.round.slug]),
    ):
        body = client.get(url).content.decode()
        assert "Alice's secret" not in body and mock.get_absolute_url() not in body


@pytest.mark.django_db
def test_a_charlie_story_cannot_be_used_in_alices_mock(client, enrolled_alice, charlie, round2):
    theirs = Story.objects.create(user=charlie, title="Charlie's")
    Story.objects.create(user=enrolled_alice, title="Alice's own")
    mock = services.mock_start(user=enrolled_alice, rnd=round2, questions=1, minutes=5)
    client.force_login(enrolled_alice)
    response = client.post(
        reverse("mocks:answer", args=[mock.pk]),
        {"answer": mock.answers.get().pk, "notes": "n", "story": theirs.pk},
    )
    assert response.status_code == 400
    assert MockAnswer.objects.get().answered_at is None


@pytest.mark.django_db
def test_mocks_and_stories_are_in_the_data_export(client, enrolled_alice, alices_things):
    client.force_login(enrolled_alice)
    data = json.loads(client.post(reverse("accounts:export")).content)
    assert data["stories"][0]["title"] == "Alice's secret"
    assert data["stories"][0]["questions"]
    answer = data["mock_interviews"][0]["answers"][0]
    assert answer["notes"] == "Alice's notes" and answer["story"] == "Alice's secret"
    assert answer["seconds_taken"] is not None


@pytest.mark.django_db
def test_mocks_and_stories_are_deleted_with_the_account(enrolled_alice, alices_things):
    user_delete(user=enrolled_alice, password="correct horse battery staple")
    assert not Mock.objects.exists()
    assert not MockAnswer.objects.exists()
    assert not Story.objects.exists()
