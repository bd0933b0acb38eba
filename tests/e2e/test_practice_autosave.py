"""Notes save themselves as the candidate types, and an unsaved note is never lost silently."""

import re

import pytest
from playwright.sync_api import expect

from .browser import WITH_AND_WITHOUT_JAVASCRIPT, guide_pages, log_in, save_screenshot

SAVED = re.compile(r"^Saved at \d\d:\d\d\.$")


@pytest.mark.django_db(transaction=True)
def test_a_draft_typed_and_never_saved_by_hand_is_there_after_a_reload(
    page, context, live_server, site
):
    from practice.models import QuestionProgress

    log_in(context, live_server, site.alice)
    page.goto(guide_pages()["question"])
    draft = page.locator("#practice").get_by_label("Answer draft")
    draft.fill("")
    draft.press_sequentially("Hire for slope, then for intercept.")
    status = page.locator("#practice [data-autosave-status]")
    expect(status).to_have_text(SAVED)
    save_screenshot(page, "practice-autosaved")

    page.reload()
    expect(page.locator("#practice").get_by_label("Answer draft")).to_have_value(
        "Hire for slope, then for intercept."
    )
    row = QuestionProgress.objects.get(user=site.alice, answer_draft__startswith="Hire for slope")
    assert row.answer_draft == "Hire for slope, then for intercept."


@pytest.mark.django_db(transaction=True)
def test_choosing_a_status_updates_the_last_practised_line_in_place(
    page, context, live_server, site
):

    from practice.models import QuestionProgress

    QuestionProgress.objects.filter(user=site.alice).delete()
    log_in(context, live_server, site.alice)
    page.goto(guide_pages()["question"])
    practice = page.locator("#practice")
    last = practice.locator("[data-last-practised]")
    expect(last).to_have_text("Not practised yet.")
    practice.get_by_label("Practised", exact=True).check()
    expect(practice.locator("[data-autosave-status]")).to_have_text(SAVED)
    expect(last).to_contain_text("Last practised just now")
    save_screenshot(page, "practice-status-autosaved")


@pytest.mark.django_db(transaction=True)
def test_offline_the_page_says_so_warns_before_leaving_and_saves_when_back(
    page, context, live_server, site
):
    from practice.models import QuestionProgress

    log_in(context, live_server, site.alice)
    page.goto(guide_pages()["question"])
    context.set_offline(True)
    draft = page.locator("#practice").get_by_label("Answer draft")
    draft.fill("")
    draft.press_sequentially("Written on a train.")
    status = page.locator("#practice [data-autosave-status]")
    expect(status).to_have_text(re.compile(r"^Offline: not saved yet"))
    save_screenshot(page, "practice-autosave-offline")

    # Leaving asks first; the candidate stays, and the text with them.
    dialogs = []

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.locator("#practice").get_by_role("link", name="All your notes").click()
    expect(draft).to_have_value("Written on a train.")
    assert dialogs == ["beforeunload"]
    assert not QuestionProgress.objects.filter(answer_draft="Written on a train.").exists()

    context.set_offline(False)
    expect(status).to_have_text(SAVED)
    assert QuestionProgress.objects.filter(
        user=site.alice, answer_draft="Written on a train."
    ).exists()
    page.remove_listener("dialog", stay)
    page.locator("#practice").get_by_role("link", name="All your notes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My notes")


@WITH_AND_WITHOUT_JAVASCRIPT
@pytest.mark.django_db(transaction=True)
def test_without_javascript_the_form_says_to_save_before_leaving(
    page, context, live_server, site, javascript
):
    """No page can ask before leaving without a script: the form says so where one types. With
    JavaScript the note is not shown (the form saves itself and asks before leaving)."""
    log_in(context, live_server, site.alice)
    page.goto(guide_pages()["question"])
    # By class: Playwright's text search skips <noscript>, whatever the browser renders.
    note = page.locator("#practice .practice__noscript")

    if javascript:
        expect(note).to_have_count(0)
    else:
        expect(note).to_be_visible()
        expect(note).to_contain_text("save before you leave this page")
        save_screenshot(page, "practice-no-javascript-note")


@WITH_AND_WITHOUT_JAVASCRIPT
@pytest.mark.django_db(transaction=True)
def test_rating_straight_after_typing_keeps_the_notes(page, context, live_server, site, javascript):
    """The ratings were a form of their own: "Good" a second after typing threw the draft away
    (without JavaScript always; with it, after a "Leave site?" prompt)."""
    from practice.models import QuestionProgress, Review

    QuestionProgress.objects.filter(user=site.alice).delete()
    log_in(context, live_server, site.alice)
    page.goto(guide_pages()["question"])
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    draft = page.locator("#practice").get_by_label("Answer draft")
    draft.fill("Name the trade-off before the design.")
    page.locator("#practice").get_by_role("button", name="Good", exact=True).click()

    expect(page.get_by_text("Rated Good: this question comes back for review")).to_be_visible()
    expect(page.locator("#practice").get_by_label("Answer draft")).to_have_value(
        "Name the trade-off before the design."
    )
    assert dialogs == []
    assert Review.objects.filter(user=site.alice, rating=3).exists()
    save_screenshot(page, f"practice-rated-with-notes-{'js' if javascript else 'nojs'}")


@pytest.mark.django_db(transaction=True)
def test_when_the_session_has_ended_the_autosave_says_not_saved(page, context, live_server, site):
    """It followed the redirect to the login page, got a 200 and said "Saved."."""
    log_in(context, live_server, site.alice)
    page.goto(guide_pages()["question"])
    context.clear_cookies(name="sessionid")
    draft = page.locator("#practice").get_by_label("Answer draft")
    draft.fill("")
    draft.press_sequentially("Typed after the session ended.")

    status = page.locator("#practice [data-autosave-status]")
    expect(status).to_have_text(
        "Not saved: your session has ended. Copy your text, then log in again."
    )
    save_screenshot(page, "practice-autosave-session-ended")


@pytest.mark.django_db(transaction=True)
def test_an_autosave_still_on_its_way_never_overwrites_the_notes_saved_after_it(
    page, context, live_server, site
):
    """Choosing a status autosaves at once, with the notes as they were (empty); typing and
    pressing "Save practice" while that autosave was still on its way let it land second and
    blank the notes just saved."""
    from practice.models import QuestionProgress

    QuestionProgress.objects.filter(user=site.alice).delete()
    log_in(context, live_server, site.alice)
    page.goto(guide_pages()["question"])
    held = []

    def hold_autosaves(route):
        if route.request.headers.get("x-prep-autosave") == "1" and not held:
            held.append(route)  # answered later, after the Save click
        else:
            route.continue_()

    page.route("**/practice/", hold_autosaves)
    practice = page.locator("#practice")
    practice.get_by_label("Practised", exact=True).check()
    page.wait_for_timeout(300)
    assert len(held) == 1
    practice.get_by_label("Answer draft").fill("Start from the bottleneck.")
    practice.get_by_role("button", name="Save practice").click()
    page.wait_for_timeout(500)
    held[0].continue_()

    expect(practice.get_by_role("status").first).to_have_text(re.compile("Saved"))
    page.wait_for_timeout(500)
    row = QuestionProgress.objects.get(user=site.alice)
    assert (row.status, row.answer_draft) == ("practised", "Start from the bottleneck.")


@pytest.mark.django_db(transaction=True)
def test_using_a_story_right_after_typing_keeps_the_notes_and_asks_nothing(
    page, context, live_server, site
):
    """'Use this story' a second after typing asked 'Leave site?', and leaving lost the notes."""
    from practice.models import QuestionProgress
    from stories.models import Story

    QuestionProgress.objects.filter(user=site.alice).delete()
    story = Story.objects.create(user=site.alice, title="Cutting build times in half")
    log_in(context, live_server, site.alice)
    page.goto(guide_pages()["question"])
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.get_by_label("Use one of your stories").select_option(label=story.title)
    page.locator("#practice").get_by_label("Answer draft").fill("Three hires in a quarter.")
    page.get_by_role("button", name="Use this story").click()

    expect(page.locator("#stories").get_by_role("link", name=story.title)).to_be_visible()
    assert dialogs == []
    row = QuestionProgress.objects.get(user=site.alice)
    assert row.answer_draft == "Three hires in a quarter."
    expect(page.locator("#practice").get_by_label("Answer draft")).to_have_value(
        "Three hires in a quarter."
    )
