"""The fallback engine (SQLite, `make run`) answers the same questions in the same shape.

Called directly, so it is tested whichever database the suite runs on.
"""

import inspect

import pytest

from questions.models import Question
from search import fallback, postgres
from search.results import QuestionHit, SearchResults
from search.terms import read_terms
from tests.factories import QuestionFactory, RoundFactory, TagFactory
from tests.search.expectations import EXPECTED


def _texts(results: SearchResults) -> list[str]:
    texts = dict(Question.objects.filter(pk__in=results.question_ids).values_list("pk", "text"))
    return [texts[pk] for pk in results.question_ids]


@pytest.mark.django_db
@pytest.mark.parametrize("query", list(EXPECTED))
def test_seed_guide_fallback_finds_what_a_person_expects(seed_guide, query):
    wanted, unwanted, rounds = EXPECTED[query]

    results = fallback.search(read_terms(query))

    texts = _texts(results)
    for text in wanted:
        assert any(found.startswith(text) for found in texts), (query, text, texts)
    assert texts[0].startswith(wanted[0]), (query, texts)
    for text in unwanted:
        assert not any(found.startswith(text) for found in texts), (query, text)
    assert [hit.round.title for hit in results.rounds][: len(rounds)] == rounds


def test_both_engines_have_the_same_interface():
    for name in ("search", "question_hits", "matching_questions", "corrected"):
        assert inspect.signature(getattr(fallback, name)) == inspect.signature(
            getattr(postgres, name)
        )


@pytest.mark.django_db
def test_fallback_answers_in_the_shared_shape_with_marked_escaped_text(okx_like):
    question = QuestionFactory(guide=okx_like, text="<b>Scaling</b> a team & more")
    RoundFactory(guide=okx_like, order=1, title="Scale round", slug="scale")

    results = fallback.search(read_terms("scale"))
    hits = fallback.question_hits(results.question_ids, results.terms)

    assert isinstance(results, SearchResults)
    assert results.question_ids == [question.pk]
    assert results.kind_counts == {"leadership": 1}
    assert [hit.round.slug for hit in results.rounds] == ["scale"]
    assert isinstance(hits[0], QuestionHit)
    assert str(hits[0].text_html) == ("&lt;b&gt;<mark>Scaling</mark>&lt;/b&gt; a team &amp; more")


@pytest.mark.django_db
def test_fallback_ranks_text_above_guidance_above_tags(okx_like):
    QuestionFactory(guide=okx_like, text="Tell us about a merger.", slug="tag").tags.add(
        TagFactory(name="negotiation")
    )
    QuestionFactory(
        guide=okx_like, text="Tell us about a deal.", guidance="Show your negotiation.", slug="g"
    )
    QuestionFactory(guide=okx_like, text="How do you lead a negotiation?", slug="text")

    results = fallback.search(read_terms("negotiation"))

    assert [Question.objects.get(pk=pk).slug for pk in results.question_ids] == [
        "text",
        "g",
        "tag",
    ]


@pytest.mark.django_db
def test_fallback_caps_the_questions_it_ranks(okx_like):
    for n in range(5):
        QuestionFactory(guide=okx_like, text=f"Ledger question {n}.")

    results = fallback.search(read_terms("ledger"), max_questions=3)

    assert len(results.question_ids) == 3
    assert results.more_questions
