"""What the reminder e-mails say: both parts, working links, RFC 8058 headers."""

import datetime

import pytest
from django.core import mail

from practice.models import PracticeStatus, QuestionProgress
from reminders.delivery import delivery_send
from reminders.models import ReminderDelivery, ReminderKind
from studyplan.models import StudyBlock, TaskProgress
from tests.factories import EnrolmentFactory, QuestionFactory, UserFactory, build_guide

from .conftest import SPRING_MONDAY, utc

SITE = "https://prep.example.com"


@pytest.fixture
def site(settings):
    settings.SITE_URL = SITE
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def send(enrolment, kind=ReminderKind.WEEK, week=2, due_at=None):
    delivery = ReminderDelivery.objects.create(
        enrolment=enrolment, kind=kind, week=week, due_at=due_at or utc(2026, 3, 30, 8)
    )
    assert delivery_send(delivery_id=delivery.pk) == "sent"
    return mail.outbox[-1]


def html_of(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


@pytest.mark.django_db
def test_week_email_has_the_blocks_tasks_progress_and_questions_in_both_parts(
    site, alice_enrolment, guide
):
    block = StudyBlock.objects.get(guide=guide, start_week=1)
    tasks = list(block.tasks.all())
    TaskProgress.objects.create(enrolment=alice_enrolment, task=tasks[0])
    first_round = guide.rounds.get(order=1)
    questions = list(first_round.questions.order_by("order", "id"))
    QuestionProgress.objects.create(
        user=alice_enrolment.user,
        question=questions[0],
        guide=guide,
        question_text=questions[0].text,
        status=PracticeStatus.PRACTISED,
    )

    message = send(alice_enrolment)

    plan_link = f"{SITE}/guides/okx-head-of-engineering/plan/#weeks-1-2"
    text, html = message.body, html_of(message)
    assert message.subject == f"Week 2 of 8: {block.title}"
    for part in (text, html):
        assert "Week 2 of 8" in part
        assert block.title in part
        assert block.headline in part
        assert all(task.text in part for task in tasks)
        assert plan_link in part
        assert "1 of 12 tasks done (8%)" in part
        assert questions[0].text not in part  # already practised
        assert questions[1].text in part
        assert f"{SITE}{questions[1].get_absolute_url()}" in part
    assert f'href="{plan_link}"' in html


@pytest.mark.django_db
def test_questions_from_another_region_and_unpublished_ones_are_not_suggested(site, alice, guide):
    enrolment = EnrolmentFactory(user=alice, guide=guide, start_date=SPRING_MONDAY)
    other_region = guide.questions.filter(region__isnull=False).first()
    guide.questions.filter(round__isnull=False).update(is_published=False)
    own = QuestionFactory(guide=guide, text="Which guide-wide question fits everyone?")

    body = send(enrolment).body

    assert own.text in body
    assert other_region.text not in body
    assert "Questions to practise this week" in body


@pytest.mark.django_db
def test_every_email_carries_one_click_unsubscribe_headers_and_link(site, alice_enrolment):
    message = send(alice_enrolment)

    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert url.startswith(f"{SITE}/reminders/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in message.body
    assert f'href="{url}"' in html_of(message)
    # The serialised message, as the SMTP server will see it.
    raw = message.message().as_string()
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in raw


@pytest.mark.django_db
def test_welcome_email_introduces_the_plan_and_first_block(site, alice, guide):
    enrolment = EnrolmentFactory(
        user=alice,
        guide=guide,
        start_date=SPRING_MONDAY,
        target_interview_date=datetime.date(2026, 5, 20),
    )

    # Enrolled on the Friday before the plan starts.
    message = send(enrolment, kind=ReminderKind.WELCOME, week=0, due_at=utc(2026, 3, 20, 12))

    first_block = StudyBlock.objects.get(guide=guide, start_week=1)
    assert message.subject == "Welcome to your 8-week plan for Head of Engineering at OKX"
    assert "Week 1 starts on Monday 23 March 2026" in message.body
    assert "Your interview is on Wednesday 20 May 2026" in message.body
    assert first_block.title in message.body
    assert "on the first day of each study week, at 09:00 (Europe/London)" in message.body
    assert "Week 1 starts on Monday 23 March 2026" in html_of(message)


@pytest.mark.django_db
def test_final_email_on_interview_day_wishes_luck(site, alice, guide):
    enrolment = EnrolmentFactory(
        user=alice,
        guide=guide,
        start_date=SPRING_MONDAY,
        target_interview_date=datetime.date(2026, 4, 22),
    )

    message = send(enrolment, kind=ReminderKind.FINAL, week=0, due_at=utc(2026, 4, 22, 8))

    assert message.subject == "Good luck today: Head of Engineering at OKX"
    assert "Today is your interview" in message.body
    assert "0 of 12 tasks" in message.body


@pytest.mark.django_db
def test_final_email_at_plan_end_reports_completion(site, alice, guide):
    enrolment = EnrolmentFactory(user=alice, guide=guide, start_date=SPRING_MONDAY)

    message = send(enrolment, kind=ReminderKind.FINAL, week=0, due_at=utc(2026, 5, 18, 8))

    assert message.subject == "You finished your plan for Head of Engineering at OKX"
    assert "end of your 8-week plan" in message.body


@pytest.mark.django_db
@pytest.mark.parametrize("kind", [ReminderKind.WEEK, ReminderKind.WELCOME, ReminderKind.FINAL])
def test_building_and_sending_an_email_takes_a_fixed_number_of_queries(
    site, django_assert_num_queries, kind
):
    counts = []
    for size, (rounds, tasks) in enumerate([(1, 1), (6, 8)]):
        guide = build_guide(
            slug=f"size-{size}", rounds=rounds, questions_per_round=rounds, tasks_per_block=tasks
        )
        user = UserFactory(email=f"size{size}@example.com", time_zone="Europe/London")
        enrolment = EnrolmentFactory(user=user, guide=guide, start_date=SPRING_MONDAY)
        delivery = ReminderDelivery.objects.create(
            enrolment=enrolment, kind=kind, week=2, due_at=utc(2026, 3, 30, 8)
        )
        # Eleven for what the e-mail reports (see the chunk test below), the lock, the claim and
        # its savepoint pair, and "sent", marked after the SMTP conversation in a statement of
        # its own rather than in the claim's transaction.
        with django_assert_num_queries(16) as captured:
            delivery_send(delivery_id=delivery.pk)
        counts.append(len(captured))
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_a_chunk_of_emails_costs_a_fixed_number_of_queries_per_email(
    site, guide, django_assert_num_queries
):
    from reminders.delivery import deliveries_send

    for size in (2, 6):
        ids = []
        for n in range(size):
            user = UserFactory(email=f"chunk{size}-{n}@example.com", time_zone="Europe/London")
            enrolment = EnrolmentFactory(user=user, guide=guide, start_date=SPRING_MONDAY)
            ids.append(
                ReminderDelivery.objects.create(
                    enrolment=enrolment, kind=ReminderKind.WEEK, week=2, due_at=utc(2026, 3, 30, 8)
                ).pk
            )
        # Eleven for the chunk (its rows; blocks with their tasks, rounds and tags; ticks; study
        # periods; practice; questions with their tags; reviews), then for each e-mail: lock,
        # claim and the claim's savepoint pair, and, after the SMTP conversation, mark sent.
        with django_assert_num_queries(11 + 5 * size):
            outcomes = deliveries_send(delivery_ids=ids)
        assert outcomes == {"sent": size}
    assert len(mail.outbox) == 8


@pytest.mark.django_db
def test_chunked_email_shows_the_same_progress_and_questions_as_a_single_one(
    site, alice_enrolment, guide
):
    from reminders.delivery import deliveries_send

    block = StudyBlock.objects.get(guide=guide, start_week=1)
    TaskProgress.objects.create(enrolment=alice_enrolment, task=block.tasks.first())
    questions = list(guide.rounds.get(order=1).questions.order_by("order", "id"))
    QuestionProgress.objects.create(
        user=alice_enrolment.user,
        question=questions[0],
        guide=guide,
        question_text=questions[0].text,
        status=PracticeStatus.CONFIDENT,
    )
    other_region = guide.questions.filter(region__isnull=False).first()
    delivery = ReminderDelivery.objects.create(
        enrolment=alice_enrolment, kind=ReminderKind.WEEK, week=2, due_at=utc(2026, 3, 30, 8)
    )

    deliveries_send(delivery_ids=[delivery.pk])

    body = mail.outbox[-1].body
    assert "1 of 12 tasks done (8%)" in body
    assert questions[0].text not in body
    assert all(q.text in body for q in questions[1:4])
    assert other_region.text not in body
