"""Full-text search on PostgreSQL finds what a person expects in the seed guide, best first."""

import pytest
from django.db import connection

from questions.models import Question, QuestionKind
from rounds.models import GuideStatus
from search import postgres
from search.services import question_hits, site_search
from search.terms import corrections, read_terms
from tests.factories import GuideFactory, QuestionFactory, RoundFactory, TagFactory
from tests.search.expectations import EXPECTED

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search is PostgreSQL's (CI runs it)"
)


def _texts(results) -> list[str]:
    texts = dict(Question.objects.filter(pk__in=results.question_ids).values_list("pk", "text"))
    return [texts[pk] for pk in results.question_ids]


@pytest.mark.django_db
@pytest.mark.parametrize("query", list(EXPECTED))
def test_seed_guide_search_finds_what_a_person_expects(seed_guide, query):
    wanted, unwanted, rounds = EXPECTED[query]

    results = site_search(query)

    texts = _texts(results)
    for text in wanted:
        assert any(found.startswith(text) for found in texts), (query, text, texts)
    assert texts[0].startswith(wanted[0]), (query, texts)
    for text in unwanted:
        assert not any(found.startswith(text) for found in texts), (query, text)
    assert [hit.round.title for hit in results.rounds][: len(rounds)] == rounds


@pytest.mark.django_db
def test_question_text_ranks_above_guidance_above_tags(okx_like):
    QuestionFactory(guide=okx_like, text="Tell us about a merger.", slug="tag").tags.add(
        TagFactory(name="negotiation")
    )
    QuestionFactory(
        guide=okx_like, text="Tell us about a deal.", guidance="Show your negotiation.", slug="g"
    )
    QuestionFactory(guide=okx_like, text="How do you lead a negotiation?", slug="text")

    results = site_search("negotiation")

    assert [Question.objects.get(pk=pk).slug for pk in results.question_ids] == [
        "text",
        "g",
        "tag",
    ]


@pytest.mark.django_db
def test_the_document_follows_edits_tags_and_renames(okx_like):
    question = QuestionFactory(guide=okx_like, text="Describe a launch.")
    assert site_search("rollout").question_ids == []

    tag = TagFactory(name="rollout")
    question.tags.add(tag)
    assert site_search("rollout").question_ids == [question.pk]

    tag.name = "shipping"
    tag.save()
    assert site_search("rollout").question_ids == []
    assert site_search("shipping").question_ids == [question.pk]

    question.tags.remove(tag)
    assert site_search("shipping").question_ids == []

    question.text = "Describe a rollout."
    question.save()
    assert site_search("rollouts").question_ids == [question.pk]


@pytest.mark.django_db
def test_a_typo_in_a_word_of_the_content_still_finds_it(okx_like):
    question = QuestionFactory(guide=okx_like, text="How do you mentor new managers?")

    assert site_search("mentr managers").question_ids == [question.pk]


@pytest.mark.django_db
def test_stop_words_do_not_stop_a_match(okx_like):
    question = QuestionFactory(guide=okx_like, text="Design a trading system.")

    assert site_search("the trading system").question_ids == [question.pk]


@pytest.mark.django_db
def test_guides_and_rounds_are_found_and_ranked(okx_like):
    other = GuideFactory(
        company="Acme", role="Staff Engineer", slug="acme", status=GuideStatus.PUBLISHED
    )
    RoundFactory(guide=other, order=1, title="Payments deep dive", slug="payments")
    RoundFactory(
        guide=okx_like, order=9, title="Culture", summary="Payments come up.", slug="culture"
    )
    GuideFactory(company="Payments Inc", slug="draft", status=GuideStatus.DRAFT)

    results = site_search("payments")

    assert [hit.round.slug for hit in results.rounds] == ["payments", "culture"]
    assert results.guides == []
    assert [hit.guide.slug for hit in site_search("acme").guides] == ["acme"]


@pytest.mark.django_db
def test_matches_are_marked_and_everything_else_escaped(okx_like):
    text = "<script>alert(1)</script> Scaling & <b>you</b>"
    question = QuestionFactory(guide=okx_like, text=text)

    hits = question_hits(site_search("scale").question_ids, read_terms("scale"))

    assert [hit.question.pk for hit in hits] == [question.pk]
    assert str(hits[0].text_html) == (
        "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Scaling</mark> &amp; &lt;b&gt;you&lt;/b&gt;"
    )


@pytest.mark.django_db
def test_marker_characters_in_content_are_never_read_as_marks(okx_like):
    QuestionFactory(guide=okx_like, text=f"Odd {postgres.START}scaling{postgres.STOP} text")

    hits = question_hits(site_search("scaling").question_ids, read_terms("scaling"))

    assert "<mark>" not in str(hits[0].text_html)


@pytest.mark.django_db
def test_kind_counts_cover_every_match_and_the_kind_filter_narrows(okx_like):
    QuestionFactory(guide=okx_like, text="Design a ledger.", kind=QuestionKind.SYSTEM_DESIGN)
    QuestionFactory(guide=okx_like, text="A ledger you broke.", kind=QuestionKind.BEHAVIOURAL)

    everything = site_search("ledger")
    narrowed = site_search("ledger", kind=QuestionKind.BEHAVIOURAL)

    assert everything.kind_counts == {"system_design": 1, "behavioural": 1}
    assert narrowed.kind_counts == everything.kind_counts
    assert len(narrowed.question_ids) == 1


@pytest.mark.django_db
def test_never_finds_drafts_or_unpublished_questions(okx_like):
    draft = GuideFactory(company="Secretco", status=GuideStatus.DRAFT)
    QuestionFactory(guide=draft, text="Secret ledger question.")
    QuestionFactory(guide=okx_like, text="Hidden ledger question.", is_published=False)

    results = site_search("ledger")

    assert results.question_ids == []
    assert site_search("secretco").guides == []


@pytest.mark.django_db
def test_only_words_the_content_lacks_are_corrected(seed_guide):
    assert corrections(site_search("scaling regulatry").terms) == "scaling regulatory"
    assert corrections(site_search("scaling regulatory").terms) == ""


@pytest.mark.django_db
def test_new_content_words_correct_typos_at_once(okx_like):
    question = QuestionFactory(guide=okx_like, text="How do you run a blameless postmortem?")

    results = site_search("postmortam")

    assert results.question_ids == [question.pk]
    assert corrections(results.terms) == "postmortem"
