"""What the weekly e-mail tells a candidate: real task states, left-overs, pace, the week's
questions and reviews, and the plan's own dates. Every check reads both parts, as a candidate
with either kind of mail client would."""

import datetime
import re

import pytest
from django.core import mail

from practice.models import PracticeStatus, QuestionProgress
from practice.review_models import CardState, ReviewCard
from reminders.delivery import delivery_send
from reminders.models import ReminderDelivery, ReminderKind
from studyplan.models import EnrolmentPeriod, StudyBlock, TaskProgress
from tests.factories import EnrolmentFactory, QuestionFactory

from .conftest import SPRING_MONDAY, utc

SITE = "https://prep.example.com"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def send(enrolment, week, due_at=None):
    delivery = ReminderDelivery.objects.create(
        enrolment=enrolment,
        kind=ReminderKind.WEEK,
        week=week,
        due_at=due_at or utc(2026, 3, 23, 8) + datetime.timedelta(weeks=week - 1),
    )
    assert delivery_send(delivery_id=delivery.pk) == "sent"
    message = mail.outbox[-1]
    [(html, _)] = message.alternatives
    return message, message.body, html


def plain(html: str) -> str:
    """The HTML part as a reader sees it: tags gone, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def block(guide, start_week) -> StudyBlock:
    return StudyBlock.objects.get(guide=guide, start_week=start_week)


def tick(enrolment, *tasks):
    for task in tasks:
        TaskProgress.objects.create(enrolment=enrolment, task=task)


@pytest.mark.django_db
def test_ticked_tasks_show_as_done_and_the_rest_as_to_do_in_both_parts(alice_enrolment, guide):
    first, second, third = block(guide, 1).tasks.all()
    tick(alice_enrolment, first, second)

    message, text, html = send(alice_enrolment, week=2)

    assert f"  [x] {first.text}\n" in text
    assert f"  [x] {second.text}\n" in text
    assert f"  [ ] {third.text}\n" in text
    seen = plain(html)
    assert f"Done: {first.text}" in seen
    assert f"Done: {second.text}" in seen
    assert f"To do: {third.text}" in seen
    assert f"To do: {first.text}" not in seen
    for part in (text, seen):
        assert "2 of 12 tasks done (17%)" in part
        assert "You are on track: nothing is left over from earlier weeks." in part


@pytest.mark.django_db
def test_tasks_left_over_from_earlier_weeks_are_listed_with_how_far_behind(alice_enrolment, guide):
    done, forgotten_a, forgotten_b = block(guide, 1).tasks.all()
    tick(alice_enrolment, done)

    message, text, html = send(alice_enrolment, week=3)

    assert message.subject == f"Week 3 of 8: {block(guide, 3).title}"
    seen = plain(html)
    for part in (text, seen):
        assert "Week 3 of 8" in part
        assert "You are 2 tasks behind: they are from earlier weeks, listed below." in part
        assert "Left over from earlier weeks" in part
        assert f"Weeks 1-2: {block(guide, 1).title}" in part
    assert f"    [ ] {forgotten_a.text}\n" in text
    assert f"    [ ] {forgotten_b.text}\n" in text
    assert done.text not in text
    assert f"To do: {forgotten_a.text}" in seen
    assert done.text not in seen


@pytest.mark.django_db
def test_tasks_done_ahead_of_time_say_how_far_ahead(alice_enrolment, guide):
    tick(alice_enrolment, *block(guide, 1).tasks.all(), block(guide, 5).tasks.first())

    _, text, html = send(alice_enrolment, week=2)

    for part in (text, plain(html)):
        assert "You are 1 task ahead of the plan." in part
        assert "Left over" not in part


@pytest.mark.django_db
def test_questions_are_the_weeks_block_questions_not_yet_practised_then_reviews_due(
    alice, alice_enrolment, guide
):
    round_1, round_2 = guide.rounds.order_by("order")
    block(guide, 3).rounds.add(round_2)
    theirs = list(round_2.questions.order_by("order", "id"))
    QuestionProgress.objects.create(
        user=alice,
        question=theirs[0],
        guide=guide,
        question_text=theirs[0].text,
        status=PracticeStatus.PRACTISED,
    )
    # Reviews: six due by the end of week 3 (Sun 12 April, London), one due after it.
    week_3 = datetime.date(2026, 4, 6)
    others = list(round_1.questions.order_by("order", "id"))
    due = {}
    for n, question in enumerate([*others, theirs[1], theirs[2]]):
        day = week_3 + datetime.timedelta(days=n - 1)  # one overdue since Sunday
        due[question] = day
        ReviewCard.objects.create(
            user=alice,
            question=question,
            state=CardState.REVIEW,
            due=utc(day.year, day.month, day.day, 10),
            last_review=utc(2026, 3, 30, 10),
            fsrs_card={},
        )
    later = sorted(due, key=due.get)

    _, text, html = send(alice_enrolment, week=3)

    seen = plain(html)
    for part in (text, seen):
        heading = (
            f"This week's questions, for {block(guide, 3).title}, that you have not practised yet"
        )
        assert heading in part
        questions = part.split(heading)[1].split("Due for review")[0]
        assert theirs[0].text not in questions  # practised already
        assert all(q.text in questions for q in theirs[1:4])
        assert not any(q.text in questions for q in others)  # another round's
        reviews = part.split("Due for review by Sun 12 Apr, oldest first")[1]
        listed = [q for q in later if q.text in reviews]
        assert listed == later[:5]  # five, oldest due first
        positions = [reviews.index(q.text) for q in listed]
        assert positions == sorted(positions)
        assert "(due Sun 5 Apr)" in reviews  # overdue since before the week
    assert f"{SITE}/review/" in text


@pytest.mark.django_db
def test_a_block_with_no_links_suggests_any_unpractised_question(alice_enrolment, guide):
    own = QuestionFactory(guide=guide, text="Which guide-wide question fits everyone?")
    guide.questions.filter(round__isnull=False).update(is_published=False)

    _, text, html = send(alice_enrolment, week=2)

    for part in (text, plain(html)):
        assert "Questions to practise this week" in part
        assert own.text in part


@pytest.mark.django_db
def test_a_plan_fitted_to_an_interview_uses_its_study_period_dates(alice, guide):
    # Four blocks squeezed into 12 days: 3 days each, from Mon 23 March.
    enrolment = EnrolmentFactory(
        user=alice,
        guide=guide,
        start_date=SPRING_MONDAY,
        has_periods=True,
        target_interview_date=datetime.date(2026, 4, 6),
    )
    blocks = list(StudyBlock.objects.filter(guide=guide).order_by("start_week"))
    for n, each in enumerate(blocks):
        first = SPRING_MONDAY + datetime.timedelta(days=3 * n)
        EnrolmentPeriod.objects.create(
            enrolment=enrolment,
            block=each,
            start_date=first,
            end_date=first + datetime.timedelta(days=2),
        )
    tick(enrolment, blocks[0].tasks.first())

    # Week 3 opens the second block's period (Thu 26 – Sat 28 March, shared with week 4): the
    # one e-mail of the period gives the period's dates (it gave week 3's day alone).
    message, text, html = send(enrolment, week=3, due_at=utc(2026, 3, 26, 8))

    assert message.subject == f"Study period 2 of 4, until Sat 28 Mar: {blocks[1].title}"
    for part in (text, plain(html)):
        assert "Week 3" not in part and "of 8" not in part
    assert "Study period 2 of 4 of your plan for Head of Engineering at OKX (Thu 26 Mar" in text
    assert "Study period 2 of 4, until Sat 28 Mar" in plain(html)  # the heading
    for part in (text, plain(html)):
        assert "Thu 26 Mar – Sat 28 Mar" in part
        assert "This study period's tasks" in part
        assert "You are 2 tasks behind: they are from earlier study periods" in part
        assert "Mon 23 Mar – Wed 25 Mar" in part  # the left-over period, by its dates


@pytest.mark.django_db
def test_a_fitted_plan_gets_one_email_a_study_period_and_the_dashboard_says_when(
    alice, guide, dispatch
):
    """Each squeezed block's period was cut into weeks of a few days, each with its own e-mail:
    the same tasks twice, days apart, on days the candidate had not chosen."""
    from studyplan.progress import next_reminder_at

    enrolment = EnrolmentFactory(
        user=alice,
        guide=guide,
        start_date=SPRING_MONDAY,
        has_periods=True,
        target_interview_date=datetime.date(2026, 4, 6),
    )
    enrolment.created_at = utc(2026, 3, 1)
    enrolment.save(update_fields=["created_at"])
    blocks = list(StudyBlock.objects.filter(guide=guide).order_by("start_week"))
    starts = [SPRING_MONDAY + datetime.timedelta(days=3 * n) for n in range(len(blocks))]
    for first, each in zip(starts, blocks, strict=True):
        EnrolmentPeriod.objects.create(
            enrolment=enrolment,
            block=each,
            start_date=first,
            end_date=first + datetime.timedelta(days=2),
        )
    enrolment.refresh_from_db()

    sent_on = []
    for offset in range(12):
        day = SPRING_MONDAY + datetime.timedelta(days=offset)
        before = len(mail.outbox)
        dispatch(utc(day.year, day.month, day.day, 12))
        sent_on += [day] * (len(mail.outbox) - before)

    assert sent_on == starts
    assert [m.subject.split(",")[0] for m in mail.outbox] == [
        f"Study period {n} of 4" for n in range(1, 5)
    ]
    # Mid-period, the dashboard's next reminder is the next period's first day.
    upcoming = next_reminder_at(enrolment, now=utc(2026, 3, 24, 12))
    assert upcoming.date() == starts[1]
