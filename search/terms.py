"""What a searcher typed, read as terms: each word with its typo correction and related words.

Shared by both search engines (search.postgres, search.fallback), so a query means the same
words on PostgreSQL and SQLite; only how the words are matched and ranked differs.
"""

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Every word adds a condition; nobody needs more than this many to find a question.
MAX_WORDS = 10
# Longer queries are cut: nobody types more, and the page echoes the query back.
MAX_LENGTH = 200

# Prep's own list, not guide content: words candidates search for that guides put differently.
# "stakeholder" appears in no guide, but the questions about aligning engineering with the
# business and working with executives are what a person typing it wants.
_STAKEHOLDER = ("business", "partner", "aligned", "alignment", "cross-functional")
_SCALE = ("scalability", "scalable", "scale", "scaling")
_REGULATION = ("regulatory", "regulation", "compliance", "jurisdictions")
RELATED_WORDS: dict[str, tuple[str, ...]] = {
    "stakeholder": _STAKEHOLDER,
    "stakeholders": _STAKEHOLDER,
    "scale": _SCALE,
    "scaling": _SCALE,
    "scalable": _SCALE,
    "scalability": _SCALE,
    "regulatory": _REGULATION,
    "regulation": _REGULATION,
    "regulations": _REGULATION,
    "compliance": _REGULATION,
    "dsa": ("coding", "algorithm", "algorithms", "data structures"),
    "hiring": ("hiring", "talent", "recruiting"),
}
# How close a typed word must be to a word in RELATED_WORDS to be read as it ("stakholder").
CORRECTION_CUTOFF = 0.85


@dataclass(frozen=True)
class Term:
    """One typed word and every word that counts as a match for it."""

    typed: str
    # Set when the typed word looked like a misspelling of a word Prep knows.
    corrected: str = ""
    related: tuple[str, ...] = ()

    @property
    def word(self) -> str:
        return self.corrected or self.typed

    @property
    def alternatives(self) -> tuple[str, ...]:
        """The word as read, the word as typed (a "typo" may be a stem the content has), then
        its related words, each once."""
        return tuple(dict.fromkeys((self.word, self.typed, *self.related)))


def clean_query(text: str) -> str:
    """`text` cut to MAX_WORDS words and MAX_LENGTH characters, without NUL bytes."""
    return " ".join(text.replace("\x00", "").split()[:MAX_WORDS])[:MAX_LENGTH]


def read_terms(text: str) -> list[Term]:
    """The terms of a cleaned query, in the order typed."""
    terms = []
    for typed in clean_query(text).split():
        word = typed.lower().strip(".,;:!?\"'()[]")
        if not word:
            continue
        corrected = ""
        if word not in RELATED_WORDS and len(word) >= 5:
            close = difflib.get_close_matches(word, RELATED_WORDS, n=1, cutoff=CORRECTION_CUTOFF)
            corrected = close[0] if close else ""
        related = RELATED_WORDS.get(corrected or word, ())
        terms.append(Term(typed=word, corrected=corrected, related=related))
    return terms


def corrections(terms: list[Term]) -> str:
    """The query as it was read, when a word was corrected ("stakeholder" for "stakholder")."""
    if not any(term.corrected for term in terms):
        return ""
    return " ".join(term.word for term in terms)


_SUFFIXES = ("ability", "ibility", "ations", "ation", "ings", "ing", "ers", "er", "ed", "es", "s")


def stem(word: str) -> str:
    """A crude English stem for substring matching: "scaling" and "scale" both give "scal"."""
    word = word.lower()
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    if word.endswith("e") and len(word) >= 5:
        word = word[:-1]
    return word


def mark_words(text: str, stems: list[str]) -> SafeString:
    """`text`, escaped, with every word starting with one of `stems` wrapped in <mark>."""
    stems = sorted({s for s in stems if s}, key=len, reverse=True)
    if not stems:
        return escape(text)
    pattern = re.compile(
        r"((?<!\w)(?:" + "|".join(re.escape(s) for s in stems) + r")[\w-]*)", re.IGNORECASE
    )
    # Split the raw text, then escape each piece: matching escaped text could cut an entity.
    parts = pattern.split(str(text))
    return mark_safe(
        "".join(
            f"<mark>{escape(part)}</mark>" if i % 2 else escape(part)
            for i, part in enumerate(parts)
        )
    )


def term_stems(terms: list[Term]) -> list[str]:
    return [stem(word) for term in terms for word in term.alternatives]
