"""Search without PostgreSQL (SQLite, the `make run` default): the same answers' shape, simpler.

Each word of the query (or a related word, see search.terms) must appear, by a crude stem, in
the row's text: "scaling" and "scale" both look for "scal". Ranking counts where the words are
found (a question's text above its guidance above its kind and tags), in Python over at most
`max_questions` matches. No trigram typo tolerance beyond search.terms' corrections of the
words Prep knows. Good enough for one guide on a laptop; production runs PostgreSQL.
"""

from collections import Counter

from django.db.models import Q, QuerySet

from questions.models import Question
from rounds.models import Guide, Round

from .results import GuideHit, QuestionHit, RoundHit, SearchResults
from .terms import Term, clean_query, mark_words, stem, term_stems

GUIDES_SHOWN = 20
ROUNDS_SHOWN = 20
# Points for a word found in each field, by weight: the same order as PostgreSQL's A > B > C.
TEXT, GUIDANCE, OTHER = 3, 2, 1


def _word_stems(term: Term) -> list[str]:
    return [stem(word) for word in term.alternatives]


def _any_field(fields: tuple[str, ...], stems: list[str]) -> Q:
    condition = Q()
    for name in fields:
        for word_stem in stems:
            condition |= Q(**{f"{name}__icontains": word_stem})
    return condition


def _question_condition(term: Term) -> Q:
    stems = _word_stems(term)
    tagged = Question.tags.through.objects.filter(_any_field(("tag__name",), stems)).values(
        "question_id"
    )
    # Kinds are codes ("system_design"): a word of the code is a word of its label.
    return _any_field(("text", "guidance", "kind"), stems) | Q(pk__in=tagged)


def matching_questions(queryset: QuerySet, terms: list[Term]) -> QuerySet:
    """`queryset` narrowed to the questions matching every term (the bank's and API's filter)."""
    for term in terms:
        queryset = queryset.filter(_question_condition(term))
    return queryset


def corrected(terms: list[Term]) -> list[Term]:
    """No corrections beyond search.terms' known words: SQLite has no trigram index."""
    return terms


def _score(terms: list[Term], weighted: list[tuple[int, str]]) -> int:
    score = 0
    for term in terms:
        stems = _word_stems(term)
        score += max(
            (weight for weight, text in weighted if any(s in text.lower() for s in stems)),
            default=OTHER,
        )
    return score


def search(
    terms: list[Term], *, kind: str | None = None, max_questions: int = 1000
) -> SearchResults:
    query = " ".join(term.typed for term in terms)
    results = SearchResults(query=clean_query(query), terms=terms)
    if not terms:
        return results
    stems = term_stems(terms)

    guides = Guide.objects.published()
    for term in terms:
        guides = guides.filter(
            _any_field(("company", "role", "category", "summary"), _word_stems(term))
        )
    ranked_guides = sorted(
        guides,
        key=lambda guide: (
            -_score(
                terms, [(TEXT, guide.title), (GUIDANCE, guide.category), (OTHER, guide.summary)]
            )
        ),
    )[:GUIDES_SHOWN]
    results.guides = [
        GuideHit(guide, mark_words(guide.title, stems), mark_words(guide.summary, stems))
        for guide in ranked_guides
    ]

    rounds = Round.objects.filter(guide__in=Guide.objects.published()).select_related("guide")
    fields = ("title", "summary", "description", "what_interviewers_look_for")
    for term in terms:
        rounds = rounds.filter(_any_field(fields, _word_stems(term)))
    ranked_rounds = sorted(
        rounds,
        key=lambda r: -_score(terms, [(TEXT, r.title), (GUIDANCE, f"{r.summary} {r.description}")]),
    )[:ROUNDS_SHOWN]
    results.rounds = [
        RoundHit(r, mark_words(r.title, stems), mark_words(r.summary or r.description, stems))
        for r in ranked_rounds
    ]

    questions = Question.objects.published()
    for term in terms:
        questions = questions.filter(_question_condition(term))
    rows = list(
        questions.order_by("pk").values_list("pk", "kind", "text", "guidance")[: max_questions + 1]
    )
    results.more_questions = len(rows) > max_questions
    rows = sorted(
        rows[:max_questions],
        key=lambda row: (-_score(terms, [(TEXT, row[2]), (GUIDANCE, row[3])]), row[0]),
    )
    results.kind_counts = dict(Counter(row[1] for row in rows))
    results.question_ids = [row[0] for row in rows if kind in (None, row[1])]
    return results


def question_hits(ids: list[int], terms: list[Term]) -> list[QuestionHit]:
    """The questions `ids`, in that order, with the words found marked: one query."""
    if not ids:
        return []
    stems = term_stems(terms)
    by_id = Question.objects.select_related("guide", "round").in_bulk(ids)
    return [QuestionHit(by_id[pk], mark_words(by_id[pk].text, stems)) for pk in ids if pk in by_id]
