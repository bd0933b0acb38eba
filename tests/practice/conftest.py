import pytest

from tests.factories import build_guide


@pytest.fixture
def guide(db):
    """An 8-week guide: 2 rounds of 3 questions, 4 blocks of 2 weeks with 3 tasks each."""
    return build_guide(
        company="OKX", slug="okx-head-of-engineering", rounds=2, questions_per_round=3, blocks=4
    )
