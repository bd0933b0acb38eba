import datetime
import zoneinfo

import pytest
from django.urls import reverse

from practice import review
from practice.models import NOTE_MAX_LENGTH, PracticeStatus, QuestionProgress, Review, ReviewCard
from practice.review_models import CardState, Rating
from tests.factories import EnrolmentFactory

LONDON = zoneinfo.ZoneInfo("Europe/London")
UTC = datetime.UTC


def at(y, m, d, hh=0, mm=0, tz=LONDON) -> datetime.datetime:
    return datetime.datetime(y, m, d, hh, mm, tzinfo=tz)


@pytest.fixture
def question(guide):
    return guide.questions.filter(round__isnull=False).order_by("pk").first()


@pytest.fixture
def questions(guide):
    return list(guide.questions.filter(round__isnull=False).order_by("pk")[:3])


def rate_url(question) -> str:
    return reverse(
        "practice:rate", kwargs={"guide_slug": question.guide.slug, "question_slug": question.slug}
    )


@pytest.mark.django_db
def test_first_good_rating_creates_card_and_review_and_marks_practised(alice, question):
    now = at(2026, 5, 4, 9)
    saved = review.review_submit(user=alice, question=question, rating=Rating.GOOD, now=now)
    card = ReviewCard.objects.get(user=alice, question=question)
    assert card.state == CardState.REVIEW
    assert saved.state_before is None and saved.state_after == CardState.REVIEW
    assert saved.interval_days >= 1
    assert review.local_date(alice, card.due) == now.date() + datetime.timedelta(
        days=saved.interval_days
    )
    progress = QuestionProgress.objects.get(user=alice, question=question)
    assert progress.status == PracticeStatus.PRACTISED
    assert progress.last_practised_at == now


@pytest.mark.django_db
def test_again_brings_the_question_back_sooner_than_easy(alice, bob, question):
    now = at(2026, 5, 4, 9)
    again = review.review_submit(user=alice, question=question, rating=Rating.AGAIN, now=now)
    easy = review.review_submit(user=bob, question=question, rating=Rating.EASY, now=now)
    assert again.interval_days < easy.interval_days


@pytest.mark.django_db
def test_rating_keeps_confident_status(alice, question):
    from practice.services import question_practice

    question_practice(user=alice, question=question, status=PracticeStatus.CONFIDENT)
    review.review_submit(user=alice, question=question, rating=Rating.HARD)
    assert QuestionProgress.objects.get(user=alice).status == PracticeStatus.CONFIDENT


@pytest.mark.django_db
def test_every_review_is_kept_and_the_scheduler_can_be_rerun(alice, question):
    review.review_submit(user=alice, question=question, rating=Rating.GOOD, now=at(2026, 5, 4, 9))
    second = review.review_submit(
        user=alice, question=question, rating=Rating.HARD, now=at(2026, 5, 7, 20)
    )
    card = ReviewCard.objects.get(user=alice)
    assert list(card.reviews.values_list("rating", flat=True)) == [Rating.HARD, Rating.GOOD]
    assert second.state_before == CardState.REVIEW
    assert second.due_before is not None
    replayed = review.card_replay(card=card)
    assert replayed.to_dict()["stability"] == card.fsrs_card["stability"]
    assert replayed.to_dict()["difficulty"] == card.fsrs_card["difficulty"]


@pytest.mark.django_db
def test_card_due_in_the_evening_is_due_all_that_local_day(alice, question):
    review.review_submit(user=alice, question=question, rating=Rating.GOOD, now=at(2026, 5, 4, 9))
    card = ReviewCard.objects.get(user=alice)
    card.due = at(2026, 5, 9, 21)
    card.save()
    assert review.due_count(alice, datetime.date(2026, 5, 8)) == 0
    # The morning of the due day, hours before the due time, it is in the queue.
    assert review.due_count(alice, datetime.date(2026, 5, 9)) == 1
    assert review.next_due_card(alice, datetime.date(2026, 5, 9)) == card


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("review_day", "due_day"),
    [
        # Clocks go forward on 29 March: two UTC days from 23:30 GMT is 00:30 BST on 31 March.
        ((2026, 3, 28), datetime.date(2026, 3, 30)),
        # Clocks go back on 25 October.
        ((2026, 10, 24), datetime.date(2026, 10, 26)),
    ],
)
def test_due_day_is_counted_in_local_days_across_a_dst_change(alice, question, review_day, due_day):
    now = at(*review_day, 23, 30)
    saved = review.review_submit(user=alice, question=question, rating=Rating.GOOD, now=now)
    card = ReviewCard.objects.get(user=alice)
    assert saved.interval_days == 2
    assert card.due.astimezone(LONDON) == datetime.datetime.combine(
        due_day, datetime.time.min, tzinfo=LONDON
    )
    assert review.due_count(alice, due_day - datetime.timedelta(days=1)) == 0
    assert review.due_count(alice, due_day) == 1


@pytest.mark.django_db
def test_due_on_counts_local_midnight_in_the_candidates_zone(bob, question):
    # Bob is in Singapore (UTC+8): a card due at 17:00 UTC on 9 May is due on his 10 May.
    review.review_submit(user=bob, question=question, rating=Rating.GOOD, now=at(2026, 5, 4, 9))
    card = ReviewCard.objects.get(user=bob)
    card.due = datetime.datetime(2026, 5, 9, 17, tzinfo=UTC)
    card.save()
    assert review.due_count(bob, datetime.date(2026, 5, 9)) == 0
    assert review.due_count(bob, datetime.date(2026, 5, 10)) == 1


@pytest.mark.django_db
def test_review_never_falls_due_after_the_interview(alice, question):
    EnrolmentFactory(
        user=alice, guide=question.guide, target_interview_date=datetime.date(2026, 5, 8)
    )
    saved = review.review_submit(
        user=alice, question=question, rating=Rating.EASY, now=at(2026, 5, 4, 9)
    )
    card = ReviewCard.objects.get(user=alice)
    assert saved.capped_by_interview
    assert card.due.astimezone(LONDON) == at(2026, 5, 7)
    assert saved.interval_days == 3
    assert card.fsrs_card["due"].startswith("2026-05-06T23:00")


@pytest.mark.django_db
def test_no_cap_when_the_due_day_is_before_the_interview_or_it_is_tomorrow(alice, bob, question):
    EnrolmentFactory(
        user=alice, guide=question.guide, target_interview_date=datetime.date(2026, 9, 1)
    )
    EnrolmentFactory(
        user=bob, guide=question.guide, target_interview_date=datetime.date(2026, 5, 5)
    )
    assert not review.review_submit(
        user=alice, question=question, rating=Rating.GOOD, now=at(2026, 5, 4, 9)
    ).capped_by_interview
    # Bob's interview is tomorrow: there is no day before it left to move the review to.
    assert not review.review_submit(
        user=bob, question=question, rating=Rating.EASY, now=at(2026, 5, 4, 9)
    ).capped_by_interview


@pytest.mark.django_db
def test_desired_retention_changes_the_interval(alice, bob, question):
    review.practice_settings_update(user=alice, desired_retention=0.97)
    review.practice_settings_update(user=bob, desired_retention=0.70)
    now = at(2026, 5, 4, 9)
    strict = review.review_submit(user=alice, question=question, rating=Rating.GOOD, now=now)
    relaxed = review.review_submit(user=bob, question=question, rating=Rating.GOOD, now=now)
    assert strict.interval_days < relaxed.interval_days


@pytest.mark.django_db
def test_settings_page_saves_retention_and_rejects_out_of_range(client, alice):
    client.force_login(alice)
    page = client.get(reverse("accounts:settings")).content.decode()
    assert "Desired retention" in page and 'value="0.90"' in page
    response = client.post(reverse("practice:retention"), {"desired_retention": "0.99"})
    # Beside its field, as typed: it was a banner at the top of the page naming no setting,
    # with the field reset to 0.90.
    assert response.status_code == 400
    section = response.content.decode()
    section = section[section.index('id="review-settings-heading"') :]
    assert "Ensure this value is less than or equal to 0.97" in section
    assert 'value="0.99"' in section
    assert 'aria-invalid="true"' in section
    assert review.desired_retention(alice) == 0.9
    client.post(reverse("practice:retention"), {"desired_retention": "0.85"})
    assert review.desired_retention(alice) == 0.85


@pytest.mark.django_db
def test_rating_from_the_question_page_without_javascript(client, alice, question):
    client.force_login(alice)
    page = client.get(question.get_absolute_url()).content.decode()
    assert "How did it go?" in page
    for label in ("Again", "Hard", "Good", "Easy"):
        assert f">{label}</button>" in page
    response = client.post(rate_url(question), {"rating": "3"}, follow=True)
    assert "Rated Good: this question comes back for review" in response.content.decode()
    assert Review.objects.filter(user=alice, rating=3).count() == 1
    assert "Next review:" in client.get(question.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_bad_rating_is_refused_and_saves_nothing(client, alice, question):
    client.force_login(alice)
    response = client.post(rate_url(question), {"rating": "7"}, follow=True)
    assert "Choose Again, Hard, Good or Easy." in response.content.decode()
    assert not ReviewCard.objects.exists() and not Review.objects.exists()
    with pytest.raises(Exception, match="Choose Again"):
        review.review_submit(user=alice, question=question, rating=0)


@pytest.mark.django_db
def test_unpublished_question_cannot_be_rated(client, alice, question):
    question.is_published = False
    question.save()
    client.force_login(alice)
    assert client.post(rate_url(question), {"rating": "3"}).status_code == 404
    assert not Review.objects.exists()


@pytest.mark.django_db
def test_dashboard_shows_due_count_and_queue_works_through_oldest_first(client, alice, questions):
    first, second, third = questions
    for q, day in ((second, 2), (first, 1), (third, 3)):
        review.review_submit(user=alice, question=q, rating=Rating.GOOD, now=at(2026, 5, day, 9))
    # Due days in the past: all three are due whatever day the test runs.
    ReviewCard.objects.filter(question=third).update(due=at(2026, 5, 20, 9))
    ReviewCard.objects.filter(question=first).update(due=at(2026, 5, 10, 9))
    ReviewCard.objects.filter(question=second).update(due=at(2026, 5, 11, 9))
    client.force_login(alice)
    dashboard = client.get(reverse("studyplan:dashboard")).content.decode()
    assert "Due for review today: 3" in dashboard
    assert reverse("practice:review_queue") in dashboard
    queue = client.get(reverse("practice:review_queue")).content.decode()
    assert "3 questions due for review today." in queue
    assert first.text in queue and second.text not in queue
    response = client.post(rate_url(first), {"rating": "3", "from": "queue"})
    assert response.url == reverse("practice:review_queue")
    queue = client.get(reverse("practice:review_queue")).content.decode()
    assert "2 questions due for review today." in queue and second.text in queue
    client.post(rate_url(second), {"rating": "4", "from": "queue"})
    client.post(rate_url(third), {"rating": "4", "from": "queue"})
    assert (
        "Nothing to review today" in client.get(reverse("practice:review_queue")).content.decode()
    )
    assert "Due for review today: 0" in client.get(reverse("studyplan:dashboard")).content.decode()


@pytest.mark.django_db
def test_an_empty_queue_says_when_the_next_reviews_fall_due(client, alice, questions):
    from django.utils import timezone

    today = review.local_today(alice)
    zone = zoneinfo.ZoneInfo(alice.time_zone)
    tomorrow_evening = datetime.datetime.combine(
        today + datetime.timedelta(days=1), datetime.time(23, 30), zone
    )
    for q in questions[:2]:
        review.review_submit(user=alice, question=q, rating=Rating.GOOD, now=timezone.now())
        ReviewCard.objects.filter(question=q).update(due=tomorrow_evening)
    review.review_submit(user=alice, question=questions[2], rating=Rating.GOOD)
    ReviewCard.objects.filter(question=questions[2]).update(
        due=tomorrow_evening + datetime.timedelta(days=3)
    )
    client.force_login(alice)
    queue = client.get(reverse("practice:review_queue")).content.decode()
    assert "Nothing to review today" in queue
    day = today + datetime.timedelta(days=1)
    assert f'Next: 2 questions on <time datetime="{day:%Y-%m-%d}">' in queue
    assert "(tomorrow)." in queue


@pytest.mark.django_db
def test_an_empty_queue_with_nothing_scheduled_explains_how_reviews_come(client, alice):
    client.force_login(alice)
    queue = client.get(reverse("practice:review_queue")).content.decode()
    assert "Rate a question after you practise it" in queue
    assert "Next:" not in queue


@pytest.mark.django_db
def test_reviews_due_between_lists_that_weeks_reviews_oldest_first(alice, questions, guide):
    for i, q in enumerate(questions):
        review.review_submit(user=alice, question=q, rating=Rating.GOOD, now=at(2026, 5, 4, 9))
        ReviewCard.objects.filter(question=q).update(due=at(2026, 5, 12 - i, 23, 30))
    week = review.reviews_due_between(
        user=alice, start=datetime.date(2026, 5, 11), end=datetime.date(2026, 5, 17)
    )
    assert [c.question for c in week] == [questions[1], questions[0]]
    assert (
        len(
            review.reviews_due_between(
                user=alice, start=datetime.date(2026, 5, 1), end=datetime.date(2026, 5, 17), limit=2
            )
        )
        == 2
    )


@pytest.mark.django_db
def test_charlie_never_sees_alices_reviews(client, alice, charlie, question):
    review.review_submit(user=alice, question=question, rating=Rating.AGAIN)
    ReviewCard.objects.update(due=at(2026, 1, 1))
    client.force_login(charlie)
    assert "Due for review today: 0" in client.get(reverse("studyplan:dashboard")).content.decode()
    queue = client.get(reverse("practice:review_queue")).content.decode()
    assert "Nothing to review today" in queue and question.text not in queue
    assert "Next review:" not in client.get(question.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_due_for_review_annotation_marks_only_the_candidates_due_questions(
    alice, charlie, questions
):
    from practice.review_models import due_for_review
    from questions.models import Question

    review.review_submit(
        user=alice, question=questions[0], rating=Rating.GOOD, now=at(2026, 5, 4, 9)
    )
    review.review_submit(
        user=alice, question=questions[1], rating=Rating.GOOD, now=at(2026, 5, 4, 9)
    )
    ReviewCard.objects.filter(question=questions[0]).update(due=at(2026, 5, 6, 20))
    ReviewCard.objects.filter(question=questions[1]).update(due=at(2026, 5, 7, 0))

    def due(user, day):
        rows = Question.objects.filter(pk__in=[q.pk for q in questions]).annotate(
            due=due_for_review(user, day)
        )
        return {q.pk for q in rows if q.due}

    assert due(alice, datetime.date(2026, 5, 5)) == set()
    assert due(alice, datetime.date(2026, 5, 6)) == {questions[0].pk}
    assert due(alice, datetime.date(2026, 5, 7)) == {questions[0].pk, questions[1].pk}
    assert due(charlie, datetime.date(2026, 5, 7)) == set()


@pytest.mark.django_db
def test_rating_on_the_question_page_saves_the_notes_typed_above_it(client, alice, question):
    """The ratings were a form of their own: 'Good' after typing a draft threw the draft away."""
    client.force_login(alice)
    page = client.get(question.get_absolute_url()).content.decode()
    form = page[page.index('class="practice__form"') :]
    assert (
        'name="rating" value="3" formaction="' + rate_url(question) in form[: form.index("</form>")]
    )

    response = client.post(
        rate_url(question),
        {"status": "new", "answer_draft": "Start with the ledger.", "rating": "3"},
    )

    assert response.status_code == 302
    row = QuestionProgress.objects.get(user=alice, question=question)
    assert row.answer_draft == "Start with the ledger."
    assert Review.objects.filter(user=alice, rating=3).count() == 1


@pytest.mark.django_db
def test_notes_too_long_to_save_come_back_with_the_rating_not_taken(client, alice, question):
    client.force_login(alice)
    typed = "x" * (NOTE_MAX_LENGTH + 1)

    response = client.post(
        rate_url(question), {"status": "new", "answer_draft": typed, "rating": "3"}
    )

    assert response.status_code == 400
    assert typed in response.content.decode()
    assert not Review.objects.exists()
    assert not QuestionProgress.objects.filter(user=alice).exists()


@pytest.mark.django_db
def test_rating_with_javascript_brings_the_practice_section_back_in_place(client, alice, question):
    client.force_login(alice)

    response = client.post(
        rate_url(question),
        {"status": "new", "answer_draft": "Draft", "rating": "4"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<section id="practice"')  # swapped in place of the section
    assert "Rated Easy: this question comes back for review in" in html
    assert "Next review:" in html
    assert Review.objects.filter(user=alice, rating=4).exists()
    # Said once, in the section: not again on the next page.
    assert "Rated Easy" not in client.get(question.get_absolute_url()).content.decode()
