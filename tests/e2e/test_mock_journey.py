"""A candidate takes a mock of round 2, lets one question time out, grades it and sees it in the
history; then writes two stories, links them and watches the coverage grid change."""

import datetime

import pytest
from playwright.sync_api import expect

from .browser import (
    DESKTOP,
    PHONE,
    WITH_AND_WITHOUT_JAVASCRIPT,
    axe_report,
    log_in,
    save_screenshot,
    vnu_errors,
)


@WITH_AND_WITHOUT_JAVASCRIPT
@pytest.mark.django_db(transaction=True)
def test_mock_of_round_two_then_stories_and_coverage(
    page, context, live_server, seed_guide, javascript
):
    from mocks.models import Mock, MockAnswer
    from practice.models import Review
    from studyplan.progress import local_today_for
    from studyplan.services import enrolment_create
    from tests.factories import UserFactory

    label = "js" if javascript else "nojs"
    erin = UserFactory(email=f"erin-{label}@example.com", display_name="Erin", time_zone="UTC")
    enrolment_create(user=erin, guide=seed_guide, start_date=local_today_for("UTC"))
    log_in(context, live_server, erin)
    round2 = seed_guide.rounds.get(order=2)
    criteria = list(seed_guide.criteria.order_by("order").values_list("title", flat=True))

    page.goto(round2.get_absolute_url())
    page.get_by_role("link", name="Mock interview").click()
    page.get_by_label("Number of questions").fill("2")
    page.get_by_label("Minutes per question").fill("1")
    page.get_by_role("button", name="Start the mock").click()
    expect(page.get_by_text("question 1 of 2")).to_be_visible()
    if javascript:
        expect(page.locator("#countdown")).to_contain_text("Time left: 0:")
    else:
        expect(page.locator("#countdown")).to_contain_text("Time is up at")
    page.get_by_label("Your answer notes").fill("Start from the constraints.")
    page.get_by_role("button", name="Save and next question").click()
    expect(page.get_by_text("Answer saved after")).to_be_visible()
    expect(page.get_by_text("question 2 of 2")).to_be_visible()

    # The save's POST started the second clock: one click per question.
    mock = Mock.objects.get(user=erin)
    second = MockAnswer.objects.get(mock=mock, position=2)
    assert second.shown_at is not None
    # The second question runs out of time: the test moves its start back, not the clock.
    if javascript:
        MockAnswer.objects.filter(pk=second.pk).update(
            shown_at=second.shown_at - datetime.timedelta(seconds=55)
        )
        page.reload()
        page.get_by_label("Your answer notes").fill("Ran out of time here.")
        expect(page.locator("#countdown")).to_have_class("countdown countdown--warning")
        # At zero the script saves the answer by itself.
        expect(page.get_by_role("heading", name="Grade your mock")).to_be_visible(timeout=15_000)
    else:
        MockAnswer.objects.filter(pk=second.pk).update(
            shown_at=second.shown_at - datetime.timedelta(minutes=2)
        )
        page.reload()
        expect(page.get_by_text("Time is up: save your notes")).to_be_visible()
        page.get_by_label("Your answer notes").fill("Ran out of time here.")
        page.get_by_role("button", name="Save and grade yourself").click()
        expect(page.get_by_text("nothing was lost")).to_be_visible()
    second.refresh_from_db()
    assert second.notes == "Ran out of time here." and second.timed_out

    for criterion in criteria:
        group = page.get_by_role("group", name=criterion)
        group.get_by_label("3 — clearly").check()
        group.get_by_label("Why").fill("Clear trade-offs.")
    first = MockAnswer.objects.get(mock=mock, position=1)
    page.get_by_role("group", name=first.question_text).get_by_label("Nailed").check()
    page.get_by_role("group", name=second.question_text).get_by_label("Missed").check()
    if javascript:  # axe runs in the page, so only where scripts may run.
        assert axe_report(page) == ""
    page.get_by_role("button", name="Save grades").click()

    expect(page.get_by_role("heading", name="Mock history")).to_be_visible()
    expect(
        page.get_by_text("1 question went to spaced review: the first comes back")
    ).to_be_visible()
    expect(page.get_by_role("img", name="Your score over 1 graded mock")).to_be_visible()
    expect(page.get_by_role("cell", name="3.00")).to_be_visible()
    assert Review.objects.filter(user=erin, card__question=second.question).get().rating == 1
    if javascript:  # axe runs in the page, so only where scripts may run.
        assert axe_report(page) == ""
    save_screenshot(page, f"mock-history-{label}")
    # On a phone the table is wider than the screen: it scrolls sideways, and says so with a
    # shadow on the edge that has more (its last column was simply cut off).
    page.set_viewport_size(PHONE)
    table = page.get_by_role("region", name="Your mocks, scrolling sideways")
    assert table.evaluate("e => e.scrollWidth > e.clientWidth")
    assert "radial-gradient" in table.evaluate("e => getComputedStyle(e).backgroundImage")
    save_screenshot(page, f"mock-history-phone-{label}")
    page.set_viewport_size(DESKTOP)

    # Two stories; the first shows the first criterion, the second is linked to a question.
    page.goto("/stories/coverage/")
    expect(page.get_by_text(f"No story yet shows “{criteria[0]}”.")).to_be_visible()
    expect(page.get_by_text("No story yet for a question of round 2")).to_be_visible()
    for title in ("Scaling the platform team", "The payments outage"):
        page.goto("/stories/new/")
        page.get_by_label("Title").fill(title)
        page.get_by_label("Situation").fill("Where, when, who.")
        if title.startswith("Scaling"):
            page.get_by_label(criteria[0]).check()
        page.get_by_role("button", name="Save story").click()
        expect(page.get_by_text(f"Your story “{title}” is saved.")).to_be_visible()
    page.goto(second.question.get_absolute_url())
    page.get_by_label("Use one of your stories").select_option(label="The payments outage")
    page.get_by_role("button", name="Use this story").click()
    expect(page.get_by_text("“The payments outage” now answers this question.")).to_be_visible()

    page.goto("/stories/coverage/")
    expect(page.get_by_role("columnheader", name="The payments outage")).to_be_visible()
    expect(page.get_by_text(f"No story yet shows “{criteria[0]}”.")).to_have_count(0)
    expect(page.get_by_text("No story yet for a question of round 2")).to_have_count(0)
    expect(page.get_by_text("No story yet for a question of round 1")).to_be_visible()
    if javascript:  # axe runs in the page, so only where scripts may run.
        assert axe_report(page) == ""
    save_screenshot(page, f"story-coverage-{label}")


@WITH_AND_WITHOUT_JAVASCRIPT
@pytest.mark.django_db(transaction=True)
def test_a_question_whose_clock_never_started_is_started_by_a_button_on_any_device(
    page, context, live_server, seed_guide, javascript
):
    """Opening a mock changes nothing; the "Start question" button (a POST) starts the clock."""
    from mocks import services
    from mocks.models import MockAnswer
    from studyplan.progress import local_today_for
    from studyplan.services import enrolment_create
    from tests.factories import UserFactory

    label = "js" if javascript else "nojs"
    fred = UserFactory(email=f"fred-{label}@example.com", display_name="Fred", time_zone="UTC")
    enrolment_create(user=fred, guide=seed_guide, start_date=local_today_for("UTC"))
    round1 = seed_guide.rounds.get(order=1)
    mock = services.mock_start(user=fred, rnd=round1, questions=2, minutes=10)
    # Begun on another device before clocks started with the mock: question 1 never started.
    MockAnswer.objects.filter(mock=mock).update(shown_at=None)
    first = mock.answers.get(position=1)
    log_in(context, live_server, fred)

    documents = {}
    for width, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        response = page.goto(mock.get_absolute_url())
        documents[f"not-started-{width}"] = response.text()
        expect(page.get_by_role("button", name="Start question 1")).to_be_visible()
        expect(page.get_by_text(first.question_text)).to_have_count(0)
        save_screenshot(page, f"mock-not-started-{width}-{label}")
    assert MockAnswer.objects.get(pk=first.pk).shown_at is None
    if javascript:
        assert axe_report(page) == ""

    page.get_by_role("button", name="Start question 1").click()
    expect(page.get_by_role("heading", name=first.question_text)).to_be_visible()
    if javascript:
        expect(page.locator("#countdown")).to_contain_text("Time left: 9:")
    else:
        expect(page.locator("#countdown")).to_contain_text("Time is up at")
    started = MockAnswer.objects.get(pk=first.pk).shown_at
    assert started is not None
    for width, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        response = page.goto(mock.get_absolute_url())
        documents[f"running-{width}"] = response.text()
        expect(page.get_by_role("heading", name=first.question_text)).to_be_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, width
        save_screenshot(page, f"mock-question-{width}-{label}")
    # Reloads and a second device read the same deadline; nothing moved it.
    assert MockAnswer.objects.get(pk=first.pk).shown_at == started
    if javascript:
        assert axe_report(page) == ""
    else:
        assert vnu_errors(documents) == {}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_candidates_unbroken_words_wrap_instead_of_widening_pages(
    page, context, live_server, seed_guide, viewport
):
    # A 1,000-letter grade reason made a finished mock 9,729 px wide.
    from mocks import services
    from stories.models import Story
    from studyplan.progress import local_today_for
    from studyplan.services import enrolment_create
    from tests.factories import UserFactory

    long_word = "x" * 1000
    fay = UserFactory(email="fay@example.com", display_name="Fay", time_zone="UTC")
    enrolment_create(user=fay, guide=seed_guide, start_date=local_today_for("UTC"))
    round2 = seed_guide.rounds.get(order=2)
    mock = services.mock_start(user=fay, rnd=round2, questions=2, minutes=5)
    for answer in mock.answers.all():
        services.answer_save(user=fay, answer=answer, notes=long_word)
    services.mock_grade(
        user=fay,
        mock=mock,
        grades=[(2, long_word)] * len(services.criteria_for(round2)),
        outcomes={a.pk: "shaky" for a in mock.answers.all()},
    )
    story = Story.objects.create(user=fay, title="y" * 200, situation=long_word)
    story.questions.set(round2.questions.all()[:1])
    log_in(context, live_server, fay)
    page.set_viewport_size(viewport)
    label = "phone" if viewport is PHONE else "desktop"
    for name, path in [
        ("mock", mock.get_absolute_url()),
        ("coverage", f"/stories/coverage/{seed_guide.slug}/"),
    ]:
        page.goto(path)
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        save_screenshot(page, f"long-words-{name}-{label}")
        assert widths[0] <= widths[1], (name, widths)
