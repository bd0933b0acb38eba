"""Site search: the engine of the database in use, behind one pair of functions.

PostgreSQL gets full-text search (search.postgres); SQLite, the `make run` default, a simpler
substring search with the same answers' shape (search.fallback).
"""

from django.db import connection
from django.db.models import QuerySet

from . import fallback, postgres
from .results import QuestionHit, SearchResults
from .terms import Term, read_terms

# Questions a search ranks and pages through (40 pages); a broader one asks for another word.
MAX_QUESTIONS = 1000


def _engine():
    return postgres if connection.vendor == "postgresql" else fallback


def site_search(text: str, *, kind: str | None = None) -> SearchResults:
    """Guides, rounds and ranked question ids matching every word of `text`."""
    return _engine().search(read_terms(text), kind=kind, max_questions=MAX_QUESTIONS)


def question_hits(ids: list[int], terms: list[Term]) -> list[QuestionHit]:
    """One page of a search's questions, with the words found marked."""
    return _engine().question_hits(ids, terms)


def read_query(text: str) -> list[Term]:
    """The terms of `text`, misspellings corrected where the engine can (one query, or none)."""
    return _engine().corrected(read_terms(text))


def filter_questions(queryset: QuerySet, terms: list[Term]) -> QuerySet:
    """`queryset` narrowed to the questions matching every term (see read_query)."""
    return _engine().matching_questions(queryset, terms)
