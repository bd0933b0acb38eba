import pytest

from tests.factories import EnrolmentFactory, build_guide


@pytest.fixture
def guide(db):
    """3 rounds of 3 questions and two overall criteria."""
    guide = build_guide(company="OKX", slug="okx", rounds=3, questions_per_round=3, blocks=1)
    guide.criteria.create(order=2, title="Strategic thinking")
    return guide


@pytest.fixture
def enrolled_alice(alice, guide):
    EnrolmentFactory(user=alice, guide=guide)
    return alice
