"""A guide's Insight page: candidates' activity in aggregate, never from fewer than five."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from practice.models import PracticeStatus, QuestionProgress
from practice.review_models import CardState, Rating, Review, ReviewCard
from reminders.models import ReminderDelivery
from rounds.insight.aggregates import guide_insight
from rounds.insight.privacy import SUPPRESSED_TEXT, figure
from studyplan.models import Enrolment, EnrolmentStatus, TaskProgress
from tests.factories import EnrolmentFactory, UserFactory, build_guide

NOTE = "My secret answer about the outage at my last company"


@pytest.fixture
def guide(db):
    return build_guide(rounds=1, questions_per_round=3, regions=0, blocks=2, tasks_per_block=2)


def insight_url(guide) -> str:
    return reverse("admin:rounds_guide_insight", args=[guide.pk])


def this_week(days_ago_weeks: int = 0) -> datetime.datetime:
    """Wednesday noon of this week, or of `days_ago_weeks` weeks before."""
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    wednesday = monday + datetime.timedelta(days=2, weeks=-days_ago_weeks)
    return datetime.datetime.combine(wednesday, datetime.time(12), tzinfo=datetime.UTC)


def enrol(guide, n, *, status=EnrolmentStatus.ACTIVE, weeks_ago=0, name="Candidate"):
    enrolments = []
    for _ in range(n):
        user = UserFactory(display_name=f"{name} {UserFactory._meta.model.objects.count()}")
        enrolments.append(EnrolmentFactory(user=user, guide=guide, status=status))
    Enrolment.objects.filter(pk__in=[e.pk for e in enrolments]).update(
        created_at=this_week(weeks_ago)
    )
    return enrolments


def practise(enrolment, question, *, rating=None):
    QuestionProgress.objects.create(
        user=enrolment.user,
        question=question,
        guide=question.guide,
        question_text=question.text,
        status=PracticeStatus.PRACTISED,
        answer_draft=NOTE,
    )
    if rating is not None:
        now = timezone.now()
        card = ReviewCard.objects.create(
            user=enrolment.user,
            question=question,
            state=CardState.LEARNING,
            due=now,
            last_review=now,
            fsrs_card={},
        )
        Review.objects.create(
            card=card,
            user=enrolment.user,
            rating=rating,
            reviewed_at=now,
            state_after=CardState.LEARNING,
            due_after=now,
            interval_days=0,
        )


def deliver(enrolment, *, status, week=1, weeks_ago=0):
    ReminderDelivery.objects.create(
        enrolment=enrolment, kind="week", week=week, due_at=this_week(weeks_ago), status=status
    )


def sections(guide) -> dict:
    return {section.key: section for section in guide_insight(guide)}


def texts(section) -> dict[str, list[str]]:
    return {row.label: [f.text for f in row.figures] for row in section.rows}


def week_label(weeks_ago: int) -> str:
    monday = this_week(weeks_ago).date() - datetime.timedelta(days=2)
    return f"Week of {monday:%d %b %Y}"


# The rule itself


def test_the_minimum_group_size_rule_withholds_figures_from_four_and_shows_them_from_five():
    assert figure(4, candidates=4).text == SUPPRESSED_TEXT == "fewer than 5"
    assert figure(5, candidates=5).text == "5"
    assert figure(0.5, candidates=5, percent=True).text == "50%"
    assert figure(0.5, candidates=4, percent=True).text == "fewer than 5"
    # Nothing of a withheld figure survives to be printed by mistake.
    assert figure(3, candidates=4).value == 0


# Each aggregate against known data


@pytest.mark.django_db
def test_enrolments_are_counted_per_week_for_the_last_twelve_weeks(guide):
    enrol(guide, 6)
    enrol(guide, 5, weeks_ago=3)
    enrol(guide, 4, weeks_ago=1)
    enrol(guide, 7, weeks_ago=12)  # before the twelve weeks shown

    rows = texts(sections(guide)["enrolments"])

    assert len(rows) == 12
    assert rows[week_label(0)] == ["6"]
    assert rows[week_label(3)] == ["5"]
    assert rows[week_label(1)] == ["fewer than 5"]
    assert week_label(12) not in rows
    assert list(rows)[-1] == week_label(0)


@pytest.mark.django_db
def test_candidates_are_counted_as_active_paused_and_left(guide):
    enrol(guide, 7)
    enrol(guide, 5, status=EnrolmentStatus.PAUSED)
    enrol(guide, 2, status=EnrolmentStatus.LEFT)

    assert texts(sections(guide)["statuses"]) == {
        "Active": ["7"],
        "Paused": ["5"],
        "Left": ["fewer than 5"],
    }


@pytest.mark.django_db
def test_completion_is_the_share_of_each_blocks_tasks_ticked_by_enrolled_candidates(guide):
    enrolled = enrol(guide, 4) + enrol(guide, 1, status=EnrolmentStatus.PAUSED)
    gone = enrol(guide, 3, status=EnrolmentStatus.LEFT)
    first, second = guide.study_blocks.order_by("start_week")
    task_a, task_b = first.tasks.all()
    for enrolment in enrolled:
        TaskProgress.objects.create(enrolment=enrolment, task=task_a)
    TaskProgress.objects.create(enrolment=enrolled[0], task=task_b)
    for enrolment in gone:  # candidates who left do not count
        TaskProgress.objects.create(enrolment=enrolment, task=task_b)

    rows = texts(sections(guide)["completion"])

    # 6 ticks of 2 tasks x 5 candidates; nothing in the second block.
    assert rows[f"Weeks {first.weeks_label}: {first.title}"] == ["60%"]
    assert rows[f"Weeks {second.weeks_label}: {second.title}"] == ["0%"]


@pytest.mark.django_db
def test_most_and_least_practised_questions_are_ranked_by_candidates(guide):
    q1, q2, q3 = guide.questions.order_by("order")
    people = enrol(guide, 7)
    for enrolment in people:
        practise(enrolment, q2)
    for enrolment in people[:5]:
        practise(enrolment, q3)
    practise(people[0], q1)

    found = sections(guide)
    most = [(row.label, row.figures[0].text) for row in found["most-practised"].rows]
    least = [(row.label, row.figures[0].text) for row in found["least-practised"].rows]

    assert most == [(q2.text, "7"), (q3.text, "5")]
    assert least == [(q1.text, "fewer than 5"), (q3.text, "5"), (q2.text, "7")]


@pytest.mark.django_db
def test_questions_most_often_rated_again_or_hard_are_listed_first(guide):
    q1, q2, q3 = guide.questions.order_by("order")
    people = enrol(guide, 8)
    for i, enrolment in enumerate(people):
        practise(enrolment, q1, rating=Rating.AGAIN if i < 6 else Rating.HARD)
    for enrolment in people[:5]:
        practise(enrolment, q2, rating=Rating.HARD)
    for enrolment in people[:3]:
        practise(enrolment, q3, rating=Rating.AGAIN)
    practise(people[7], q3, rating=Rating.GOOD)

    rows = [(r.label, r.figures[0].text) for r in sections(guide)["struggled"].rows]

    assert rows == [(q1.text, "8"), (q2.text, "5"), (q3.text, "fewer than 5")]


@pytest.mark.django_db
def test_reminders_sent_failed_and_unsubscribed_are_counted_per_week(guide):
    people = enrol(guide, 6)
    for enrolment in people:
        deliver(enrolment, status="sent")
        deliver(enrolment, status="sent", week=2, weeks_ago=2)
        deliver(enrolment, status="pending", week=3)
    for enrolment in people[:5]:
        deliver(enrolment, status="failed", week=4)
        enrolment.set_reminders(False, now=this_week())
        enrolment.save()

    rows = texts(sections(guide)["reminders"])

    assert rows[week_label(0)] == ["6", "5", "5"]
    assert rows[week_label(2)] == ["6", "fewer than 5", "fewer than 5"]


@pytest.mark.django_db
def test_a_candidate_who_turns_reminders_back_on_is_no_longer_counted_as_unsubscribed(guide):
    people = enrol(guide, 5)
    for enrolment in people:
        enrolment.set_reminders(False)
        enrolment.save()
    people[0].set_reminders(True)
    people[0].save()

    assert texts(sections(guide)["reminders"])[week_label(0)][2] == "fewer than 5"


# The minimum group size, for every figure type


def everyone_does_everything(guide, n):
    question = guide.questions.order_by("order").first()
    task = guide.study_blocks.order_by("start_week").first().tasks.first()
    for enrolment in enrol(guide, n):
        TaskProgress.objects.create(enrolment=enrolment, task=task)
        practise(enrolment, question, rating=Rating.AGAIN)
        deliver(enrolment, status="sent")
        deliver(enrolment, status="failed", week=2)
        enrolment.set_reminders(False)
        enrolment.save()
    return question


@pytest.mark.django_db
@pytest.mark.parametrize(("candidates", "shown"), [(4, False), (5, True)])
def test_every_figure_type_is_withheld_below_five_candidates_and_shown_from_five(
    guide, candidates, shown
):
    question = everyone_does_everything(guide, candidates)
    first_block = guide.study_blocks.order_by("start_week").first()
    found = sections(guide)

    figures = {
        "enrolments per week": texts(found["enrolments"])[week_label(0)][0],
        "active": texts(found["statuses"])["Active"][0],
        "completion": texts(found["completion"])[
            f"Weeks {first_block.weeks_label}: {first_block.title}"
        ][0],
        "practised": texts(found["least-practised"])[question.text][0],
        "again or hard": texts(found["struggled"])[question.text][0],
        "sent": texts(found["reminders"])[week_label(0)][0],
        "failed": texts(found["reminders"])[week_label(0)][1],
        "unsubscribed": texts(found["reminders"])[week_label(0)][2],
    }

    n = str(candidates)
    expected = {
        "enrolments per week": n,
        "active": n,
        "completion": "50%",  # one of the block's two tasks
        "practised": n,
        "again or hard": n,
        "sent": n,
        "failed": n,
        "unsubscribed": n,
    }
    if not shown:
        expected = dict.fromkeys(expected, "fewer than 5")
    assert figures == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("candidates", "shown"), [(4, False), (5, True)])
def test_the_page_prints_fewer_than_five_in_place_of_a_small_group(
    recruiter_client, guide, candidates, shown
):
    enrol(guide, candidates)

    html = recruiter_client.get(insight_url(guide)).content.decode()

    active_row = html.split('<th scope="row">Active</th>')[1].split("</tr>")[0]
    assert ("<td>5</td>" in active_row) is shown
    assert ("<td>fewer than 5</td>" in active_row) is not shown


# Aggregates only


@pytest.mark.django_db
def test_the_page_shows_no_candidate_identity_or_notes(recruiter_client, guide):
    everyone_does_everything(guide, 6)
    people = list(Enrolment.objects.filter(guide=guide).select_related("user"))

    response = recruiter_client.get(insight_url(guide))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Candidates by plan status" in html
    assert NOTE not in html
    for enrolment in people:
        assert enrolment.user.email not in html
        assert enrolment.user.display_name not in html
    assert "@example.com" not in html.replace("rita@example.com", "")


def grade_mocks(guide, n: int, score: int) -> None:
    """`n` candidates each grade themselves `score` on "Strategic judgement" in a mock."""
    from mocks.models import Mock, MockGrade, MockStatus

    rnd = guide.rounds.order_by("order").first()
    for enrolment in enrol(guide, n):
        mock = Mock.objects.create(
            user=enrolment.user, round=rnd, status=MockStatus.FINISHED, minutes_per_question=10
        )
        MockGrade.objects.create(
            mock=mock, position=1, criterion="Strategic judgement", score=score, reason="Why."
        )


@pytest.mark.django_db
def test_mock_self_grades_per_criterion_show_from_five_candidates(recruiter_client, guide):
    grade_mocks(guide, 5, score=3)

    html = recruiter_client.get(insight_url(guide)).content.decode()

    assert 'id="insight-mock-scores"' in html
    assert "Strategic judgement" in html
    assert "<td>3</td>" in html


@pytest.mark.django_db
def test_mock_self_grades_of_four_candidates_are_withheld(recruiter_client, guide):
    grade_mocks(guide, 4, score=2)

    html = recruiter_client.get(insight_url(guide)).content.decode()

    section = html[html.index('id="insight-mock-scores"') :]
    assert "fewer than 5" in section
    assert "<td>2</td>" not in section


# Who may see it


@pytest.mark.django_db
def test_the_guide_page_and_the_guide_list_link_to_insight_for_a_recruiter(recruiter_client, guide):
    change = recruiter_client.get(reverse("admin:rounds_guide_change", args=[guide.pk]))
    changelist = recruiter_client.get(reverse("admin:rounds_guide_changelist"))

    assert insight_url(guide) in change.content.decode()
    assert insight_url(guide) in changelist.content.decode()


@pytest.mark.django_db
def test_a_superuser_may_view_insight(client, guide):
    client.force_login(UserFactory(email="root@example.com", is_staff=True, is_superuser=True))

    assert client.get(insight_url(guide)).status_code == 200


@pytest.mark.django_db
def test_staff_outside_the_recruiters_group_get_403_and_no_link(client, guide):
    intern = UserFactory(email="intern@example.com", is_staff=True)
    intern.user_permissions.add(Permission.objects.get(codename="view_guide"))
    client.force_login(intern)

    assert client.get(insight_url(guide)).status_code == 403
    change = client.get(reverse("admin:rounds_guide_change", args=[guide.pk]))
    changelist = client.get(reverse("admin:rounds_guide_changelist"))
    assert change.status_code == changelist.status_code == 200
    assert insight_url(guide) not in change.content.decode()
    assert insight_url(guide) not in changelist.content.decode()


@pytest.mark.django_db
def test_a_candidate_is_sent_to_log_in(client, alice, guide):
    client.force_login(alice)

    response = client.get(insight_url(guide))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("object_id", ["999999", "abc", "1%2F2"])
def test_an_unknown_guide_is_a_404(recruiter_client, guide, object_id):
    url = reverse("admin:rounds_guide_insight", args=["0"]).replace("/0/", f"/{object_id}/")

    assert recruiter_client.get(url).status_code == 404


# Cost


@pytest.mark.django_db
@pytest.mark.parametrize("candidates", [5, 50])
def test_the_page_costs_the_same_queries_for_5_and_50_candidates(
    recruiter_client, django_assert_num_queries, guide, candidates
):
    everyone_does_everything(guide, candidates)

    # 15, plus the mocks app's self-grades per criterion.
    with django_assert_num_queries(16):
        response = recruiter_client.get(insight_url(guide))

    assert response.status_code == 200


@pytest.mark.django_db
def test_a_withheld_figure_draws_no_bar_in_the_chart(recruiter_client, guide):
    enrol(guide, 6)
    enrol(guide, 2, status=EnrolmentStatus.PAUSED)

    html = recruiter_client.get(insight_url(guide)).content.decode()
    chart = html.split('id="insight-statuses"')[1].split("</svg>")[0]

    assert chart.count("<rect") == 1  # active; paused and left are withheld
    assert chart.count("fewer than 5") == 2


@pytest.mark.django_db
def test_unsubscribing_from_the_link_records_when_and_resubscribing_clears_it(client, guide):
    from reminders.delivery import unsubscribe_token_make

    (enrolment,) = enrol(guide, 1)
    url = reverse("reminders:unsubscribe", args=[unsubscribe_token_make(enrolment_id=enrolment.pk)])

    client.post(url)
    enrolment.refresh_from_db()
    assert not enrolment.reminders_enabled
    assert enrolment.reminders_off_at is not None

    client.post(url, {"action": "resubscribe"})
    enrolment.refresh_from_db()
    assert enrolment.reminders_enabled
    assert enrolment.reminders_off_at is None


@pytest.mark.django_db
def test_staff_turning_reminders_off_in_the_admin_counts_as_an_unsubscribe(
    client, admin_user, guide
):
    (enrolment,) = enrol(guide, 1)
    client.force_login(admin_user)
    url = reverse("admin:studyplan_enrolment_change", args=[enrolment.pk])

    response = client.post(
        url,
        {"status": "active", "task_progress-TOTAL_FORMS": "0", "task_progress-INITIAL_FORMS": "0"},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    enrolment.refresh_from_db()
    assert not enrolment.reminders_enabled
    assert enrolment.reminders_off_at is not None
