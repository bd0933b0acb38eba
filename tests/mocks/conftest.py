import pytest

from tests.factories import EnrolmentFactory, build_guide


@pytest.fixture
def guide(db):
    """A guide of 2 rounds of 5 questions, regions "region-0" and "region-1", one criterion."""
    return build_guide(company="OKX", slug="okx", rounds=2, questions_per_round=5, blocks=1)


@pytest.fixture
def round2(guide):
    return guide.rounds.get(order=2)


@pytest.fixture
def enrolled_alice(alice, guide):
    EnrolmentFactory(user=alice, guide=guide)
    return alice
