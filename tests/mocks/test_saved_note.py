"""What the candidate reads after saving a mock answer."""

import pytest

from mocks.views import saved_note


@pytest.mark.parametrize(
    ("taken", "limit", "note"),
    [
        (15, 5, "Answer saved after 15 s."),
        (65, 5, "Answer saved after 1 min 5 s."),
        (120, 5, "Answer saved after 2 min."),
        # Saved by the page as the clock ran out (it said "after 1 min 00 s, past the 1 minutes").
        (60, 1, "Answer saved as your 1 minute ran out: nothing was lost."),
        (300, 5, "Answer saved as your 5 minutes ran out: nothing was lost."),
        (370, 5, "Answer saved after 6 min 10 s, past your 5 minutes: nothing was lost."),
    ],
)
def test_the_saved_answer_note_reads_right(taken, limit, note):
    assert saved_note(taken, limit) == note
