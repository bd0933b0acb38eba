"""Money as people read it: thousands grouped, in the guide's currency style."""

import pytest

from tests.factories import GuideFactory
from tests.pages.pagetext import page_text


@pytest.mark.parametrize(
    ("currency", "low", "high", "shown"),
    [
        ("USD", 180000, 250000, "US$180,000 – US$250,000"),
        ("EUR", 95000, None, "from €95,000"),
        ("SGD", None, 1200000, "up to S$1,200,000"),
        ("CHF", 150000, 200000, "CHF 150,000 – CHF 200,000"),
        ("USD", None, None, ""),
    ],
)
@pytest.mark.django_db
def test_salary_is_grouped_in_the_currency_style(currency, low, high, shown):
    guide = GuideFactory(salary_currency=currency, salary_min=low, salary_max=high)
    assert guide.salary_display() == shown


@pytest.mark.django_db
def test_guide_page_and_home_show_the_grouped_salary(client):
    guide = GuideFactory(salary_currency="USD", salary_min=180000, salary_max=250000)
    assert "US$180,000 – US$250,000" in page_text(client.get(guide.get_absolute_url()))
    assert "US$180,000 – US$250,000" in page_text(client.get("/"))
