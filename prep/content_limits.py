"""How long a guide's texts may be: one set of limits for the admin's forms and guide files.

The importer held texts to these limits while the admin took anything, so a recruiter could save
a text the guide's own export could not import again (and, on a published guide, a staged change
that was refused with the file's line numbers after the typed text was gone). The model fields
carry these validators, so the admin refuses the same texts in the form, next to the field.
"""

from django.core.exceptions import ValidationError

from .multiline import normalise_line_breaks

# No guide needs a 20,000-character description, and a megabyte pasted by mistake would
# otherwise land on every page that shows it.
TEXT_MAX_CHARS = 20_000
# One item of a one-per-line list, or one study task.
ITEM_MAX_CHARS = 2_000


def limit_text(value: str) -> None:
    """A free text (a description, a question): at most TEXT_MAX_CHARS."""
    # A browser sends each line break as two characters; the file and the page count one.
    length = len(normalise_line_breaks(value))
    if length > TEXT_MAX_CHARS:
        raise ValidationError(
            f"This text is {length:,} characters long; the limit is {TEXT_MAX_CHARS:,}.",
            code="max_length",
        )


def limit_items(value: str) -> None:
    """A one-item-per-line list: each item at most ITEM_MAX_CHARS."""
    limit_text(value)
    lines = [line.strip() for line in normalise_line_breaks(value).split("\n") if line.strip()]
    for number, line in enumerate(lines, start=1):
        if len(line) > ITEM_MAX_CHARS:
            raise ValidationError(
                f"Item {number} is {len(line):,} characters long; the limit is "
                f"{ITEM_MAX_CHARS:,} an item. Split it into several lines.",
                code="max_length",
            )


def limit_one_line(value: str) -> None:
    """A single item (a study task): one line of at most ITEM_MAX_CHARS."""
    text = normalise_line_breaks(value).strip()
    if "\n" in text:
        raise ValidationError(
            "Keep this to one line: make it two items instead.", code="single_line"
        )
    if len(text) > ITEM_MAX_CHARS:
        raise ValidationError(
            f"This text is {len(text):,} characters long; the limit is {ITEM_MAX_CHARS:,}.",
            code="max_length",
        )
