"""Starting, answering, timing, grading, resuming and abandoning a mock interview."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mocks import services
from mocks.models import Mock, MockAnswer, MockGrade, MockStatus
from practice.models import QuestionProgress, Review, ReviewCard
from practice.review_models import Rating
from rounds.models import Region
from stories.models import Story
from tests.factories import EnrolmentFactory, GuideFactory, QuestionFactory, RoundFactory


def start_url(rnd):
    return reverse("mocks:start", args=[rnd.guide.slug, rnd.slug])


@pytest.mark.django_db
def test_questions_of_the_candidates_region_come_first_then_least_recently_practised(
    alice, guide, round2
):
    asia = Region.objects.get(slug="region-1")
    alice.region = asia
    alice.save()
    regional = QuestionFactory(guide=guide, round=round2, region=asia, order=99)
    other_region = QuestionFactory(
        guide=guide, round=round2, region=Region.objects.get(slug="region-0"), order=0
    )
    general = list(round2.questions.filter(region__isnull=True).order_by("order", "pk"))
    # Two practised: the one practised longest ago comes after every unpractised one.
    now = timezone.now()
    for question, days in ((general[0], 1), (general[1], 30)):
        QuestionProgress.objects.create(
            user=alice,
            question=question,
            question_text=question.text,
            status="practised",
            last_practised_at=now - datetime.timedelta(days=days),
        )
    picked = services.pick_questions(user=alice, rnd=round2, count=7)
    assert picked[0] == regional
    assert picked[1:4] == general[2:5]
    assert picked[4:6] == [general[1], general[0]]
    assert picked[6] == other_region
    assert len(services.pick_questions(user=alice, rnd=round2, count=4)) == 4


@pytest.mark.django_db
def test_the_enrolments_region_wins_over_the_settings_region(alice, guide, round2):
    asia = Region.objects.get(slug="region-1")
    EnrolmentFactory(user=alice, guide=guide, region=asia)
    regional = QuestionFactory(guide=guide, round=round2, region=asia, order=99)
    assert services.pick_questions(user=alice, rnd=round2, count=1) == [regional]


@pytest.mark.django_db
def test_default_minutes_split_the_guides_interview_time_over_rounds_and_questions(guide):
    # 225 minutes over 2 rounds of 4 questions: 28 minutes a question.
    assert services.default_minutes(guide.rounds.first()) == 28
    guide.total_interview_minutes = None
    guide.save()
    assert services.default_minutes(guide.rounds.first()) == 10


@pytest.mark.django_db
def test_starting_from_the_round_page_shows_the_first_question_with_its_deadline(
    client, enrolled_alice, round2
):
    client.force_login(enrolled_alice)
    page = client.get(round2.get_absolute_url()).content.decode()
    assert start_url(round2) in page
    form = client.get(start_url(round2)).content.decode()
    assert 'name="minutes"' in form and 'value="28"' in form
    before = timezone.now()
    response = client.post(start_url(round2), {"questions": 3, "minutes": 5})
    mock = Mock.objects.get()
    assert response.url == mock.get_absolute_url()
    assert mock.answers.count() == 3 and mock.minutes_per_question == 5
    page = client.get(mock.get_absolute_url()).content.decode()
    first = mock.answers.get(position=1)
    assert first.question_text in page
    assert "question 1 of 3" in page
    assert "Time is up at" in page
    # The start POST started the first clock, and only the first.
    assert MockAnswer.objects.get(pk=first.pk).shown_at >= before
    assert not mock.answers.filter(position__gt=1, shown_at__isnull=False).exists()


def timing(mock) -> list[tuple]:
    return list(
        MockAnswer.objects.filter(mock=mock)
        .order_by("position")
        .values_list("shown_at", "answered_at", "seconds_taken", "timed_out")
    )


@pytest.mark.django_db
def test_opening_a_mock_page_leaves_its_timing_untouched(client, enrolled_alice, round2):
    """A GET has no side effects: a prefetch, a reload or a peek from another device moves no
    clock, whether the question's clock is running or never started."""
    mock = services.mock_start(user=enrolled_alice, rnd=round2, questions=3, minutes=5)
    # A mock begun before starts were POSTs: question 1 answered, question 2 never started.
    first = mock.answers.get(position=1)
    services.answer_save(user=enrolled_alice, answer=first, notes="Done")
    MockAnswer.objects.filter(mock=mock, position=2).update(shown_at=None)
    before = timing(mock)
    client.force_login(enrolled_alice)

    page = client.get(mock.get_absolute_url()).content.decode()
    client.get(mock.get_absolute_url())
    client.get(reverse("api:mock-detail", args=[mock.pk]))

    assert timing(mock) == before
    assert Mock.objects.values_list("status", "finished_at").get() == ("in_progress", None)
    second = mock.answers.get(position=2)
    assert "Start question 2" in page
    assert second.question_text not in page  # no reading time before the clock runs

    # The button starts the clock (a POST), then the page shows the question with its deadline.
    response = client.post(
        reverse("mocks:start_question", args=[mock.pk]), {"answer": second.pk}, follow=True
    )
    second.refresh_from_db()
    assert second.shown_at is not None
    assert second.question_text in response.content.decode()
    assert "Time is up at" in response.content.decode()
    started = timing(mock)
    client.get(mock.get_absolute_url())
    assert timing(mock) == started


@pytest.mark.django_db
def test_starting_a_question_twice_keeps_the_first_start(client, enrolled_alice, round2):
    mock = services.mock_start(user=enrolled_alice, rnd=round2, questions=2, minutes=5)
    answer = mock.answers.get(position=1)
    t0 = timezone.now() - datetime.timedelta(minutes=3)
    MockAnswer.objects.filter(pk=answer.pk).update(shown_at=t0)
    services.answer_start(user=enrolled_alice, answer=MockAnswer.objects.get(pk=answer.pk))
    client.force_login(enrolled_alice)
    client.post(reverse("mocks:start_question", args=[mock.pk]), {"answer": answer.pk})
    # A stale tab's start for another question starts nothing.
    other = mock.answers.get(position=2)
    client.post(reverse("mocks:start_question", args=[mock.pk]), {"answer": other.pk})
    assert MockAnswer.objects.get(pk=answer.pk).shown_at == t0
    assert MockAnswer.objects.get(pk=other.pk).shown_at is None


@pytest.mark.django_db
def test_saving_an_answer_starts_the_next_questions_clock(client, enrolled_alice, round2):
    """One click per question: the POST that saves an answer starts the next clock."""
    mock = services.mock_start(user=enrolled_alice, rnd=round2, questions=2, minutes=5)
    first, second = mock.answers.order_by("position")
    assert second.shown_at is None
    client.force_login(enrolled_alice)
    before = timezone.now()
    response = client.post(
        reverse("mocks:answer", args=[mock.pk]),
        {"answer": first.pk, "notes": "Done"},
        follow=True,
    )
    second.refresh_from_db()
    assert second.shown_at >= before
    assert second.question_text in response.content.decode()
    assert "Time is up at" in response.content.decode()


@pytest.mark.django_db
def test_time_taken_is_measured_on_the_server_and_a_late_answer_is_kept_in_full(
    client, enrolled_alice, round2
):
    mock = services.mock_start(user=enrolled_alice, rnd=round2, questions=2, minutes=2)
    client.force_login(enrolled_alice)
    client.get(mock.get_absolute_url())
    first = mock.answers.get(position=1)
    # The candidate walked away: the clock ran out seven minutes ago.
    MockAnswer.objects.filter(pk=first.pk).update(
        shown_at=timezone.now() - datetime.timedelta(minutes=9)
    )
    page = client.get(mock.get_absolute_url()).content.decode()
    assert "Time is up: save your notes" in page
    response = client.post(
        reverse("mocks:answer", args=[mock.pk]),
        {"answer": first.pk, "notes": "Everything I wrote", "seconds_taken": 1},
        follow=True,
    )
    first.refresh_from_db()
    assert first.notes == "Everything I wrote"
    assert first.timed_out
    # The browser's claim of one second is ignored.
    assert 9 * 60 <= first.seconds_taken < 9 * 60 + 30
    assert "nothing was lost" in response.content.decode()
    # On to question 2.
    assert mock.answers.get(position=2).question_text in response.content.decode()


@pytest.mark.django_db
def test_an_answer_in_time_is_not_timed_out(enrolled_alice, round2):
    now = timezone.now()
    mock = services.mock_start(user=enrolled_alice, rnd=round2, questions=1, minutes=5, now=now)
    answer = mock.answers.get()
    saved = services.answer_save(
        user=enrolled_alice,
        answer=answer,
        notes="Quick",
        now=now + datetime.timedelta(seconds=130),
    )
    assert saved.seconds_taken == 130 and not saved.timed_out


@pytest.mark.django_db
def test_a_second_post_for_an_answered_question_changes_nothing(client, enrolled_alice, round2):
    mock = services.mock_start(user=enrolled_alice, rnd=round2, questions=2, minutes=5)
    first = mock.answers.get(position=1)
    client.force_login(enrolled_alice)
    url = reverse("mocks:answer", args=[mock.pk])
    client.post(url, {"answer": first.pk, "notes": "First"})
    client.post(url, {"answer": first.pk, "notes": "Overwritten?"})
    assert MockAnswer.objects.get(pk=first.pk).notes == "First"
    assert MockAnswer.objects.get(position=2).answered_at is None


def answer_all(user, mock):
    for answer in mock.answers.all():
        services.answer_save(user=user, answer=answer, notes=f"Notes {answer.position}")


@pytest.mark.django_db
def test_grading_uses_the_rounds_own_criteria(client, enrolled_alice, round2):
    round2.evaluation_criteria = "Clarity of thought\nDepth of ownership"
    round2.save()
    mock = services.mock_start(user=enrolled_alice, rnd=round2, questions=2, minutes=5)
    answer_all(enrolled_alice, mock)
    client.force_login(enrolled_alice)
    page = client.get(mock.get_absolute_url()).content.decode()
    assert "Clarity of thought" in page and "Depth of ownership" in page
    first, second = mock.answers.all()
    response = client.post(
        reverse("mocks:grade", args=[mock.pk]),
        {
            "score_0": 3,
            "reason_0": "Structured",
            "score_1": 2,
            "reason_1": "Vague on metrics",
            f"outcome_{first.pk}": "nailed",
            f"outcome_{second.pk}": "missed",
        },
    )
    assert response.url == reverse("mocks:history", args=[round2.guide.slug, round2.slug])
    page = client.get(response.url).content.decode()
    # When it comes back, not "went to your review queue" (which read as due now).
    assert "Mock graded. 1 question went to spaced review: the first comes back tomorrow." in page
    mock.refresh_from_db()
    assert mock.status == MockStatus.FINISHED
    assert str(mock.score) == "2.50"
    assert list(MockGrade.objects.values_list("criterion", "score", "reason")) == [
        ("Clarity of thought", 3, "Structured"),
        ("Depth of ownership", 2, "Vague on metrics"),
    ]


@pytest.mark.django_db
def test_grading_falls_back_to_the_guides_overall_criteria(enrolled_alice, guide, round2):
    assert round2.criteria_items() == []
    assert services.criteria_for(round2) == [guide.criteria.get().title]


@pytest.mark.django_db
def test_shaky_and_missed_questions_go_to_review_as_hard_and_again(enrolled_alice, round2):
    mock = services.mock_start(user=enrolled_alice, rnd=round2, questions=3, minutes=5)
    answer_all(enrolled_alice, mock)
    nailed, shaky, missed = mock.answers.all()
    services.mock_grade(
        user=enrolled_alice,
        mock=mock,
        grades=[(2, "So-so")],
        outcomes={nailed.pk: "nailed", shaky.pk: "shaky", missed.pk: "missed"},
    )
    ratings = dict(Review.objects.values_list("card__question_id", "rating"))
    assert ratings == {shaky.question_id: Rating.HARD, missed.question_id: Rating.AGAIN}
    assert not ReviewCard.objects.filter(question=nailed.question).exists()


@pytest.mark.django_db
def test_grading_needs_every_criterion_and_question(client, enrolled_alice, round2):
    mock = services.mock_start(user=enrolled_alice, rnd=round2, questions=1, minutes=5)
    answer_all(enrolled_alice, mock)
    client.force_login(enrolled_alice)
    response = client.post(reverse("mocks:grade", args=[mock.pk]), {"score_0": 9})
    assert response.status_code == 400
    assert "Some answers are missing" in response.content.decode()
    assert Mock.objects.get().status == MockStatus.IN_PROGRESS
    with pytest.raises(ValidationError):
        services.mock_grade(user=enrolled_alice, mock=mock, grades=[(5, "x")], outcomes={})


@pytest.mark.django_db
def test_one_mock_in_progress_per_round_resumed_from_another_device(client, enrolled_alice, round2):
    mock = services.mock_start(user=enrolled_alice, rnd=round2, questions=2, minutes=5)
    services.answer_save(user=enrolled_alice, answer=mock.answers.first(), notes="On my phone")
    with pytest.raises(ValidationError):
        services.mock_start(user=enrolled_alice, rnd=round2)
    # Another device: a fresh session sees the same mock, at question 2.
    client.force_login(enrolled_alice)
    page = client.get(start_url(round2)).content.decode()
    assert "in progress" in page and mock.get_absolute_url() in page
    assert client.post(start_url(round2), {"questions": 2, "minutes": 5}).url == (
        mock.get_absolute_url()
    )
    assert Mock.objects.count() == 1
    assert "question 2 of 2" in client.get(mock.get_absolute_url()).content.decode()
    index = client.get(reverse("mocks:index")).content.decode()
    assert "Resume the mock" in index


@pytest.mark.django_db
def test_abandoning_keeps_the_answers_and_frees_the_round(client, enrolled_alice, round2):
    mock = services.mock_start(user=enrolled_alice, rnd=round2, questions=2, minutes=5)
    services.answer_save(user=enrolled_alice, answer=mock.answers.first(), notes="Kept")
    client.force_login(enrolled_alice)
    client.post(reverse("mocks:abandon", args=[mock.pk]))
    mock.refresh_from_db()
    assert mock.status == MockStatus.ABANDONED
    assert mock.answers.first().notes == "Kept"
    client.post(start_url(round2), {"questions": 2, "minutes": 5})
    assert Mock.objects.filter(status=MockStatus.IN_PROGRESS).count() == 1
    history = client.get(reverse("mocks:history", args=[round2.guide.slug, round2.slug]))
    assert "Abandoned" in history.content.decode()


@pytest.mark.django_db
def test_picking_a_story_in_a_mock_links_it_to_the_question(client, enrolled_alice, round2):
    story = Story.objects.create(user=enrolled_alice, title="The migration")
    mock = services.mock_start(user=enrolled_alice, rnd=round2, questions=1, minutes=5)
    answer = mock.answers.get()
    client.force_login(enrolled_alice)
    assert "The migration" in client.get(mock.get_absolute_url()).content.decode()
    client.post(
        reverse("mocks:answer", args=[mock.pk]),
        {"answer": answer.pk, "notes": "", "story": story.pk},
    )
    assert MockAnswer.objects.get().story == story
    assert list(story.questions.all()) == [answer.question]


@pytest.mark.django_db
def test_history_shows_scores_over_time_as_chart_and_table(client, enrolled_alice, round2):
    for score in (1, 3):
        mock = services.mock_start(user=enrolled_alice, rnd=round2, questions=1, minutes=5)
        answer_all(enrolled_alice, mock)
        services.mock_grade(
            user=enrolled_alice,
            mock=mock,
            grades=[(score, "Because")],
            outcomes={mock.answers.get().pk: "nailed"},
        )
    client.force_login(enrolled_alice)
    page = client.get(reverse("mocks:history", args=[round2.guide.slug, round2.slug]))
    body = page.content.decode()
    assert "<svg" in body and "<polyline" in body
    assert body.count('class="score-chart__point"') == 2
    assert "1.00" in body and "3.00" in body


@pytest.mark.django_db
def test_bad_start_input_gets_a_400(client, enrolled_alice, round2):
    client.force_login(enrolled_alice)
    response = client.post(start_url(round2), {"questions": 0, "minutes": 500})
    assert response.status_code == 400
    assert not Mock.objects.exists()
    empty = RoundFactory(guide=round2.guide, order=3, slug="empty")
    response = client.post(start_url(empty), {"questions": 2, "minutes": 5})
    assert response.status_code == 400
    assert "no questions" in response.content.decode()


@pytest.mark.django_db
def test_a_draft_guides_round_has_no_mock(client, enrolled_alice):
    draft = GuideFactory(status="draft")
    rnd = RoundFactory(guide=draft)
    client.force_login(enrolled_alice)
    assert client.get(start_url(rnd)).status_code == 404


@pytest.mark.django_db
def test_the_grading_page_offers_to_grade_later_or_abandon(client, enrolled_alice, round2):
    # Once the last answer was saved, the grading page had no way out but grading.
    mock = services.mock_start(user=enrolled_alice, rnd=round2, questions=2, minutes=5)
    for answer in mock.answers.all():
        services.answer_save(user=enrolled_alice, answer=answer, notes="n")
    client.force_login(enrolled_alice)
    page = client.get(mock.get_absolute_url()).content.decode()
    assert "Save grades" in page
    assert f'action="{reverse("mocks:abandon", args=[mock.pk])}"' in page
    assert f'from <a href="{reverse("mocks:index")}">Mocks</a>' in page
    client.post(reverse("mocks:abandon", args=[mock.pk]))
    mock.refresh_from_db()
    assert mock.status == MockStatus.ABANDONED


@pytest.mark.django_db
def test_an_answer_saved_by_the_clock_leaves_the_next_question_waiting(
    client, enrolled_alice, round2
):
    """Saved by the countdown at zero, the next question's clock started at once: a candidate
    who had stepped away came back to a clock already running."""
    mock = services.mock_start(user=enrolled_alice, rnd=round2, questions=2, minutes=1)
    first, second = mock.answers.order_by("position")
    client.force_login(enrolled_alice)

    response = client.post(
        reverse("mocks:answer", args=[mock.pk]),
        {"answer": first.pk, "notes": "Half a thought", "time_up": "1"},
        follow=True,
    )

    second.refresh_from_db()
    assert second.shown_at is None
    page = response.content.decode()
    assert "Start question 2" in page
    assert second.question_text not in page
    first.refresh_from_db()
    assert first.notes == "Half a thought"


@pytest.mark.django_db
def test_asking_for_more_questions_than_the_round_has_says_so(client, enrolled_alice, round2):
    client.force_login(enrolled_alice)

    response = client.post(start_url(round2), {"questions": 10, "minutes": 3}, follow=True)

    assert "This round has 5 questions: your mock asks all 5, not 10." in response.content.decode()
    assert Mock.objects.get().answers.count() == 5
