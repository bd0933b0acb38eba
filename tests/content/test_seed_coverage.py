"""Every line of the seed text reaches the product word for word."""

import pytest

from rounds.models import Guide

from .conftest import SOURCE_FILE

# Section headings and sentences the pages print themselves; listed here for the pages engineer.
PAGE_HEADINGS = {
    "Overall Evaluation Criteria",
    "Preparation Tips",
    "Study Plan",
    "Commonly Asked Questions",
    "Location-Based Differences",
    "Interview Focus",
    "Common Questions",
    "Tips",
    "Process Timeline",
    "Interview Rounds",
    "4-step process with detailed breakdown for each round",
    "What Interviewers Look For",
    "Evaluation Criteria",
    "Questions Asked",
    "Common Reasons for Rejection",
    "Commonly Asked DSA Questions",
    "Frequently asked coding questions at OKX",
}


def stored_texts(guide: Guide) -> set[str]:
    """Every text the database holds for the guide, plus its metadata as displayed."""
    guide = Guide.objects.with_round_count().get(pk=guide.pk)
    texts = {
        guide.category,
        guide.summary,
        str(guide.round_count),
        guide.duration_display(),
        guide.experience_display(),
        # The source writes the range bare ("US$180000 - US$250000"); pages group the digits.
        guide.salary_display().replace(",", "").replace(" – ", " - "),
        guide.total_minutes_display(),
    }
    texts |= {c.title for c in guide.criteria.all()} | {c.description for c in guide.criteria.all()}
    for rnd in guide.rounds.all():
        texts |= {rnd.title, rnd.summary, rnd.description}
    for variant in guide.regional_variants.all():
        texts.add(variant.region.name)
    texts |= {q.text for q in guide.questions.all()}
    for block in guide.study_blocks.all():
        texts |= {block.title, block.headline, block.description}
    return texts


def content_lines() -> list[str]:
    lines = SOURCE_FILE.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and line not in PAGE_HEADINGS]


def test_the_seed_has_the_expected_number_of_content_lines():
    assert len(content_lines()) == 63


@pytest.mark.django_db
@pytest.mark.parametrize("line", content_lines())
def test_every_seed_line_is_stored_verbatim(seed_guide, line):
    assert line in stored_texts(seed_guide)


@pytest.mark.django_db
def test_every_page_heading_of_the_seed_is_a_real_heading_line():
    lines = set(SOURCE_FILE.read_text(encoding="utf-8").splitlines())
    assert PAGE_HEADINGS <= lines
