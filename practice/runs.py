""" "Practise next" runs: which questions a run goes through, and carrying it from page to page."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from rounds.models import Guide, Round
from studyplan.models import StudyBlock


@dataclass(frozen=True)
class Run:
    """A "Practise next" run: one round's questions, one study week's, or the whole guide's.

    Carried from question to question as `?run=round:<slug>`, `?run=block:<first week>` or
    `?run=guide`, so the run goes on without a list in between and without JavaScript.
    """

    guide: Guide
    value: str
    label: str
    round: Round | None = None
    block: StudyBlock | None = None

    @property
    def next_url(self) -> str:
        url = reverse("practice:next", kwargs={"guide_slug": self.guide.slug})
        return f"{url}?{urlencode({'run': self.value})}"

    @property
    def done_url(self) -> str:
        """Where a run with nothing left to practise ends."""
        if self.round is not None:
            return self.round.get_absolute_url()
        if self.block is not None:
            return self.block.get_absolute_url()
        return reverse("studyplan:dashboard")


def parse_run(guide: Guide, raw: str | None) -> Run | None:
    """The run named by `raw` in `guide`; None for anything else (no such round or week)."""
    kind, _, name = (raw or "").partition(":")
    if kind == "guide" and not name:
        return Run(guide, "guide", guide.title)
    if kind == "round" and name:
        rnd = Round.objects.filter(guide=guide, slug=name[:100]).first()
        if rnd is not None:
            return Run(guide, f"round:{rnd.slug}", rnd.title, round=rnd)
    # isascii: str.isdigit() also accepts digits such as "²" that int() refuses.
    if kind == "block" and name.isascii() and name.isdigit() and len(name) < 4:
        block = StudyBlock.objects.filter(guide=guide, start_week=int(name)).first()
        if block is not None:
            block.guide = guide
            label = f"Weeks {block.weeks_label}: {block.title}"
            return Run(guide, f"block:{block.start_week}", label, block=block)
    return None


def with_run(url: str, run: Run | None) -> str:
    """`url` carrying the run on, so the next page keeps going through it."""
    return f"{url}?{urlencode({'run': run.value})}" if run is not None else url
