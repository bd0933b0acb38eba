"""Writing stories, using them on a question, and the coverage grid."""

import re

import pytest
from django.urls import reverse

from stories.models import Story
from stories.services import coverage_for, story_save


def q(guide, round_order, n=0):
    return guide.questions.filter(round__order=round_order).order_by("pk")[n]


@pytest.mark.django_db
def test_a_candidate_writes_a_story_with_tags_and_criteria(client, enrolled_alice, guide):
    client.force_login(enrolled_alice)
    criterion = guide.criteria.get(order=2)
    response = client.post(
        reverse("stories:new"),
        {
            "title": "Payments migration",
            "situation": "Legacy ledger",
            "task": "Move it",
            "action": "Strangler fig",
            "result": "Zero downtime",
            "reflection": "Start the comms earlier",
            "tags": "scale, migration, scale",
            "criteria": [criterion.pk],
        },
    )
    assert response.url == reverse("stories:list")
    story = Story.objects.get()
    assert story.tag_list() == ["scale", "migration"]
    assert list(story.criteria.all()) == [criterion]
    page = client.get(reverse("stories:list")).content.decode()
    assert "Payments migration" in page and "migration" in page


@pytest.mark.django_db
def test_a_story_needs_a_title(client, enrolled_alice):
    client.force_login(enrolled_alice)
    response = client.post(reverse("stories:new"), {"title": "  "})
    assert response.status_code == 400
    assert not Story.objects.exists()


@pytest.mark.django_db
def test_a_story_is_picked_on_a_question_instead_of_retyped(client, enrolled_alice, guide):
    story = story_save(user=enrolled_alice, title="Hiring a team", action="Wrote the loop")
    question = q(guide, 1)
    client.force_login(enrolled_alice)
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Use one of your stories" in page and "Hiring a team" in page
    response = client.post(reverse("stories:link"), {"story": story.pk, "question": question.pk})
    assert response.url == question.get_absolute_url() + "#stories"
    assert list(story.questions.all()) == [question]
    page = client.get(question.get_absolute_url()).content.decode()
    assert reverse("stories:edit", args=[story.pk]) in page
    client.post(reverse("stories:unlink"), {"story": story.pk, "question": question.pk})
    assert not story.questions.exists()


@pytest.mark.django_db
def test_the_coverage_grid_shows_gaps_and_changes_as_stories_are_linked(
    client, enrolled_alice, guide
):
    client.force_login(enrolled_alice)
    url = reverse("stories:coverage", args=[guide.slug])
    assert client.get(reverse("stories:coverage_index")).url == url
    page = client.get(url).content.decode()
    assert "No story yet for a question of round 3 (Round 3)." in page
    assert "No story yet shows “Strategic thinking”." in page
    # Each gap has its own way to fill it.
    strategic = guide.criteria.get(title="Strategic thinking")
    write = f"{reverse('stories:new')}?criterion={strategic.pk}"
    assert f'href="{write}">Write a story that shows it' in page
    round3 = guide.rounds.get(order=3)
    assert f'href="{round3.get_absolute_url()}#questions-title">Pick one of its questions' in page
    form = client.get(write).content.decode()
    assert re.search(rf'value="{strategic.pk}"[^>]*checked', form)

    first = story_save(user=enrolled_alice, title="First", questions=[q(guide, 1), q(guide, 3)])
    story_save(
        user=enrolled_alice,
        title="Second",
        questions=[q(guide, 2)],
        criteria=list(guide.criteria.all()),
    )
    page = client.get(url).content.decode()
    assert "No story yet for a question of round" not in page
    assert "No story yet shows" not in page
    assert "Every criterion and round has at least one story." in page
    assert "Pick one of its questions" not in page
    coverage = coverage_for(user=enrolled_alice, guide=guide, stories=[first])
    assert [row.cells for row in coverage.rows if row.kind == "round"] == [[1], [0], [1]]


@pytest.mark.django_db
def test_over_reliance_on_one_story_is_flagged(client, enrolled_alice, guide):
    story_save(
        user=enrolled_alice,
        title="The only story",
        questions=[q(guide, 1), q(guide, 2), q(guide, 3)],
    )
    client.force_login(enrolled_alice)
    page = client.get(reverse("stories:coverage", args=[guide.slug])).content.decode()
    assert "“The only story” answers 3 questions of this guide" in page
    assert "used 3×" in page


@pytest.mark.django_db
def test_coverage_of_a_guide_not_followed_is_404(client, alice, guide):
    client.force_login(alice)
    assert client.get(reverse("stories:coverage", args=[guide.slug])).status_code == 404
    page = client.get(reverse("stories:coverage_index")).content.decode()
    assert "Enrol in a guide" in page


@pytest.mark.django_db
def test_links_only_to_published_questions(enrolled_alice, guide):
    hidden = q(guide, 1)
    hidden.is_published = False
    hidden.save()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        story_save(user=enrolled_alice, title="x", questions=[hidden])


@pytest.mark.django_db
def test_unlinking_from_the_story_page_returns_there(client, enrolled_alice, guide):
    question = q(guide, 1)
    story = story_save(user=enrolled_alice, title="Linked", questions=[question])
    client.force_login(enrolled_alice)
    page = client.get(reverse("stories:edit", args=[story.pk])).content.decode()
    assert question.text in page
    response = client.post(
        reverse("stories:unlink"),
        {"story": f" {story.pk} ", "question": question.pk, "from": "story"},
    )
    assert response.url == reverse("stories:edit", args=[story.pk])
    assert not story.questions.exists()
    assert client.post(reverse("stories:link"), {"story": "x", "question": "y"}).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["abc", "99999999", "1e3"])
def test_a_bad_or_unknown_criterion_for_a_new_story_is_a_404(client, enrolled_alice, raw):
    client.force_login(enrolled_alice)
    assert client.get(reverse("stories:new"), {"criterion": raw}).status_code == 404


@pytest.mark.django_db
def test_a_criterion_of_a_guide_not_followed_is_a_404(client, alice, guide):
    client.force_login(alice)  # not enrolled in `guide`
    criterion = guide.criteria.first()
    assert client.get(reverse("stories:new"), {"criterion": criterion.pk}).status_code == 404
