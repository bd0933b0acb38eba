"""Every form a candidate can post is refused without the CSRF token and changes nothing.

Each case posts data that does change something when the token from the page is sent along, so the
refusal is proven to be the token's doing.
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from accounts.api_tokens import api_token_create
from accounts.models import ApiToken, User
from practice.models import QuestionProgress
from practice.services import question_practice
from studyplan.models import Enrolment, EnrolmentStatus, TaskProgress
from tests.factories import EnrolmentFactory, build_guide
from tests.studyplan.conftest import all_tasks, local_today

PASSWORD = "correct horse battery staple"


@pytest.fixture
def world(alice, alice_enrolment, guide):
    paused_guide = build_guide(company="Paused Co", slug="paused-guide")
    paused = EnrolmentFactory(
        user=alice,
        guide=paused_guide,
        start_date=local_today(alice),
        status=EnrolmentStatus.PAUSED,
        paused_on=local_today(alice),
    )
    new_guide = build_guide(company="New Co", slug="new-guide")
    note = question_practice(
        user=alice, question=guide.questions.first(), status="practised", answer_draft="Draft"
    )
    token, _ = api_token_create(user=alice, name="Laptop")
    question = guide.questions.last()
    start = local_today(alice) + datetime.timedelta(days=7)
    return {
        "enrol": (
            reverse("studyplan:enrol", args=[new_guide.slug]),
            {"start_date": start.isoformat(), "time_zone": "Europe/London"},
        ),
        "pause": (reverse("studyplan:pause", args=[alice_enrolment.pk]), {}),
        "resume": (reverse("studyplan:resume", args=[paused.pk]), {}),
        "leave": (reverse("studyplan:leave", args=[alice_enrolment.pk]), {}),
        "replan": (
            reverse("studyplan:replan", args=[alice_enrolment.pk]),
            {"mode": "shift", "confirm": "on"},
        ),
        "plan settings": (
            reverse("studyplan:settings", args=[alice_enrolment.pk]),
            {"reminders_enabled": ""},
        ),
        "tick": (
            reverse("studyplan:task_toggle", args=[alice_enrolment.pk, all_tasks(guide)[0].pk]),
            {"done": "1"},
        ),
        "practise": (
            reverse("practice:question", args=[guide.slug, question.slug]),
            {"status": "confident", "answer_draft": "Forged"},
        ),
        "delete note": (reverse("practice:note_delete", args=[note.pk]), {}),
        "account settings": (
            reverse("accounts:settings"),
            {
                "display_name": "Mallory",
                "time_zone": "Europe/London",
                "reminder_weekday": "1",
                "reminder_hour": "8",
            },
        ),
        "change email": (
            reverse("accounts:change_email"),
            {"email": "mallory@example.com", "password": PASSWORD},
        ),
        "rotate calendar": (reverse("accounts:rotate_calendar"), {}),
        "delete account": (reverse("accounts:delete"), {"password": PASSWORD}),
        "create token": (reverse("accounts:api_tokens"), {"name": "Forged"}),
        "revoke token": (reverse("accounts:api_token_revoke", args=[token.pk]), {}),
        "change password": (
            reverse("accounts:password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": "an entirely new passphrase 42",
                "new_password2": "an entirely new passphrase 42",
            },
        ),
    }


def snapshot() -> tuple:
    users = list(
        User.objects.order_by("pk").values_list(
            "email",
            "pending_email",
            "display_name",
            "reminders_enabled",
            "calendar_token",
            "password",
        )
    )
    enrolments = list(
        Enrolment.objects.order_by("pk").values_list(
            "guide_id", "status", "start_date", "reminders_enabled"
        )
    )
    ticks = sorted(TaskProgress.objects.values_list("enrolment_id", "task_id"))
    notes = sorted(QuestionProgress.objects.values_list("question_id", "status", "answer_draft"))
    tokens = sorted(ApiToken.objects.values_list("name", flat=True))
    return users, enrolments, ticks, notes, tokens


CASES = [
    "enrol",
    "pause",
    "resume",
    "leave",
    "replan",
    "plan settings",
    "tick",
    "practise",
    "delete note",
    "account settings",
    "change email",
    "rotate calendar",
    "delete account",
    "create token",
    "revoke token",
    "change password",
]


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
def test_candidate_form_without_csrf_token_is_refused_and_changes_nothing(alice, world, case):
    url, data = world[case]
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    before = snapshot()
    response = client.post(url, data)
    assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
def test_candidate_form_with_the_pages_csrf_token_takes_effect(alice, world, case):
    url, data = world[case]
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    client.get(reverse("accounts:settings"))
    before = snapshot()
    response = client.post(url, {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value})
    assert response.status_code in (200, 302)
    assert snapshot() != before
