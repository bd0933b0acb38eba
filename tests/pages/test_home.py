import datetime

import pytest
from django.urls import reverse

from rounds.models import GuideStatus
from tests.factories import GuideFactory, build_guide
from tests.pages.pagetext import page_text
from tests.pages.sizes import grow_site

HOME = reverse("rounds:home")


@pytest.mark.django_db
def test_home_lists_published_guides_with_their_facts(client, okx):
    response = client.get(HOME)

    text = page_text(response)
    assert response.status_code == 200
    assert "OKX" in text
    assert "Head of Engineering" in text
    assert "Software Engineering Manager" in text
    assert "Rounds 4" in text
    assert "~14 days" in text
    assert "8 - 15 yrs" in text
    assert "US$180,000 – US$250,000" in text
    assert "Content not checked yet" in text
    assert f'href="{okx.get_absolute_url()}"' in response.content.decode()


@pytest.mark.django_db
def test_home_shows_when_a_guide_was_last_reviewed(client):
    build_guide(company="Acme", last_reviewed=datetime.date(2026, 3, 2))

    assert "Content last checked 2 March 2026" in page_text(client.get(HOME))


@pytest.mark.django_db
def test_draft_guide_is_hidden_from_visitors_on_home(client, okx, alice):
    GuideFactory(company="Secretco", status=GuideStatus.DRAFT)

    assert "Secretco" not in page_text(client.get(HOME))
    client.force_login(alice)
    assert "Secretco" not in page_text(client.get(HOME))


@pytest.mark.django_db
def test_staff_see_draft_guides_marked_as_draft(client, recruiter):
    GuideFactory(company="Secretco", status=GuideStatus.DRAFT)
    client.force_login(recruiter)

    text = page_text(client.get(HOME))

    assert "Secretco Draft" in text


@pytest.mark.django_db
def test_home_has_a_labelled_search_box_sending_to_search(client):
    body = client.get(HOME).content.decode()

    assert f'action="{reverse("rounds:search")}"' in body
    assert '<label for="home-search-q">' in body
    assert 'id="home-search-q" type="search" name="q"' in body


@pytest.mark.django_db
def test_home_without_guides_says_so(client):
    assert "No guides are published yet" in page_text(client.get(HOME))


@pytest.mark.django_db
def test_home_has_title_description_skip_link_and_current_page(client, okx):
    body = client.get(HOME).content.decode()

    assert "<title>Interview guides · Prep</title>" in body
    assert '<meta name="description" content="Free, detailed interview guides' in body
    assert '<a class="skip-link" href="#main">' in body
    assert '<main id="main"' in body
    assert 'aria-current="page">Guides</a>' in body


@pytest.mark.django_db
def test_home_query_count_is_fixed(client, okx, django_assert_num_queries):
    # The number of guides, the page's guides, then those guides with their counts.
    with django_assert_num_queries(3):
        client.get(HOME)

    grow_site(50)

    with django_assert_num_queries(3):
        response = client.get(HOME)
    assert "(51)" in page_text(response)


@pytest.mark.django_db
def test_home_shows_guides_a_page_at_a_time(client):
    for n in range(30):
        GuideFactory(company=f"Company {n:02d}", slug=f"company-{n:02d}")

    first = page_text(client.get(HOME))
    second = page_text(client.get(HOME, {"page": "2"}))

    assert "Interview guides (30)" in first
    assert "Company 00" in first and "Company 23" in first and "Company 24" not in first
    assert "Page 1 of 2" in first and "Next →" in first
    assert 'href="?page=2#guides-title"' in client.get(HOME).content.decode()
    assert "Company 24" in second and "Company 29" in second and "Company 23" not in second
    assert "Page 2 of 2" in second


@pytest.mark.django_db
def test_home_with_a_page_that_does_not_exist_shows_the_nearest_and_says_so(client):
    for n in range(30):
        GuideFactory(company=f"Company {n:02d}", slug=f"company-{n:02d}")

    beyond = client.get(HOME, {"page": "9"})
    nonsense = client.get(HOME, {"page": "x"})

    assert beyond.status_code == 200 and nonsense.status_code == 200
    assert "There is no page 9; showing page 2 of 2." in page_text(beyond)
    assert "Company 29" in page_text(beyond)
    assert "“x” is not a page number; showing page 1." in page_text(nonsense)
