"""The dashboard's dates read right whether the plan has begun or not."""

import datetime
import re

import pytest
from django.urls import reverse

from tests.factories import EnrolmentFactory
from tests.studyplan.conftest import days_ago, local_today


def _dates_section(page: str) -> str:
    return re.search(r'<dl class="plan-dates">(.*?)</dl>', page, re.S).group(1)


@pytest.mark.django_db
def test_a_plan_that_has_not_begun_says_when_it_starts(client, alice, guide):
    start = local_today(alice) + datetime.timedelta(days=3)
    EnrolmentFactory(user=alice, guide=guide, start_date=start)
    client.force_login(alice)
    dates = _dates_section(client.get(reverse("studyplan:dashboard")).content.decode())
    assert "<dt>Starts</dt>" in dates
    assert "Started" not in dates
    assert start.strftime("%d %b %Y").lstrip("0") in dates


@pytest.mark.django_db
def test_a_plan_under_way_says_when_it_started(client, alice, guide):
    EnrolmentFactory(user=alice, guide=guide, start_date=days_ago(alice, 10))
    client.force_login(alice)
    dates = _dates_section(client.get(reverse("studyplan:dashboard")).content.decode())
    assert "<dt>Started</dt>" in dates
