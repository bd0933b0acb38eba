"""Content added between two measurements to prove a page's query count is fixed."""

from tests.factories import GuideFactory, QuestionFactory, RoundFactory, TagFactory


def grow_site(guides: int = 50, questions_per_guide: int = 4) -> None:
    """Add many more published guides, each with a round of tagged questions."""
    tag = TagFactory(name="leadership")
    for n in range(guides):
        guide = GuideFactory(slug=f"filler-{n}")
        rnd = RoundFactory(guide=guide, order=1, slug="round-1")
        for _ in range(questions_per_guide):
            QuestionFactory(guide=guide, round=rnd).tags.add(tag)
