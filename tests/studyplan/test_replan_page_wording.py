"""The re-plan page states where the candidate is in words that fit every state of the plan."""

import datetime
import re

import pytest
from django.urls import reverse

from tests.factories import EnrolmentFactory
from tests.studyplan.conftest import days_ago, local_today


def _summary(client, enrolment) -> str:
    page = client.get(reverse("studyplan:replan", args=[enrolment.pk])).content.decode()
    paragraph = re.search(r"<h1>.*?</h1>\s*<p>(.*?)</p>", page, re.S).group(1)
    return re.sub(r"<[^>]+>", "", paragraph)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "start_offset,expected",
    [
        (-15, "Week 3 of 8: you have done 0 of 12 tasks"),
        (4, "Starts in 4 days: you have done 0 of 12 tasks"),
        (-70, "Plan finished: you have done 0 of 12 tasks"),
    ],
)
def test_replan_page_says_where_the_candidate_is(client, alice, guide, start_offset, expected):
    start = local_today(alice) + datetime.timedelta(days=start_offset)
    enrolment = EnrolmentFactory(user=alice, guide=guide, start_date=start)
    client.force_login(alice)
    summary = _summary(client, enrolment)
    assert summary.startswith(expected)
    assert "You are at" not in summary


@pytest.mark.django_db
def test_replan_page_names_the_first_week_with_unfinished_tasks(client, alice, guide):
    enrolment = EnrolmentFactory(user=alice, guide=guide, start_date=days_ago(alice, 20))
    client.force_login(alice)
    assert "the first week with unfinished tasks is week 1" in _summary(client, enrolment)
