"""Candidates' stories and mock answers in the admin: superusers see them, recruiters never.

Candidates are told only they can read their stories and mock answers, so the Recruiters group
holds no permission on them and the admin asks for superuser status; even superusers see that
the text exists, not the text.
"""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from mocks import services
from rounds.recruiters import recruiter_permission_names
from stories.models import Story
from tests.factories import UserFactory

PRIVATE_TEXT = "My secret situation"


@pytest.fixture
def superuser(db):
    return UserFactory(email="sam@example.com", is_staff=True, is_superuser=True)


@pytest.fixture
def private(enrolled_alice, round2):
    story = Story.objects.create(
        user=enrolled_alice, title="The payments outage", situation=PRIVATE_TEXT
    )
    story.questions.add(round2.questions.first())
    mock = services.mock_start(user=enrolled_alice, rnd=round2, questions=2, minutes=5)
    services.answer_save(
        user=enrolled_alice, answer=mock.answers.first(), notes="My secret answer", story=story
    )
    return story, mock


def private_urls(story, mock) -> list[str]:
    return [
        reverse("admin:stories_story_changelist"),
        reverse("admin:stories_story_change", args=[story.pk]),
        reverse("admin:stories_story_delete", args=[story.pk]),
        reverse("admin:mocks_mock_changelist"),
        reverse("admin:mocks_mock_change", args=[mock.pk]),
        reverse("admin:mocks_mock_delete", args=[mock.pk]),
    ]


@pytest.mark.django_db
def test_a_recruiter_gets_403_on_candidates_stories_and_mocks(client, recruiter, private):
    client.force_login(recruiter)
    for url in private_urls(*private):
        assert client.get(url).status_code == 403, url
    index = client.get(reverse("admin:index")).content.decode()
    assert "Stories" not in index and "Mocks" not in index
    assert not {name for name in recruiter_permission_names() if name[0] in {"stories", "mocks"}}
    assert (
        not recruiter.groups.get()
        .permissions.filter(content_type__app_label__in=["stories", "mocks"])
        .exists()
    )


@pytest.mark.django_db
def test_staff_given_a_view_permission_by_hand_still_gets_403(client, recruiter, private):
    recruiter.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_story", "view_mock", "delete_story"])
    )
    client.force_login(recruiter)
    for url in private_urls(*private):
        assert client.get(url).status_code == 403, url


@pytest.mark.django_db
def test_a_superuser_lists_searches_and_opens_them_without_their_text(
    client, superuser, private, enrolled_alice, round2
):
    story, mock = private
    client.force_login(superuser)
    for url in private_urls(story, mock):
        assert client.get(url).status_code == 200, url

    stories = client.get(reverse("admin:stories_story_changelist"), {"q": "alice@"})
    page = stories.content.decode()
    assert "The payments outage" in page and "alice@example.com" in page
    assert '<td class="field-parts_written">situation</td>' in page
    assert (
        client.get(reverse("admin:stories_story_changelist"), {"q": "nobody@"})
        .context["cl"]
        .result_count
        == 0
    )
    mocks = client.get(reverse("admin:mocks_mock_changelist"), {"status__exact": "in_progress"})
    assert mocks.context["cl"].result_count == 1
    assert round2.guide.title in mocks.content.decode()
    detail = client.get(reverse("admin:mocks_mock_change", args=[mock.pk])).content.decode()
    assert mock.answers.first().question_text in detail
    for url in private_urls(story, mock)[:2] + private_urls(story, mock)[3:5]:
        body = client.get(url).content.decode()
        assert PRIVATE_TEXT not in body and "My secret answer" not in body, url
    # Read-mostly: nothing is added or edited here.
    assert client.get(reverse("admin:stories_story_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:stories_story_change", args=[story.pk]), {"title": "Changed"}
        ).status_code
        == 403
    )
    story.refresh_from_db()
    assert story.title == "The payments outage"


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 8])
def test_private_admin_lists_cost_the_same_queries_at_two_sizes(
    client, superuser, enrolled_alice, guide, size, django_assert_num_queries
):
    rounds = list(guide.rounds.all())
    for n in range(size):
        Story.objects.create(user=enrolled_alice, title=f"Story {n}").questions.set(
            guide.questions.all()[:2]
        )
    for n in range(size):
        mock = services.mock_start(user=enrolled_alice, rnd=rounds[n % 2], questions=2)
        services.mock_abandon(user=enrolled_alice, mock=mock)
    client.force_login(superuser)
    with django_assert_num_queries(7):
        assert client.get(reverse("admin:stories_story_changelist")).status_code == 200
    with django_assert_num_queries(8):
        assert client.get(reverse("admin:mocks_mock_changelist")).status_code == 200
