"""Every public page shares the layout: skip link, navigation, breadcrumbs, title, summary."""

import re

import pytest

from tests.factories import QuestionFactory

PAGES = {
    "home": "/",
    "search": "/search/?q=lead",
    "guide": "/guides/okx-head-of-engineering/",
    "round": "/guides/okx-head-of-engineering/rounds/round-1/",
    "region": "/guides/okx-head-of-engineering/regions/region-0/",
    "bank": "/guides/okx-head-of-engineering/questions/",
    "question": "/guides/okx-head-of-engineering/questions/layout-question/",
    "plan": "/guides/okx-head-of-engineering/plan/",
}
DEFAULT_DESCRIPTION = "Interview preparation guides, study plans and progress tracking."


@pytest.fixture
def site(okx):
    QuestionFactory(guide=okx, slug="layout-question", text="A question for the layout test?")
    return okx


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES.values(), ids=PAGES.keys())
def test_page_has_the_shared_layout(client, site, url):
    body = client.get(url).content.decode()

    assert '<a class="skip-link" href="#main">Skip to main content</a>' in body
    assert '<main id="main"' in body
    assert '<nav class="site-nav" aria-label="Main">' in body
    assert '<nav class="breadcrumbs container" aria-label="Breadcrumb">' in body
    assert body.count('aria-current="page"') >= 1
    assert body.count("<h1") == 1


@pytest.mark.django_db
def test_each_page_has_its_own_title_and_description(client, site):
    titles, descriptions = set(), set()
    for url in PAGES.values():
        body = client.get(url).content.decode()
        titles.add(re.search(r"<title>(.*?)</title>", body, re.DOTALL).group(1))
        description = re.search(r'<meta name="description" content="(.*?)">', body).group(1)
        assert description != DEFAULT_DESCRIPTION
        descriptions.add(description)

    assert len(titles) == len(PAGES)
    assert len(descriptions) == len(PAGES)
