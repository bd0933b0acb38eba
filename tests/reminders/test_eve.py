"""The eve-of-round e-mail: the evening before a booked round, once, with what to look over.

Through the dispatcher and the send task (run eagerly here; test_worker.py runs the same path
through a real worker and SMTP server).
"""

import datetime
import re

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from practice.models import PracticeStatus, QuestionProgress
from practice.review_models import CardState, ReviewCard
from reminders.delivery import delivery_send
from reminders.models import DeliveryStatus, ReminderDelivery, ReminderKind
from stories.models import Story
from studyplan.models import RoundBooking
from tests.factories import EnrolmentFactory, UserFactory, build_guide

from .conftest import utc


def parts(message) -> tuple[str, str]:
    [(html, _)] = message.alternatives
    return message.body, " ".join(re.sub(r"<[^>]+>", " ", html).split())


def book(enrolment, rnd, day, time=None, time_zone="Europe/London") -> RoundBooking:
    return RoundBooking.objects.create(
        enrolment=enrolment, round=rnd, date=day, time=time, time_zone=time_zone
    )


@pytest.fixture
def round_2(guide):
    rnd = guide.rounds.get(order=2)
    rnd.evaluation_criteria = "Depth of technical judgement\nClarity under pressure"
    rnd.save()
    return rnd


@pytest.fixture
def eves(dispatch, monkeypatch):
    """Dispatch and send at `now` on every clock (the send checks the round is still ahead)."""

    def run(now):
        monkeypatch.setattr("django.utils.timezone.now", lambda: now)
        dispatch(now)
        return [m for m in mail.outbox if m.subject.startswith("Tomorrow")]

    return run


def practise(user, question, status, **notes):
    return QuestionProgress.objects.create(
        user=user,
        question=question,
        guide=question.guide,
        question_text=question.text,
        status=status,
        **notes,
    )


@pytest.mark.django_db
def test_the_evening_before_a_round_the_candidate_gets_its_questions_notes_and_criteria(
    eves, alice, alice_enrolment, round_2, settings
):
    settings.SITE_URL = "https://prep.example.com"
    first, second, *others = round_2.questions.order_by("order", "id")
    practise(
        alice,
        first,
        PracticeStatus.CONFIDENT,
        answer_draft="Start from the outage timeline.",
    )
    story = Story.objects.create(
        user=alice,
        title="The payments outage",
        situation="Payments went down at peak.",
        action="I split the team into two tracks.",
    )
    story.questions.add(first)
    practise(alice, second, PracticeStatus.PRACTISED)
    ReviewCard.objects.create(
        user=alice,
        question=second,
        state=CardState.REVIEW,
        due=utc(2026, 3, 30, 9),
        last_review=utc(2026, 3, 25, 9),
        fsrs_card={},
    )
    # Round 2 on Tuesday 31 March at 10:00 in London (summer time, UTC+1).
    book(alice_enrolment, round_2, datetime.date(2026, 3, 31), datetime.time(10))

    assert eves(utc(2026, 3, 30, 16, 59)) == []  # 17:59 in London
    [message] = eves(utc(2026, 3, 30, 17))  # 18:00 in London

    assert message.to == ["alice@example.com"]
    assert message.subject == "Tomorrow at 10:00: Round 2 for Head of Engineering at OKX"
    text, html = parts(message)
    for part in (text, html):
        assert "Tuesday 31 March 2026, at 10:00 (Europe/London)" in part
        assert "Depth of technical judgement" in part
        assert "Clarity under pressure" in part
        assert "(2 of 5 practised)" in part
        assert first.text in part and "Your status: Confident" in part
        assert "Your draft: Start from the outage timeline." in part
        assert "Your story: The payments outage" in part
        assert "Situation: Payments went down at peak." in part
        assert "Action: I split the team into two tracks." in part
        assert "Your status: Practised, due for review" in part
        assert all(q.text in part for q in others)
        assert "Your status: New" in part and "No notes yet." in part
    assert f"https://prep.example.com{first.get_absolute_url()}" in text
    assert f"https://prep.example.com{round_2.get_absolute_url()}" in text
    # The candidate's own questions of the round come in the guide's order.
    assert text.index(first.text) < text.index(second.text) < text.index(others[0].text)


@pytest.mark.django_db
def test_the_eve_email_is_sent_once_per_round_however_often_dispatch_runs(
    eves, alice_enrolment, round_2
):
    book(alice_enrolment, round_2, datetime.date(2026, 3, 31))

    eves(utc(2026, 3, 30, 17))
    for minutes in (5, 60, 240, 359):
        eves(utc(2026, 3, 30, 17) + datetime.timedelta(minutes=minutes))

    assert len(eves(utc(2026, 3, 30, 23))) == 1
    [delivery] = ReminderDelivery.objects.filter(kind=ReminderKind.EVE)
    assert (delivery.round_id, delivery.status) == (round_2.pk, DeliveryStatus.SENT)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReminderDelivery.objects.create(
            enrolment=alice_enrolment, kind=ReminderKind.EVE, round=round_2, due_at=utc(2026, 3, 30)
        )


@pytest.mark.django_db
def test_each_booked_round_gets_its_own_eve_email(eves, alice_enrolment, guide, round_2):
    book(alice_enrolment, guide.rounds.get(order=1), datetime.date(2026, 3, 31))
    book(alice_enrolment, round_2, datetime.date(2026, 4, 2))

    eves(utc(2026, 3, 30, 17))

    assert [m.subject for m in eves(utc(2026, 4, 1, 17))] == [
        "Tomorrow: Round 1 for Head of Engineering at OKX",
        "Tomorrow: Round 2 for Head of Engineering at OKX",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "round_day, eve_utc",
    [
        # Clocks go forward on Sunday 29 March 2026: 18:00 that Sunday is 17:00 UTC.
        (datetime.date(2026, 3, 30), utc(2026, 3, 29, 17)),
        # The day before the change, 18:00 is still 18:00 UTC.
        (datetime.date(2026, 3, 29), utc(2026, 3, 28, 18)),
        # Clocks go back on Sunday 25 October 2026: 18:00 that Sunday is 18:00 UTC again.
        (datetime.date(2026, 10, 26), utc(2026, 10, 25, 18)),
        (datetime.date(2026, 10, 25), utc(2026, 10, 24, 17)),
    ],
)
def test_the_eve_email_comes_at_six_on_the_local_clock_across_a_daylight_saving_change(
    eves, alice_enrolment, round_2, round_day, eve_utc
):
    book(alice_enrolment, round_2, round_day)

    assert eves(eve_utc - datetime.timedelta(minutes=1)) == []
    [message] = eves(eve_utc)
    assert message.subject.startswith("Tomorrow: Round 2")
    assert ReminderDelivery.objects.get(kind=ReminderKind.EVE).due_at == eve_utc


@pytest.mark.django_db
def test_the_guides_criteria_stand_in_when_the_round_lists_none(eves, alice_enrolment, guide):
    rnd = guide.rounds.get(order=1)
    assert rnd.evaluation_criteria == ""
    criterion = guide.criteria.get()
    book(alice_enrolment, rnd, datetime.date(2026, 3, 31))

    [message] = eves(utc(2026, 3, 30, 17))

    for part in parts(message):
        assert "the guide's evaluation criteria" in part.replace("&#x27;", "'").lower()
        assert criterion.title in part


@pytest.mark.django_db
def test_no_eve_email_for_a_cancelled_round_or_a_candidate_without_reminders(
    eves, alice, alice_enrolment, round_2, guide
):
    booking = book(alice_enrolment, round_2, datetime.date(2026, 3, 31))
    bob = UserFactory(email="bob@example.com", reminders_enabled=False)
    book(EnrolmentFactory(user=bob, guide=guide), round_2, datetime.date(2026, 3, 31))
    # Recorded, then the round's date is deleted before a worker sends it.
    delivery = ReminderDelivery.objects.create(
        enrolment=alice_enrolment, kind=ReminderKind.EVE, round=round_2, due_at=booking.eve_at
    )
    booking.delete()

    assert eves(utc(2026, 3, 30, 17)) == []
    assert delivery_send(delivery_id=delivery.pk) == "skipped"
    assert not ReminderDelivery.objects.filter(kind=ReminderKind.EVE).exists()


@pytest.mark.django_db
def test_an_eve_email_costs_the_same_queries_for_a_small_round_and_a_large_one(
    django_assert_num_queries, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    counts = []
    for size, questions in enumerate([1, 12]):
        guide = build_guide(slug=f"eve-{size}", rounds=1, questions_per_round=questions)
        user = UserFactory(email=f"eve{size}@example.com", time_zone="Europe/London")
        enrolment = EnrolmentFactory(user=user, guide=guide)
        rnd = guide.rounds.get()
        for question in rnd.questions.all():
            practise(user, question, PracticeStatus.PRACTISED, answer_draft="A draft.")
            Story.objects.create(user=user, title="Shipped", result="Shipped.").questions.add(
                question
            )
        # Ahead of the real clock, so the send does not find the round's day already begun.
        booking = book(enrolment, rnd, datetime.date.today() + datetime.timedelta(days=10))
        delivery = ReminderDelivery.objects.create(
            enrolment=enrolment, kind=ReminderKind.EVE, round=rnd, due_at=booking.eve_at
        )
        with django_assert_num_queries(11) as captured:
            assert delivery_send(delivery_id=delivery.pk) == "sent"
        counts.append(len(captured))
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_an_eve_email_still_queued_on_the_rounds_day_is_not_sent(
    alice_enrolment, round_2, monkeypatch, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    booking = book(alice_enrolment, round_2, datetime.date(2026, 3, 31))
    delivery = ReminderDelivery.objects.create(
        enrolment=alice_enrolment, kind=ReminderKind.EVE, round=round_2, due_at=booking.eve_at
    )
    # Workers were down all evening: at midnight in London it is the round's day.
    monkeypatch.setattr("django.utils.timezone.now", lambda: utc(2026, 3, 30, 23))

    assert delivery_send(delivery_id=delivery.pk) == "expired"
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.last_error == "Not sent: by then it was the round's day."
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_eve_email_shows_only_the_candidates_own_notes(
    eves, alice, bob, alice_enrolment, round_2
):
    first = round_2.questions.order_by("order", "id").first()
    practise(bob, first, PracticeStatus.CONFIDENT, answer_draft="Bob's private draft.")
    book(alice_enrolment, round_2, datetime.date(2026, 3, 31))

    [message] = eves(utc(2026, 3, 30, 17))

    for part in parts(message):
        assert "private draft" not in part
        assert "(0 of 5 practised)" in part


@pytest.mark.django_db
def test_a_candidate_who_reads_mail_later_in_the_evening_gets_it_at_their_hour(
    eves, alice, alice_enrolment, round_2
):
    alice.reminder_hour = 21
    alice.save()
    book(alice_enrolment, round_2, datetime.date(2026, 3, 31))

    assert eves(utc(2026, 3, 30, 17)) == []  # 18:00 in London
    assert eves(utc(2026, 3, 30, 19, 59)) == []
    [message] = eves(utc(2026, 3, 30, 20))  # 21:00 in London
    assert message.subject.startswith("Tomorrow: Round 2")
    assert ReminderDelivery.objects.get(kind=ReminderKind.EVE).due_at == utc(2026, 3, 30, 20)
