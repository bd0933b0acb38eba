import datetime
import zoneinfo

import pytest

from studyplan.models import Enrolment, TaskProgress
from tests.factories import EnrolmentFactory, build_guide


def local_today(user) -> datetime.date:
    return datetime.datetime.now(zoneinfo.ZoneInfo(user.time_zone)).date()


def days_ago(user, days: int) -> datetime.date:
    return local_today(user) - datetime.timedelta(days=days)


def all_tasks(guide) -> list:
    return [task for block in guide.study_blocks.all() for task in block.tasks.all()]


def tick(enrolment: Enrolment, tasks) -> None:
    for task in tasks:
        TaskProgress.objects.get_or_create(enrolment=enrolment, task=task)


@pytest.fixture
def guide(db):
    """An 8-week guide: 2 rounds of 3 questions, 4 blocks of 2 weeks with 3 tasks each."""
    return build_guide(
        company="OKX", slug="okx-head-of-engineering", rounds=2, questions_per_round=3, blocks=4
    )


@pytest.fixture
def alice_enrolment(alice, guide) -> Enrolment:
    """Alice in week 3 (the second block) of the guide."""
    return EnrolmentFactory(user=alice, guide=guide, start_date=days_ago(alice, 14))
