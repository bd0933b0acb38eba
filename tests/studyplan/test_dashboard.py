import pytest
from django.urls import reverse

from practice.models import PracticeStatus, QuestionProgress
from studyplan.models import EnrolmentStatus
from tests.factories import EnrolmentFactory, build_guide
from tests.studyplan.conftest import all_tasks, days_ago, tick

DASHBOARD = reverse("studyplan:dashboard")


@pytest.mark.django_db
def test_dashboard_requires_login(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_dashboard_shows_current_week_and_what_it_asks(client, alice, alice_enrolment, guide):
    block = guide.study_blocks.get(start_week=3)
    client.force_login(alice)
    page = client.get(DASHBOARD).content.decode()
    assert "Week 3 of 8" in page
    assert block.title in page
    assert block.headline in page
    assert block.description in page
    for task in block.tasks.all():
        assert task.text in page


@pytest.mark.django_db
def test_dashboard_shows_overall_and_per_block_completion(client, alice, alice_enrolment, guide):
    tasks = all_tasks(guide)
    tick(alice_enrolment, tasks[:3])  # the whole first block: 3 of 12
    client.force_login(alice)
    page = client.get(DASHBOARD).content.decode()
    assert "25%" in page
    assert "3 of 12 tasks" in page
    assert 'value="100"' in page  # the first block's bar


def _practise(user, question, status=PracticeStatus.PRACTISED) -> None:
    QuestionProgress.objects.create(
        user=user,
        question=question,
        guide=question.guide,
        question_text=question.text,
        status=status,
    )


@pytest.mark.django_db
def test_dashboard_counts_questions_practised_per_round(client, alice, alice_enrolment, guide):
    first_round = guide.rounds.get(order=1)
    for question in first_round.questions.all()[:2]:
        _practise(alice, question)
    client.force_login(alice)
    page = client.get(DASHBOARD).content.decode()
    assert "2 of 3" in page
    assert "0 of 3" in page


@pytest.mark.django_db
def test_a_practised_question_taken_offline_leaves_the_round_count(
    client, alice, alice_enrolment, guide
):
    # "3 of 2" would follow if practice on an unpublished question still counted.
    first_round = guide.rounds.get(order=1)
    questions = list(first_round.questions.all())
    for question in questions:
        _practise(alice, question)
    questions[0].is_published = False
    questions[0].save()
    client.force_login(alice)
    page = client.get(DASHBOARD).content.decode()
    assert "2 of 2" in page
    assert "3 of 2" not in page


@pytest.mark.django_db
def test_dashboard_says_plainly_when_behind_and_offers_replan(
    client, alice, alice_enrolment, guide
):
    client.force_login(alice)
    page = client.get(DASHBOARD).content.decode()
    assert "You are behind schedule" in page
    assert "3 tasks from earlier weeks are not done yet" in page
    assert "Shift the remaining weeks to start today" in page


@pytest.mark.django_db
def test_dashboard_is_calm_when_on_schedule(client, alice, alice_enrolment, guide):
    tick(alice_enrolment, all_tasks(guide)[:3])
    client.force_login(alice)
    assert "You are behind schedule" not in client.get(DASHBOARD).content.decode()


@pytest.mark.django_db
def test_dashboard_shows_before_start_and_finished_plans(client, alice, guide):
    other = build_guide(company="Acme", slug="acme-cto", rounds=1, blocks=2)
    EnrolmentFactory(user=alice, guide=guide, start_date=days_ago(alice, -3))
    EnrolmentFactory(user=alice, guide=other, start_date=days_ago(alice, 70))
    client.force_login(alice)
    page = client.get(DASHBOARD).content.decode()
    assert "Starts in 3 days" in page
    assert "Plan finished" in page


@pytest.mark.django_db
def test_dashboard_shows_next_reminder_in_local_time(client, alice, alice_enrolment):
    alice.reminder_weekday = 2
    alice.reminder_hour = 7
    alice.save()
    client.force_login(alice)
    page = client.get(DASHBOARD).content.decode()
    assert "Wed " in page
    assert "07:00</time> (Europe/London)" in page


@pytest.mark.django_db
def test_dashboard_shows_no_reminder_until_address_confirmed(client, alice, alice_enrolment):
    alice.email_confirmed_at = None
    alice.save()
    client.force_login(alice)
    page = client.get(DASHBOARD).content.decode()
    assert "None until you confirm your address" in page


@pytest.mark.django_db
def test_paused_plan_is_shown_paused_with_resume_choices(client, alice, alice_enrolment):
    alice_enrolment.status = EnrolmentStatus.PAUSED
    alice_enrolment.save()
    client.force_login(alice)
    page = client.get(DASHBOARD).content.decode()
    assert "Paused" in page
    assert "Resume and re-plan from today" in page
    assert "Week 3 of 8" in page


def _populate(user, guides: int, practised: int) -> None:
    for n in range(guides):
        guide = build_guide(
            company=f"Co{n}",
            slug=f"co{n}-guide",
            rounds=n + 2,
            questions_per_round=2,
            blocks=2 + n,
            tasks_per_block=2 + n,
        )
        enrolment = EnrolmentFactory(user=user, guide=guide, start_date=days_ago(user, 7 * n))
        tick(enrolment, all_tasks(guide)[: n + 1])
        for question in guide.questions.all()[:practised]:
            _practise(user, question, PracticeStatus.CONFIDENT)


@pytest.mark.django_db
@pytest.mark.parametrize("guides,practised", [(1, 1), (4, 6)])
def test_dashboard_query_count_is_fixed(
    client, alice, django_assert_num_queries, guides, practised
):
    _populate(alice, guides, practised)
    client.force_login(alice)
    # session, user, enrolments, blocks, tasks, blocks' rounds, rounds, study periods, round
    # dates, ticks, questions practised of each round's total, then practice's: reviews due;
    # reviews, practice and ticks per day (one query); readiness per round.
    with django_assert_num_queries(14):
        response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert response.content.decode().count('<article class="plan-card') == guides


@pytest.mark.django_db
def test_next_reminder_is_shown_in_the_candidates_own_time_zone(client, bob, guide):
    bob.reminder_weekday = 2
    bob.reminder_hour = 7
    bob.save()
    EnrolmentFactory(user=bob, guide=guide, start_date=days_ago(bob, 14))
    client.force_login(bob)
    page = client.get(DASHBOARD).content.decode()
    assert "07:00</time> (Asia/Singapore)" in page
    assert "+0800" in page


@pytest.mark.django_db
def test_questions_outside_the_rounds_are_counted_under_a_name_that_says_so(client, alice, guide):
    """The row read "Across the process 0 of 8" under the rounds: nobody could tell what it held."""
    EnrolmentFactory(user=alice, guide=guide)
    outside = guide.questions.filter(round__isnull=True).count()
    assert outside
    client.force_login(alice)

    page = client.get(reverse("studyplan:dashboard")).content.decode()

    assert f'<th scope="row">Questions outside the rounds</th><td>0 of {outside}</td>' in page
