"""The seed guide reaches the product word for word: every line of the source is on a page."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from rounds.models import Guide
from tests.pages.pagetext import page_text

CONTENT = Path(settings.BASE_DIR) / "content"


def public_pages_of(guide: Guide) -> list[str]:
    urls = [
        reverse("rounds:home"),
        guide.get_absolute_url(),
        reverse("studyplan:plan", kwargs={"guide_slug": guide.slug}),
        reverse("questions:list", kwargs={"guide_slug": guide.slug}) + "?page=1",
        reverse("questions:list", kwargs={"guide_slug": guide.slug}) + "?page=2",
    ]
    urls += [r.get_absolute_url() for r in guide.rounds.all()]
    urls += [v.get_absolute_url() for v in guide.regional_variants.select_related("region")]
    urls += [q.get_absolute_url() for q in guide.questions.all()]
    return urls


@pytest.mark.django_db
def test_every_line_of_the_seed_appears_on_a_public_page(client, recruiter):
    """Every line is on a page a visitor sees, except the headings the source leaves empty:
    those are listed for recruiters only, on the same pages, as sections still to write."""
    call_command("import_guide", str(CONTENT / "okx-head-of-engineering.yaml"))
    guide = Guide.objects.get(slug="okx-head-of-engineering")
    staff = Client()
    staff.force_login(recruiter)

    texts, gaps = [], []
    for url in public_pages_of(guide):
        response = client.get(url)
        assert response.status_code == 200, url
        texts.append(page_text(response))
        staff_text = page_text(staff.get(url))
        gaps += re.findall(
            r"Not yet written for this \w+ \(only staff see this list\): ([^.]*)", staff_text
        )
    everything = "\n".join(texts)
    unwritten = " · ".join(gaps)

    source = (CONTENT / "source-okx-head-of-engineering.txt").read_text(encoding="utf-8")
    lines = [" ".join(line.split()) for line in source.splitlines() if line.strip()]
    # The source writes the salary bare; pages group its digits ("US$180,000 – US$250,000").
    salary = guide.salary_display()
    lines = [
        salary if line == salary.replace(",", "").replace(" – ", " - ") else line for line in lines
    ]
    missing = [line for line in lines if line not in everything and line not in unwritten]
    assert missing == []
    assert "What Interviewers Look For" in unwritten  # the seed leaves it empty for every round


@pytest.mark.django_db
def test_seed_guide_page_shows_its_metadata_and_generated_lines(client):
    call_command("import_guide", str(CONTENT / "okx-head-of-engineering.yaml"))

    text = page_text(client.get("/guides/okx-head-of-engineering/"))

    assert "Rounds 4 Duration ~14 days Experience 8 - 15 yrs" in text
    assert "Salary US$180,000 – US$250,000 Interview time 225 min" in text
    assert "Interview Rounds 4-step process with detailed breakdown for each round" in text
    # The seed has no coding questions: the section is a recruiter's to-do, not a visitor's.
    assert "Commonly Asked DSA Questions" not in text
