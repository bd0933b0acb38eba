import datetime

import pytest
from django.urls import reverse

from rounds.models import GuideStatus
from studyplan.models import Enrolment, EnrolmentStatus, TaskProgress
from studyplan.progress import next_monday
from tests.factories import EnrolmentFactory, GuideFactory, RegionFactory
from tests.studyplan.conftest import all_tasks, days_ago, local_today, tick


def enrol_url(guide) -> str:
    return reverse("studyplan:enrol", kwargs={"guide_slug": guide.slug})


@pytest.mark.django_db
def test_enrol_form_defaults_to_next_monday_in_candidate_time_zone(client, bob, guide):
    client.force_login(bob)
    page = client.get(enrol_url(guide)).content.decode()
    assert f'value="{next_monday(local_today(bob)).isoformat()}"' in page
    assert f'min="{local_today(bob).isoformat()}"' in page  # no interview in the past


@pytest.mark.django_db
def test_next_monday_is_a_week_ahead_on_a_monday():
    assert next_monday(datetime.date(2026, 3, 2)) == datetime.date(2026, 3, 9)
    assert next_monday(datetime.date(2026, 3, 8)) == datetime.date(2026, 3, 9)


@pytest.mark.django_db
def test_candidate_enrols_with_start_region_and_interview_date(client, alice, guide):
    region = RegionFactory(name="Asia", slug="asia")
    start = next_monday(local_today(alice))
    interview = start + datetime.timedelta(weeks=9)
    client.force_login(alice)
    response = client.post(
        enrol_url(guide),
        {
            "start_date": start.isoformat(),
            "region": region.pk,
            "target_interview_date": interview.isoformat(),
        },
    )
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(user=alice, guide=guide)
    assert (enrolment.start_date, enrolment.region, enrolment.target_interview_date) == (
        start,
        region,
        interview,
    )
    assert enrolment.status == EnrolmentStatus.ACTIVE
    page = client.get(reverse("studyplan:dashboard")).content.decode()
    assert "You are enrolled in" in page
    assert guide.title in page


@pytest.mark.django_db
@pytest.mark.parametrize(("days", "verb"), [(7, "starts"), (0, "starts"), (-12, "started")])
def test_the_enrolment_message_speaks_of_the_start_in_the_right_tense(
    client, alice, guide, days, verb
):
    start = local_today(alice) + datetime.timedelta(days=days)
    client.force_login(alice)
    client.post(enrol_url(guide), {"start_date": start.isoformat()})
    page = client.get(reverse("studyplan:dashboard")).content.decode()
    assert f"Week 1 {verb} on {start:%A} {start.day} {start:%B}." in page


@pytest.mark.django_db
def test_region_defaults_to_the_candidates_region(alice, guide):
    from studyplan.services import enrolment_create

    alice.region = RegionFactory(name="Europe", slug="europe")
    alice.save()
    assert enrolment_create(user=alice, guide=guide).region == alice.region


@pytest.mark.django_db
def test_candidate_can_enrol_in_several_guides(client, alice, guide):
    other = GuideFactory(slug="acme-cto")
    client.force_login(alice)
    start = next_monday(local_today(alice)).isoformat()
    client.post(enrol_url(guide), {"start_date": start})
    client.post(enrol_url(other), {"start_date": start})
    assert Enrolment.objects.filter(user=alice).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field,value,message",
    [
        ("start_date", "1999-01-04", "Choose a start date within a year of today"),
        ("start_date", "2999-01-04", "Choose a start date within a year of today"),
        ("start_date", "not-a-date", "Enter a date such as"),
        ("target_interview_date", "2020-01-01", "The interview date is in the past"),
    ],
)
def test_bad_dates_get_a_clear_message_and_enrol_nobody(
    client, alice, guide, field, value, message
):
    data = {"start_date": next_monday(local_today(alice)).isoformat(), field: value}
    client.force_login(alice)
    response = client.post(enrol_url(guide), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Enrolment.objects.exists()


@pytest.mark.django_db
def test_interview_before_start_is_refused(client, alice, guide):
    start = next_monday(local_today(alice))
    client.force_login(alice)
    response = client.post(
        enrol_url(guide),
        {"start_date": start.isoformat(), "target_interview_date": start.isoformat()},
    )
    assert "The interview date must come after the start date." in response.content.decode()
    assert not Enrolment.objects.exists()


@pytest.mark.django_db
def test_unknown_or_draft_guide_cannot_be_enrolled_in(client, alice):
    draft = GuideFactory(slug="secret-draft", status=GuideStatus.DRAFT)
    client.force_login(alice)
    start = next_monday(local_today(alice)).isoformat()
    assert client.post("/guides/no-such-guide/enrol/", {"start_date": start}).status_code == 404
    assert client.post(enrol_url(draft), {"start_date": start}).status_code == 404
    assert not Enrolment.objects.exists()


@pytest.mark.django_db
def test_forged_region_id_is_refused(client, alice, guide):
    client.force_login(alice)
    response = client.post(
        enrol_url(guide),
        {"start_date": next_monday(local_today(alice)).isoformat(), "region": 999999},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Enrolment.objects.exists()


@pytest.mark.django_db
def test_enrolling_twice_says_so_and_keeps_one_row(client, alice, alice_enrolment, guide):
    client.force_login(alice)
    response = client.get(enrol_url(guide), follow=True)
    assert "already enrolled" in response.content.decode()
    assert Enrolment.objects.filter(user=alice).count() == 1


@pytest.mark.django_db
def test_enrolling_again_after_leaving_keeps_progress(client, alice, alice_enrolment, guide):
    tick(alice_enrolment, all_tasks(guide)[:2])
    alice_enrolment.status = EnrolmentStatus.LEFT
    alice_enrolment.reminders_enabled = False
    alice_enrolment.save()
    client.force_login(alice)
    start = next_monday(local_today(alice))
    assert "Welcome back" in client.get(enrol_url(guide)).content.decode()
    client.post(enrol_url(guide), {"start_date": start.isoformat()})
    enrolment = Enrolment.objects.get(user=alice, guide=guide)
    assert enrolment.pk == alice_enrolment.pk
    assert enrolment.status == EnrolmentStatus.ACTIVE
    assert enrolment.start_date == start
    assert TaskProgress.objects.filter(enrolment=enrolment).count() == 2
    assert enrolment.reminders_enabled is True


@pytest.mark.django_db
def test_enrol_page_requires_login(client, guide):
    response = client.get(enrol_url(guide))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.django_db
def test_start_date_up_to_a_year_back_is_accepted(alice, guide):
    from studyplan.services import enrolment_create

    enrolment = enrolment_create(user=alice, guide=guide, start_date=days_ago(alice, 300))
    assert enrolment.week_on(local_today(alice)) == 9  # finished


@pytest.mark.django_db
def test_week_counts_from_the_start_date_in_the_candidates_time_zone(alice, guide):
    # 23:30 UTC on a Sunday is already Monday in Singapore, still Sunday in London.
    now = datetime.datetime(2026, 3, 8, 23, 30, tzinfo=datetime.UTC)
    london = EnrolmentFactory(user=alice, guide=guide, start_date=datetime.date(2026, 3, 9))
    assert london.week_on(london.local_today(now)) == 0
    london.user.time_zone = "Asia/Singapore"
    assert london.week_on(london.local_today(now)) == 1
    assert london.week_on(datetime.date(2026, 5, 3)) == 8
    assert london.week_on(datetime.date(2026, 5, 4)) == 9


@pytest.mark.django_db
def test_enrolling_with_a_time_zone_makes_it_the_accounts(client, alice, guide):
    client.force_login(alice)
    page = client.get(enrol_url(guide)).content.decode()
    assert '<option value="Europe/London" selected>' in page

    response = client.post(
        enrol_url(guide),
        {"start_date": next_monday(local_today(alice)).isoformat(), "time_zone": "Asia/Tokyo"},
    )

    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.time_zone == "Asia/Tokyo"
    assert Enrolment.objects.filter(user=alice, guide=guide).exists()


@pytest.mark.django_db
def test_an_unknown_time_zone_is_refused_and_nothing_is_saved(client, alice, guide):
    client.force_login(alice)

    response = client.post(
        enrol_url(guide),
        {"start_date": next_monday(local_today(alice)).isoformat(), "time_zone": "Mars/Olympus"},
    )

    assert response.status_code == 400
    assert "is not a time zone we know" in response.content.decode()
    alice.refresh_from_db()
    assert alice.time_zone == "Europe/London"
    assert not Enrolment.objects.filter(user=alice).exists()


@pytest.mark.django_db
def test_an_interview_before_the_plan_would_end_fits_the_plan_to_it_at_once(client, alice, guide):
    """Enrolling with an interview in three weeks gave 'Week 1 of 8' and a plan ending five
    weeks after it; fitting it was left to a re-plan page the candidate had to find."""
    start = next_monday(local_today(alice))
    interview = start + datetime.timedelta(weeks=3)
    client.force_login(alice)

    response = client.post(
        enrol_url(guide),
        {"start_date": start.isoformat(), "target_interview_date": interview.isoformat()},
        follow=True,
    )

    enrolment = Enrolment.objects.get(user=alice, guide=guide)
    periods = enrolment.schedule.periods(guide.study_blocks.all())
    assert enrolment.has_periods and len(periods) == 4
    assert periods[0].start == start
    assert periods[-1].end == interview - datetime.timedelta(days=1)
    assert sum(p.days for p in periods) == 21
    html = response.content.decode()
    assert "with the plan fitted to your interview on" in html
    assert "Week 1 of 8" not in html


@pytest.mark.django_db
def test_an_interview_after_the_plan_keeps_the_standard_weeks(alice, guide):
    from studyplan.services import enrolment_create

    start = next_monday(local_today(alice))
    enrolment = enrolment_create(
        user=alice,
        guide=guide,
        start_date=start,
        target_interview_date=start + datetime.timedelta(weeks=10),
    )

    assert not enrolment.has_periods
    assert enrolment.schedule.end == start + datetime.timedelta(weeks=8, days=-1)


@pytest.mark.django_db
def test_an_interview_days_away_keeps_the_dates_for_the_focused_plan(alice, guide):
    from studyplan.services import enrolment_create

    start = local_today(alice)
    enrolment = enrolment_create(
        user=alice,
        guide=guide,
        start_date=start,
        target_interview_date=start + datetime.timedelta(days=3),
    )

    assert not enrolment.has_periods


@pytest.mark.django_db
def test_a_fitted_plan_is_told_by_its_own_dates_on_the_plan_page_and_in_the_welcome(
    client, alice, guide, django_capture_on_commit_callbacks, settings, monkeypatch
):
    """After a fit the plan page still said '8 weeks to prepare' and 'Weeks 1-2 · Your dates:'
    over one week, and the welcome 'Welcome to your 8-week plan'."""
    from django.core import mail

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from prep.celery import app

    # The welcome is sent by a task: in-process, at once, as a worker would.
    monkeypatch.setitem(app.conf, "task_always_eager", True)
    start = next_monday(local_today(alice))
    interview = start + datetime.timedelta(weeks=4)
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            enrol_url(guide),
            {"start_date": start.isoformat(), "target_interview_date": interview.isoformat()},
        )

    page = client.get(reverse("studyplan:plan", args=[guide.slug])).content.decode()
    assert "8 weeks to prepare" not in page
    assert "28 days to prepare" in page
    assert "weeks 1-2 of the guide’s 8-week plan" in page
    [welcome] = [m for m in mail.outbox if m.subject.startswith("Welcome")]
    assert welcome.subject == f"Welcome to your plan for {guide.title}"
    assert "fitted to your interview" in welcome.body
