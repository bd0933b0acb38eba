import re

import pytest
from django.db import connection
from django.urls import reverse

from rounds.models import GuideStatus
from tests.factories import GuideFactory, QuestionFactory, build_guide
from tests.pages.pagetext import page_text
from tests.pages.sizes import grow_site

SEARCH = reverse("rounds:search")


@pytest.mark.django_db
def test_search_finds_guides_and_questions_with_counts(client):
    guide = build_guide(company="OKX", slug="okx")
    QuestionFactory(guide=guide, text="Design a low-latency trading system.", slug="trading")

    response = client.get(SEARCH, {"q": "trading"})

    text = page_text(response)
    assert "0 guides, 0 rounds and 1 question match “trading”." in text
    assert "Design a low-latency trading system." in text
    assert 'href="/guides/okx/questions/trading/"' in response.content.decode()

    text = page_text(client.get(SEARCH, {"q": "okx"}))
    assert "1 guide, 0 rounds and 0 questions match “okx”." in text
    assert "Head of Engineering at OKX" in text


@pytest.mark.django_db
def test_every_word_must_match(client, okx):
    QuestionFactory(guide=okx, text="Design a trading system.")
    QuestionFactory(guide=okx, text="Design a chat system.")

    text = page_text(client.get(SEARCH, {"q": "system trading"}))

    assert "Design a trading system." in text
    assert "Design a chat system." not in text


@pytest.mark.django_db
def test_search_highlights_the_words_found(client, okx):
    QuestionFactory(guide=okx, text="Design a trading system.")

    body = client.get(SEARCH, {"q": "trading"}).content.decode()

    assert "Design a <mark>trading</mark> system." in body


@pytest.mark.django_db
def test_search_escapes_what_was_typed(client, okx):
    QuestionFactory(guide=okx, text="Use <b>bold</b> claims & data.")

    body = client.get(SEARCH, {"q": "bold"}).content.decode()
    echoed = client.get(SEARCH, {"q": "<script>"}).content.decode()

    assert "<b>bold" not in body
    assert "Use &lt;b&gt;<mark>bold</mark>&lt;/b&gt; claims &amp; data." in body
    assert "<script>" not in echoed.split("<main", 1)[1].split("</main>")[0]
    assert "match “&lt;script&gt;”" in echoed


@pytest.mark.django_db
def test_search_never_shows_drafts_or_unpublished_questions(client, okx, recruiter):
    draft = GuideFactory(company="Secretco", status=GuideStatus.DRAFT)
    QuestionFactory(guide=draft, text="Secret draft trading question.")
    QuestionFactory(guide=okx, text="Unpublished trading question.", is_published=False)
    QuestionFactory(guide=okx, text="Public trading question.")
    client.force_login(recruiter)

    text = page_text(client.get(SEARCH, {"q": "trading"}))

    assert "Public trading question." in text
    assert "Secret draft" not in text
    assert "Unpublished trading question." not in text
    assert "0 guides, 0 rounds and 0 questions" in page_text(client.get(SEARCH, {"q": "Secretco"}))


@pytest.mark.django_db
def test_empty_search_explains_what_to_type(client):
    response = client.get(SEARCH, {"q": "   "})

    assert response.status_code == 200
    assert "Type a few words to find guides and interview questions" in page_text(response)


@pytest.mark.django_db
def test_search_with_no_match_suggests_fewer_words(client, okx):
    text = page_text(client.get(SEARCH, {"q": "zzzzqqq"}))

    assert "0 guides, 0 rounds and 0 questions match “zzzzqqq”." in text
    assert "No question matches every word." in text
    # No kind to choose among nothing (it listed nine kinds, all "(0)").
    assert "Kind of question" not in text
    # A chosen kind stays offered, so it can be cleared; and any match brings the kinds back.
    assert "Kind of question" in page_text(
        client.get(SEARCH, {"q": "zzzzqqq", "kind": "leadership"})
    )
    QuestionFactory(guide=okx, text="Design a trading system.")
    assert "Kind of question" in page_text(client.get(SEARCH, {"q": "trading"}))


@pytest.mark.django_db
def test_search_results_are_paginated_by_25(client, okx):
    for n in range(30):
        QuestionFactory(guide=okx, text=f"Trading question {n:02d}.", order=n)

    first = page_text(client.get(SEARCH, {"q": "trading"}))
    second = client.get(SEARCH, {"q": "trading", "page": "2"})

    assert "30 questions match" in first
    assert "Trading question 24." in first
    assert "Trading question 25." not in first
    assert "Trading question 29." in page_text(second)
    assert "Trading question 00." not in page_text(second)
    assert "?q=trading&amp;page=1" in second.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("raw", "note", "shown"),
    [
        ("abc", "“abc” is not a page number; showing page 1.", "Trading question 00."),
        ("9999", "There is no page 9999; showing page 2 of 2.", "Trading question 29."),
        ("0", "There is no page 0; showing page 2 of 2.", "Trading question 29."),
    ],
)
def test_bad_search_page_falls_back_with_a_note(client, okx, raw, note, shown):
    for n in range(30):
        QuestionFactory(guide=okx, text=f"Trading question {n:02d}.", order=n)

    response = client.get(SEARCH, {"q": "trading", "page": raw})

    assert response.status_code == 200
    assert note in page_text(response)
    assert shown in page_text(response)


@pytest.mark.django_db
def test_a_broad_search_shows_the_first_matches_and_asks_for_another_word(client, okx, monkeypatch):
    monkeypatch.setattr("search.services.MAX_QUESTIONS", 10)
    for n in range(30):
        QuestionFactory(guide=okx, text=f"Trading question {n:02d}.", order=n)

    first = page_text(client.get(SEARCH, {"q": "trading"}))
    last = page_text(client.get(SEARCH, {"q": "trading", "page": "9"}))

    assert "more than 10 questions match “trading”" in first
    assert "The first 10 are shown; add a word to narrow the search." in first
    # Which ten the index hands over first is the database's choice; ten, each once, are shown.
    shown = re.findall(r"Trading question (\d\d)\.", first)
    assert len(shown) == len(set(shown)) == 10
    assert "There is no page 9; showing page 1 of 1." in last
    assert "Trading question 12." in page_text(client.get(SEARCH, {"q": "trading 12"}))


@pytest.mark.django_db
def test_search_query_count_is_fixed(client, okx, django_assert_num_queries):
    # Guides, rounds, the ranked questions and the page; on PostgreSQL first the words'
    # corrections.
    queries = 5 if connection.vendor == "postgresql" else 4
    with django_assert_num_queries(queries):
        client.get(SEARCH, {"q": "lead"})

    grow_site(50)

    with django_assert_num_queries(queries):
        response = client.get(SEARCH, {"q": "lead"})
    assert "Page 1 of 9" in page_text(response)


@pytest.mark.django_db
def test_search_keeps_to_the_first_ten_words(client, okx):
    QuestionFactory(guide=okx, text="Design a trading system.")

    response = client.get(SEARCH, {"q": "trading " + "system " * 50})

    assert response.status_code == 200
    assert "1 question match" in page_text(response)
    assert "“trading system system system system system system system system system”" in (
        page_text(response)
    )


@pytest.mark.django_db
def test_results_are_grouped_into_guides_rounds_and_questions(client, okx):
    QuestionFactory(guide=okx, text="Design a trading system.")
    okx.rounds.filter(order=2).update(title="Trading systems")

    body = client.get(SEARCH, {"q": "trading"}).content.decode()

    assert body.index('id="guide-results"') < body.index('id="round-results"')
    assert body.index('id="round-results"') < body.index('id="question-results"')
    assert "0 guides, 1 round and 1 question match “trading”." in page_text(
        client.get(SEARCH, {"q": "trading"})
    )
    assert "Round 2 of Head of Engineering at OKX" in page_text(
        client.get(SEARCH, {"q": "trading"})
    )


@pytest.mark.django_db
def test_the_kind_filter_counts_every_match_and_disables_empty_kinds(client, okx):
    QuestionFactory(guide=okx, text="Design a ledger.", kind="system_design")
    QuestionFactory(guide=okx, text="A ledger you broke.", kind="behavioural")

    body = client.get(SEARCH, {"q": "ledger", "kind": "behavioural"}).content.decode()

    assert "<legend>Kind of question</legend>" in body
    assert 'id="kind-any"><label for="kind-any">All kinds <span class="count">(2)</span>' in body
    assert 'value="system_design" id="kind-system_design"><label' in body
    assert 'value="behavioural" id="kind-behavioural" checked>' in body
    assert 'value="coding" id="kind-coding" disabled>' in body
    text = page_text(client.get(SEARCH, {"q": "ledger", "kind": "behavioural"}))
    assert "A ledger you broke." in text
    assert "Design a ledger." not in text
    assert "1 question match “ledger” (Behavioural)." in text


@pytest.mark.django_db
def test_an_unknown_kind_is_explained_and_ignored(client, okx):
    QuestionFactory(guide=okx, text="Design a ledger.")

    response = client.get(SEARCH, {"q": "ledger", "kind": "<nope>"})

    assert response.status_code == 200
    assert "There is no kind “<nope>”; showing every kind." in page_text(response)
    assert "Design a ledger." in page_text(response)


@pytest.mark.django_db
def test_search_page_applies_itself_with_htmx_and_has_one_search_box(client, okx):
    body = client.get(SEARCH, {"q": "ledger"}).content.decode()

    assert 'data-hx-trigger="submit, change"' in body
    assert 'data-hx-push-url="true"' in body
    assert 'id="result-count" class="results-summary" role="status"' in body
    assert body.count('type="search"') == 1


@pytest.mark.django_db
def test_a_corrected_word_is_said(client, okx):
    QuestionFactory(guide=okx, text="How do you keep the business aligned?")

    text = page_text(client.get(SEARCH, {"q": "stakholder"}))

    assert "Showing results for “stakeholder”." in text
    assert "How do you keep the business aligned?" in text
