import datetime
import re
import zoneinfo

import pytest
from django.urls import reverse

from practice import activity, review
from practice.models import QuestionProgress, ReviewCard
from practice.review_models import Rating
from practice.services import question_practice
from studyplan.models import TaskProgress
from tests.factories import EnrolmentFactory

LONDON = zoneinfo.ZoneInfo("Europe/London")


def at(y, m, d, hh=0, mm=0, tz=LONDON) -> datetime.datetime:
    return datetime.datetime(y, m, d, hh, mm, tzinfo=tz)


@pytest.fixture
def questions(guide):
    return list(guide.questions.filter(round__isnull=False).order_by("round__order", "pk"))


def practise(user, question, when):
    return question_practice(user=user, question=question, status="practised", now=when)


def test_streak_counts_today_when_active_else_up_to_yesterday():
    d = datetime.date
    active = {d(2026, 5, 1), d(2026, 5, 2), d(2026, 5, 3)}
    assert activity.streak_from(active, d(2026, 5, 3)) == (3, True)
    # Nothing yet on the 4th: yesterday's streak still shows.
    assert activity.streak_from(active, d(2026, 5, 4)) == (3, False)
    # A whole day missed: the streak is gone.
    assert activity.streak_from(active, d(2026, 5, 5)) == (0, False)
    assert activity.streak_from(set(), d(2026, 5, 5)) == (0, False)


@pytest.mark.django_db
def test_streak_days_split_at_midnight_in_the_candidates_zone(alice, bob, questions):
    q1, q2 = questions[:2]
    # 23:50 and 00:10 London time (BST): two London days, one UTC day (22:50, 23:10 UTC).
    practise(alice, q1, at(2026, 5, 3, 23, 50))
    practise(alice, q2, at(2026, 5, 4, 0, 10))
    summary = activity.activity(user=alice, today=datetime.date(2026, 5, 4))
    assert (summary.streak, summary.active_today) == (2, True)
    # Bob (Singapore, UTC+8) does the same at the same instants: both fall on his 4 May.
    practise(bob, q1, at(2026, 5, 3, 23, 50))
    practise(bob, q2, at(2026, 5, 4, 0, 10))
    summary = activity.activity(user=bob, today=datetime.date(2026, 5, 4))
    assert (summary.streak, summary.active_today) == (1, True)
    assert [day.total for day in summary.days if day.total] == [2]


@pytest.mark.django_db
def test_reviews_and_ticked_tasks_count_and_a_rating_is_counted_once(alice, guide, questions):
    enrolment = EnrolmentFactory(user=alice, guide=guide)
    review.review_submit(
        user=alice, question=questions[0], rating=Rating.GOOD, now=at(2026, 5, 2, 9)
    )
    task = guide.study_blocks.first().tasks.first()
    tick = TaskProgress.objects.create(enrolment=enrolment, task=task)
    TaskProgress.objects.filter(pk=tick.pk).update(done_at=at(2026, 5, 3, 9))
    summary = activity.activity(user=alice, today=datetime.date(2026, 5, 4))
    by_day = {day.day: day for day in summary.days}
    assert (
        by_day[datetime.date(2026, 5, 2)].reviewed,
        by_day[datetime.date(2026, 5, 2)].practised,
    ) == (1, 0)
    assert by_day[datetime.date(2026, 5, 3)].tasks == 1
    assert (summary.streak, summary.active_today) == (2, False)


@pytest.mark.django_db
def test_heatmap_has_twelve_weeks_and_an_accessible_table(client, alice, questions):
    today = review.local_today(alice)
    yesterday = datetime.datetime.combine(
        today - datetime.timedelta(days=1), datetime.time(12), tzinfo=LONDON
    )
    practise(alice, questions[0], yesterday)
    practise(alice, questions[1], yesterday)
    client.force_login(alice)
    page = client.get(reverse("studyplan:dashboard")).content.decode()
    assert "2-day streak" not in page and "1-day streak" in page
    assert "keep it going" in page
    svg = page[page.index("<svg") : page.index("</svg>")]
    cells = re.findall(r'<rect class="heatmap__day heatmap__day--(\d)"', svg)
    assert 78 <= len(cells) <= 84
    assert cells.count("2") == 1 and set(cells) == {"0", "2"}
    assert "style=" not in svg
    table = page[page.index("<details") : page.index("</details>")]
    assert "<table" in table and "<caption>" in table
    label = yesterday.date().strftime("%a %-d %b %Y")
    assert f">{label}</time></th><td>2</td><td>0</td><td>0</td><td>2</td>" in table


@pytest.mark.django_db
def test_readiness_counts_practised_questions_but_not_overdue_reviews(alice, guide, questions):
    EnrolmentFactory(user=alice, guide=guide)
    round1 = [q for q in questions if q.round.order == 1]
    practise(alice, round1[0], at(2026, 5, 1, 9))
    question_practice(user=alice, question=round1[1], status="confident")
    review.review_submit(user=alice, question=round1[2], rating=Rating.GOOD, now=at(2026, 5, 1, 9))
    ReviewCard.objects.filter(question=round1[2]).update(due=at(2026, 5, 3, 9))
    result = activity.readiness(user=alice, today=datetime.date(2026, 5, 4))
    [guide_readiness] = result
    first, second = guide_readiness.rounds
    assert (first.title, first.ready, first.total) == ("Round 1", 2, 3)
    assert (second.ready, second.total) == (0, 3)
    # On the day it is due the review is not overdue yet: the question counts as ready.
    first, _ = activity.readiness(user=alice, today=datetime.date(2026, 5, 3))[0].rounds
    assert first.ready == 3


@pytest.mark.django_db
def test_dashboard_shows_readiness_bars_with_text(client, alice, guide, questions):
    EnrolmentFactory(user=alice, guide=guide)
    practise(alice, questions[0], at(2026, 5, 1, 9))
    client.force_login(alice)
    page = client.get(reverse("studyplan:dashboard")).content.decode()
    assert f"Ready for {guide.title}" in page
    assert "Round 1: 1 of 3 ready (33%)" in page
    assert '<meter min="0" max="3" value="1"' in page


@pytest.mark.django_db
def test_home_page_offers_to_continue_where_the_candidate_left_off(
    client, alice, charlie, questions
):
    practise(alice, questions[0], at(2026, 5, 1, 9))
    practise(alice, questions[1], at(2026, 5, 2, 9))
    client.force_login(alice)
    page = client.get(reverse("rounds:home")).content.decode()
    assert "Continue where you left off" in page
    assert questions[1].get_absolute_url() in page and questions[0].text not in page
    client.force_login(charlie)
    page = client.get(reverse("rounds:home")).content.decode()
    assert "Continue where you left off" in page and questions[1].text not in page
    client.logout()
    assert "Continue where you left off" not in client.get(reverse("rounds:home")).content.decode()


@pytest.mark.django_db
def test_charlie_sees_none_of_alices_activity(client, alice, charlie, guide, questions):
    EnrolmentFactory(user=charlie, guide=guide)
    today = review.local_today(alice)
    noon = datetime.datetime.combine(today, datetime.time(12), tzinfo=LONDON)
    practise(alice, questions[0], noon)
    review.review_submit(user=alice, question=questions[1], rating=Rating.GOOD)
    client.force_login(charlie)
    page = client.get(reverse("studyplan:dashboard")).content.decode()
    assert "No streak yet" in page and "Nothing yet in these 12 weeks." in page
    assert "Round 1: 0 of 3 ready" in page
    assert QuestionProgress.objects.filter(user=charlie).count() == 0
