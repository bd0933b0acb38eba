import pytest

from tests.factories import build_guide


@pytest.fixture
def okx(db):
    """A small published guide shaped like the seed: four rounds, two regions, four blocks."""
    return build_guide(company="OKX", slug="okx-head-of-engineering")


@pytest.fixture
def big_guide(db):
    """A guide of 200 questions, to show a page's query count does not grow with content."""
    return build_guide(
        company="Bigco",
        slug="bigco-head-of-engineering",
        rounds=8,
        questions_per_round=25,
        regions=4,
        blocks=8,
        tasks_per_block=10,
    )
