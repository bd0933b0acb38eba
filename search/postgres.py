"""Full-text search on PostgreSQL: stored, weighted documents, ranked, with typo tolerance.

A typed word that is not a word of the content is first corrected to the most similar one
(pg_trgm over the content's words, migration 0002: "regulatry" is read as "regulatory"), in one
small query. Then each word of the query must match: its English stem, its correction's or a
related word's, in the row's `search_document` (migration 0001), through its GIN index.
Questions are ranked by ts_rank over their weighted document (text above guidance above kind
and tags), and the words found are marked by ts_headline.
"""

from collections import Counter
from dataclasses import replace

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorExact,
    SearchVectorField,
)
from django.db import connection
from django.db.models import Expression, F, QuerySet, TextField, Value
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from questions.models import Question
from rounds.models import Guide, Round

from .results import GuideHit, QuestionHit, RoundHit, SearchResults
from .terms import Term, clean_query

CONFIG = "english"
# Words shorter than this make too few trigrams to tell a typo from another word.
TRIGRAM_MIN_LENGTH = 4
# How alike (pg_trgm similarity) a content word must be to a typed word to be read for it:
# "peeple" and "people" are 0.4, "regulatry" and "regulatory" 0.62.
CORRECTION_SIMILARITY = 0.4
# ts_headline marks matches with these (private-use characters, never in content); the text is
# escaped first and they become <mark> afterwards, so nothing in the content is read as HTML.
START, STOP = "\ue000", "\ue001"
GUIDES_SHOWN = 20
ROUNDS_SHOWN = 20


class Document(Expression):
    """The `search_document` column of the table being queried (not a model field, see the
    migration: SQLite has no tsvector)."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        alias = compiler.query.get_initial_alias()
        return f"{compiler.quote_name_unless_alias(alias)}.search_document", []


def _phrase(word: str) -> str:
    """One word (or a few, "data structures") as to_tsquery operands, quoted so that nothing
    typed is read as tsquery syntax; to_tsquery still stems each and drops stop words."""
    quoted = ["'" + part.replace("\\", "\\\\").replace("'", "''") + "'" for part in word.split()]
    return " <-> ".join(quoted)


def _any_of(words) -> str:
    return "(" + " | ".join(_phrase(word) for word in dict.fromkeys(words)) + ")"


def _tsquery(text: str) -> SearchQuery:
    # One raw query string rather than a tree of SearchQuery objects: the ORM copies every
    # expression of a query as it builds it, and a tree per word cost more than the SQL.
    return SearchQuery(text, config=CONFIG, search_type="raw")


def _every_term(terms: list[Term]) -> SearchQuery:
    """Every term, each by any of its alternatives: what a row must match. A stop word
    ("the", "how") drops out rather than matching nothing."""
    return _tsquery(" & ".join(_any_of(term.alternatives) for term in terms))


def _any_term(terms: list[Term]) -> SearchQuery:
    """Any word of any term: what ranks and headlines count, where filtering asks for all."""
    return _tsquery(_any_of(word for term in terms for word in term.alternatives))


def _rank(terms: list[Term]):
    """ts_rank of the words as read, plus less for their related words: a question with the
    word typed ranks above one found through a related word."""
    as_read = _tsquery(_any_of(term.word for term in terms))
    return SearchRank(Document(), as_read) + 0.3 * SearchRank(Document(), _any_term(terms))


def corrected(terms: list[Term]) -> list[Term]:
    """`terms` with each word the content does not have read as the content's most similar
    word, if one is similar enough: one query, none when no word could be a typo."""
    typed = [
        term.typed
        for term in terms
        if not term.corrected and len(term.typed) >= TRIGRAM_MIN_LENGTH and term.typed.isalpha()
    ]
    if not typed:
        return terms
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.typed, EXISTS (SELECT 1 FROM search_word WHERE word = t.typed), "
            "(SELECT word FROM search_word WHERE word %% t.typed AND "
            "similarity(word, t.typed) >= %s ORDER BY similarity(word, t.typed) DESC, word "
            "LIMIT 1) FROM unnest(%s::text[]) AS t(typed)",
            [CORRECTION_SIMILARITY, typed],
        )
        found = {word: (known, similar) for word, known, similar in cursor.fetchall()}
    result = []
    for term in terms:
        known, similar = found.get(term.typed, (True, None))
        if not known and similar:
            term = replace(term, corrected=similar)
        result.append(term)
    return result


def _matching(queryset: QuerySet, terms: list[Term]) -> QuerySet:
    return queryset.filter(SearchVectorExact(Document(), _every_term(terms)))


def _marked(headline: str, source: str) -> SafeString:
    """A headline made safe: escaped, with its markers turned into <mark>."""
    if START in source or STOP in source:
        return escape(source)
    return mark_safe(escape(headline).replace(START, "<mark>").replace(STOP, "</mark>"))


def _headline(expression, query: SearchQuery, *, whole: bool) -> SearchHeadline:
    options = {"highlight_all": True} if whole else {"max_words": 35, "min_words": 15}
    return SearchHeadline(
        expression, query, config=CONFIG, start_sel=START, stop_sel=STOP, **options
    )


def matching_questions(queryset: QuerySet, terms: list[Term]) -> QuerySet:
    """`queryset` narrowed to the questions matching every term (the bank's and API's filter)."""
    return _matching(queryset, terms)


def search(
    terms: list[Term], *, kind: str | None = None, max_questions: int = 1000
) -> SearchResults:
    query = " ".join(term.typed for term in terms)
    terms = corrected(terms)
    results = SearchResults(query=clean_query(query), terms=terms)
    if not terms:
        return results
    anything = _any_term(terms)

    guides = _matching(Guide.objects.published(), terms)
    guides = guides.annotate(
        rank=_rank(terms),
        title_marked=_headline(
            Concat(F("role"), Value(" at "), F("company")), anything, whole=True
        ),
        summary_marked=_headline(F("summary"), anything, whole=False),
    ).order_by("-rank", "company", "role")[:GUIDES_SHOWN]
    results.guides = [
        GuideHit(
            guide,
            _marked(guide.title_marked, guide.title),
            _marked(guide.summary_marked, guide.summary) if guide.summary else SafeString(""),
        )
        for guide in guides
    ]

    rounds = _matching(Round.objects.filter(guide__in=Guide.objects.published()), terms)
    rounds = (
        rounds.select_related("guide")
        .annotate(
            rank=_rank(terms),
            title_marked=_headline(F("title"), anything, whole=True),
            excerpt_marked=_headline(
                Concat(F("summary"), Value(" "), F("description"), output_field=TextField()),
                anything,
                whole=False,
            ),
        )
        .order_by("-rank", "guide__company", "order")[:ROUNDS_SHOWN]
    )
    results.rounds = [
        RoundHit(
            round_,
            _marked(round_.title_marked, round_.title),
            _marked(round_.excerpt_marked, f"{round_.summary} {round_.description}"),
        )
        for round_ in rounds
    ]

    # The first matches in whatever order the indexes give them, ranked as they are read and
    # sorted here: a word in most questions would otherwise rank and sort tens of thousands of
    # rows, and the LIMIT stops the scan (and the ranking) after the first ones.
    ranked = (
        _matching(Question.objects.published(), terms)
        .order_by()
        .annotate(rank=_rank(terms))
        .values_list("pk", "kind", "rank")[: max_questions + 1]
    )
    rows = list(ranked)
    results.more_questions = len(rows) > max_questions
    rows = sorted(rows[:max_questions], key=lambda row: (-row[2], row[0]))
    results.kind_counts = dict(Counter(row[1] for row in rows))
    results.question_ids = [pk for pk, question_kind, _ in rows if kind in (None, question_kind)]
    return results


def question_hits(ids: list[int], terms: list[Term]) -> list[QuestionHit]:
    """The questions `ids`, in that order, with the words found marked: one query."""
    if not ids:
        return []
    questions = (
        Question.objects.filter(pk__in=ids)
        .select_related("guide", "round")
        .annotate(text_marked=_headline(F("text"), _any_term(terms), whole=True))
    )
    by_id = {question.pk: question for question in questions}
    return [
        QuestionHit(by_id[pk], _marked(by_id[pk].text_marked, by_id[pk].text))
        for pk in ids
        if pk in by_id
    ]
