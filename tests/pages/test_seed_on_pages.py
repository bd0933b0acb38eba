"""The seed guide reaches the product word for word: every line of the source is on a page."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
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
def test_every_line_of_the_seed_appears_on_a_public_page(client):
    call_command("import_guide", str(CONTENT / "okx-head-of-engineering.yaml"))
    guide = Guide.objects.get(slug="okx-head-of-engineering")

    texts = []
    for url in public_pages_of(guide):
        response = client.get(url)
        assert response.status_code == 200, url
        texts.append(page_text(response))
    everything = "\n".join(texts)

    source = (CONTENT / "source-okx-head-of-engineering.txt").read_text(encoding="utf-8")
    lines = [" ".join(line.split()) for line in source.splitlines() if line.strip()]
    missing = [line for line in lines if line not in everything]
    assert missing == []


@pytest.mark.django_db
def test_seed_guide_page_shows_its_metadata_and_generated_lines(client):
    call_command("import_guide", str(CONTENT / "okx-head-of-engineering.yaml"))

    text = page_text(client.get("/guides/okx-head-of-engineering/"))

    assert "Rounds 4 Duration ~14 days Experience 8 - 15 yrs" in text
    assert "Salary US$180000 - US$250000 Interview time 225 min" in text
    assert "Interview Rounds 4-step process with detailed breakdown for each round" in text
    assert "Commonly Asked DSA Questions (Frequently asked coding questions at OKX)" in text
