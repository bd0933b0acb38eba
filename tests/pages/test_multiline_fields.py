"""Every textarea counts a line break as one character, as the browser does when it stops the
candidate at the field's maxlength (it submits each break as CRLF)."""

import pytest
from django.core.exceptions import ValidationError

from mocks.forms import MockAnswerForm
from mocks.models import ANSWER_MAX_LENGTH
from practice.forms import PracticeForm
from practice.models import NOTE_MAX_LENGTH
from stories.forms import StoryForm
from stories.models import STORY_TEXT_MAX_LENGTH

FIELDS = [
    (PracticeForm, "answer_draft", NOTE_MAX_LENGTH),
    (StoryForm, "situation", STORY_TEXT_MAX_LENGTH),
    (StoryForm, "reflection", STORY_TEXT_MAX_LENGTH),
    (MockAnswerForm, "notes", ANSWER_MAX_LENGTH),
]


def typed_text(length: int) -> str:
    """`length` characters as the candidate typed them, a line break every 20."""
    text = "".join("\n" if n % 20 == 19 else "x" for n in range(length))
    assert len(text) == length
    return text


@pytest.mark.parametrize(("form", "name", "limit"), FIELDS)
def test_text_at_the_limit_as_the_browser_sends_it_is_kept_with_single_line_breaks(
    form, name, limit
):
    typed = typed_text(limit)
    assert form.base_fields[name].clean(typed.replace("\n", "\r\n")) == typed


@pytest.mark.parametrize(("form", "name", "limit"), FIELDS)
def test_text_over_the_limit_is_still_refused(form, name, limit):
    with pytest.raises(ValidationError):
        form.base_fields[name].clean(typed_text(limit + 1).replace("\n", "\r\n"))


def test_old_mac_line_breaks_count_once_too():
    assert PracticeForm.base_fields["answer_draft"].clean("a\rb\r\nc") == "a\nb\nc"
