import pytest
from django.db import connection
from django.urls import reverse

from questions.models import QuestionKind
from rounds.models import GuideStatus
from tests.factories import QuestionFactory, RegionFactory, TagFactory, build_guide
from tests.pages.pagetext import page_text
from tests.pages.sizes import grow_site


def bank_url(guide) -> str:
    return reverse("questions:list", kwargs={"guide_slug": guide.slug})


@pytest.fixture
def bank(okx):
    """The OKX guide plus a few distinctive questions to filter for."""
    rnd = okx.rounds.get(order=2)
    QuestionFactory(
        guide=okx, round=rnd, kind=QuestionKind.SYSTEM_DESIGN, text="Design a trading engine."
    ).tags.add(TagFactory(name="scale"))
    QuestionFactory(
        guide=okx,
        region=RegionFactory(slug="region-1"),
        kind=QuestionKind.STRATEGY,
        text="How do regulations differ in Asia?",
    )
    QuestionFactory(guide=okx, kind=QuestionKind.CODING, text="Reverse a linked list.")
    return okx


@pytest.mark.django_db
def test_bank_lists_every_published_question_with_a_count(client, bank):
    response = client.get(bank_url(bank))

    text = page_text(response)
    assert response.status_code == 200
    assert "25 questions" in text
    assert "Page 1 of 1" not in text  # 25 fit on one page: no pagination shown
    assert "Design a trading engine." in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "shown", "count"),
    [
        ({"round": "round-2"}, "Design a trading engine.", 6),
        ({"region": "region-1"}, "How do regulations differ in Asia?", 2),
        ({"kind": "coding"}, "Reverse a linked list.", 1),
        ({"tag": "scale"}, "Design a trading engine.", 1),
        ({"q": "trading engine"}, "Design a trading engine.", 1),
        ({"round": "round-2", "kind": "system_design", "tag": "scale"}, "trading engine", 1),
    ],
)
def test_bank_filters_by_round_region_kind_tag_and_text(client, bank, params, shown, count):
    text = page_text(client.get(bank_url(bank), params))

    assert f"{count} question" in text
    assert shown in text
    if params != {"kind": "coding"}:
        assert "Reverse a linked list." not in text


@pytest.mark.django_db
def test_active_filters_are_shown_and_each_can_be_cleared(client, bank):
    response = client.get(bank_url(bank), {"round": "round-2", "kind": "system_design"})

    body = response.content.decode()
    text = page_text(response)
    assert "Round: Round 2 × (remove this filter)" in text
    assert "Kind: System design × (remove this filter)" in text
    assert 'href="/guides/okx-head-of-engineering/questions/?kind=system_design"' in body
    assert 'href="/guides/okx-head-of-engineering/questions/?round=round-2"' in body
    assert "Clear all" in text


@pytest.mark.django_db
def test_filter_form_is_labelled_and_offers_only_this_guides_choices(client, bank):
    build_guide(company="Other", slug="other", rounds=6)

    body = client.get(bank_url(bank)).content.decode()

    assert '<label for="id_q">Search this bank</label>' in body
    assert '<label for="id_tag">Tag</label>' in body
    for legend in ["Round", "Region", "Kind"]:
        assert f"<legend>{legend}</legend>" in body
    assert 'value="round-4" id="id_round_4"><label for="id_round_4">Round 4 ' in body
    assert 'value="round-5"' not in body
    assert '<option value="scale">scale (1)</option>' in body


@pytest.mark.django_db
def test_unknown_filter_value_is_explained_and_ignored(client, bank):
    response = client.get(bank_url(bank), {"round": "no-such-round", "kind": "coding"})

    text = page_text(response)
    assert response.status_code == 200
    assert "Round: there is no “no-such-round” in this guide, so that filter is ignored." in text
    assert "1 question matches your filters" in text
    # The options count with the valid filter applied, as the list does.
    assert 'All rounds <span class="count">(1)</span>' in response.content.decode()


@pytest.mark.django_db
def test_bank_paginates_25_per_page_and_page_links_keep_filters(client, okx):
    for n in range(40):
        QuestionFactory(guide=okx, kind=QuestionKind.CODING, text=f"Coding task {n:02d}.", order=n)

    first = client.get(bank_url(okx), {"kind": "coding"})
    second = client.get(bank_url(okx), {"kind": "coding", "page": "2"})

    assert "40 questions match your filters" in page_text(first)
    assert "Coding task 24." in page_text(first)
    assert "Coding task 25." not in page_text(first)
    assert '<a href="?kind=coding&amp;page=2" rel="next">' in first.content.decode()
    assert "Coding task 39." in page_text(second)
    assert '<a href="?kind=coding&amp;page=1" rel="prev">' in second.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("raw", "note"),
    [
        ("abc", "“abc” is not a page number; showing page 1."),
        ("9999", "There is no page 9999; showing page 2 of 2."),
        ("-1", "There is no page -1; showing page 2 of 2."),
    ],
)
def test_bad_page_values_fall_back_with_a_note(client, okx, raw, note):
    for _ in range(10):
        QuestionFactory(guide=okx)

    response = client.get(bank_url(okx), {"page": raw})

    assert response.status_code == 200
    assert note in page_text(response)


@pytest.mark.django_db
def test_filters_with_no_match_offer_the_whole_bank(client, okx):
    text = page_text(client.get(bank_url(okx), {"q": "zzzqqq"}))

    assert "0 questions match your filters" in text
    assert "No question matches these filters." in text
    assert "Show all questions of this guide" in text


@pytest.mark.django_db
def test_unpublished_questions_are_hidden_from_visitors_and_marked_for_staff(
    client, okx, recruiter
):
    QuestionFactory(guide=okx, text="Not ready yet?", is_published=False)

    assert "Not ready yet?" not in page_text(client.get(bank_url(okx)))
    client.force_login(recruiter)
    assert "Not ready yet? Leadership Unpublished" in page_text(client.get(bank_url(okx)))


@pytest.mark.django_db
def test_bank_of_a_draft_or_unknown_guide_is_404(client):
    draft = build_guide(status=GuideStatus.DRAFT)

    assert client.get(bank_url(draft)).status_code == 404
    assert client.get("/guides/nope/questions/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "queries"),
    [
        # The guide's filter index (five queries, then kept per guide version) counts the
        # options and the results, however many options and filters; a search also reads the
        # ids its words match, and on PostgreSQL first looks up their corrections.
        ({}, 8),
        (
            {"round": "round-1", "tag": "leadership", "q": "lead", "kind": "leadership"},
            10 if connection.vendor == "postgresql" else 9,
        ),
    ],
)
def test_bank_query_count_is_fixed(
    client, okx, big_guide, django_assert_num_queries, params, queries
):
    grow_site(10)

    with django_assert_num_queries(queries):
        client.get(bank_url(okx), params)
    with django_assert_num_queries(queries):
        response = client.get(bank_url(big_guide), params)
    assert "question" in page_text(response)


@pytest.mark.django_db
def test_a_very_long_text_search_still_answers(client, bank):
    response = client.get(bank_url(bank), {"q": " ".join(["trading"] * 60)})

    assert response.status_code == 200
    assert "1 question matches your filters" in page_text(response)


@pytest.mark.django_db
def test_a_null_character_in_the_search_is_refused_with_a_message(client, bank):
    response = client.get(bank_url(bank), {"q": "trad\x00ing"})

    # Refused site-wide before the view (prep/bad_input.py): PostgreSQL cannot hold NUL.
    assert response.status_code == 400
    assert "NUL character" in page_text(response)


def _option(body: str, name: str, value: str) -> str:
    """The radio input of one option and its label, as rendered."""
    start = body.index(f'name="{name}" value="{value}"')
    return body[start : body.index("</label>", start)]


@pytest.mark.django_db
def test_each_option_shows_how_many_questions_it_would_show(client, bank):
    body = client.get(bank_url(bank)).content.decode()

    assert 'All rounds <span class="count">(25)</span>' in _option(body, "round", "")
    assert 'Round 2 <span class="count">(6)</span>' in _option(body, "round", "round-2")
    assert 'Leadership <span class="count">(22)</span>' in _option(body, "kind", "leadership")
    assert "(1)" in _option(body, "kind", "coding")
    assert '<option value="leadership">leadership (20)</option>' in body


@pytest.mark.django_db
def test_options_that_would_show_nothing_cannot_be_chosen(client, bank):
    body = client.get(bank_url(bank)).content.decode()

    behavioural = _option(body, "kind", "behavioural")
    assert "disabled" in behavioural
    assert "(0)" in behavioural
    assert "disabled" not in _option(body, "kind", "leadership")


@pytest.mark.django_db
def test_counts_follow_the_other_filters_but_not_their_own(client, bank):
    body = client.get(bank_url(bank), {"kind": "system_design"}).content.decode()

    # Rounds are counted among system design questions: only round 2 has one.
    assert "(1)" in _option(body, "round", "round-2")
    assert "disabled" in _option(body, "round", "round-1")
    # Kinds are counted as if no kind were chosen, so another can be picked.
    assert "(22)" in _option(body, "kind", "leadership")
    assert "checked" in _option(body, "kind", "system_design")
    text = page_text(client.get(bank_url(bank), {"kind": "system_design", "q": "trading"}))
    assert "1 question matches your filters" in text


@pytest.mark.django_db
def test_a_chosen_option_with_no_result_stays_choosable(client, bank):
    body = client.get(bank_url(bank), {"kind": "behavioural"}).content.decode()

    behavioural = _option(body, "kind", "behavioural")
    assert "checked" in behavioural
    assert "disabled" not in behavioural


@pytest.mark.django_db
def test_filters_apply_themselves_with_htmx_and_still_work_as_a_plain_form(client, bank):
    body = client.get(bank_url(bank)).content.decode()

    form = body[
        body.index('<form id="bank-filters"') : body.index("</form>", body.index("bank-filters"))
    ]
    assert 'method="get"' in form
    assert 'data-hx-trigger="submit, change"' in form
    assert 'data-hx-push-url="true"' in form
    assert '<button type="submit" class="button">Apply filters</button>' in form
    assert 'id="result-count" class="results-summary" role="status"' in body
    assert "htmx.min.js" in body
    # One search box: the bank's own, not the site header's too.
    assert body.count('type="search"') == 1


@pytest.mark.django_db
def test_an_htmx_request_gets_the_same_page_to_swap_from(client, bank):
    plain = client.get(bank_url(bank), {"kind": "strategy"})
    swapped = client.get(bank_url(bank), {"kind": "strategy"}, HTTP_HX_REQUEST="true")

    assert swapped.status_code == 200
    assert page_text(swapped) == page_text(plain)
    assert "1 question matches your filters" in page_text(swapped)
