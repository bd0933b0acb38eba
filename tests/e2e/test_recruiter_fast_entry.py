"""A recruiter writes "Staff Engineer at Stripe" (2 rounds, 3 questions, 1 new region, a 2-block
plan with 6 tasks) in the admin, counting page loads and field entries: at most 4 loads, no
failed save, axe at zero on every admin page on the way, no sideways scrolling at 1280 px."""

import pytest
from playwright.sync_api import expect

from .browser import ARTIFACTS, DESKTOP, PHONE, axe_report, log_in, save_screenshot

ROUNDS = ["Recruiter call", "System design"]
QUESTIONS = {  # round index -> questions typed into its rows
    0: ["Why do you want to work here?", "Tell us about a project you led end to end."],
    1: ["Design a ledger that never loses a payment."],
}
BLOCKS = [(1, 2, "Research the company"), (3, 4, "Practise the rounds")]
TASKS = [
    ["Read the company's annual letter.", "List three products.", "Write your why."],
    ["Run a mock system design.", "Practise two stories.", "Ask for feedback."],
]


@pytest.mark.django_db(transaction=True)
def test_recruiter_writes_a_whole_guide_in_a_few_page_loads(page, context, live_server, recruiter):
    from questions.models import Question
    from rounds.models import Guide
    from studyplan.models import StudyTask

    log_in(context, live_server, recruiter)
    loads: list[str] = []
    page.on("load", lambda: loads.append(page.url))
    entries = 0

    def fill(selector: str, value: str) -> None:
        nonlocal entries
        entries += 1
        field = page.locator(selector)
        field.fill(value)
        field.dispatch_event("change")  # as leaving the field does (the slug follows the title)

    def click(name: str) -> None:
        page.get_by_role("button", name=name).or_(page.get_by_role("link", name=name)).click()

    # Load 1: a new guide, with everything that needs no saved guide.
    page.goto("/admin/rounds/guide/add/")
    fill("#id_company", "Stripe")
    fill("#id_role", "Staff Engineer")
    expect(page.locator("#id_slug")).to_have_value("stripe-staff-engineer")
    fill("#id_plan_weeks", "4")

    click("Add another Evaluation criterion")
    fill('input[name="criteria-0-title"]', "Technical depth")
    fill('textarea[name="criteria-0-description"]', "Explains trade-offs clearly. " * 12)

    for index, title in enumerate(ROUNDS):
        click("Add another Round")
        fill(f'input[name="rounds-{index}-title"]', title)
        for row, text in enumerate(QUESTIONS[index]):
            fill(f'textarea[name="rounds-{index}-questions-{row}-text"]', text)
            page.locator(f'select[name="rounds-{index}-questions-{row}-kind"]').select_option(
                "technical" if index else "motivation"
            )
            entries += 1
    expect(page.locator('input[name="rounds-1-slug"]')).to_have_value("system-design")

    click("Add another regional difference")
    fill('input[name="regional_variants-0-new_region"]', "Europe")

    for index, (start, end, title) in enumerate(BLOCKS):
        click("Add another Study block")
        fill(f'input[name="study_blocks-{index}-start_week"]', str(start))
        fill(f'input[name="study_blocks-{index}-end_week"]', str(end))
        fill(f'input[name="study_blocks-{index}-title"]', title)
        for row, text in enumerate(TASKS[index]):
            fill(f'textarea[name="study_blocks-{index}-tasks-{row}-text"]', text)

    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    report = axe_report(page)
    assert report == "", report
    save_screenshot(page, "recruiter-fast-entry-1-new-guide")

    # Load 2: saved in one go; back on the guide, the new region is offered for questions.
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    expect(page.locator(".errornote")).to_have_count(0)
    region = page.locator('select[name="rounds-1-questions-0-region"]')
    expect(region.locator("option")).to_have_text(["---------", "Europe"])
    region.select_option(label="Europe")
    entries += 1

    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    report = axe_report(page)
    assert report == "", report
    save_screenshot(page, "recruiter-fast-entry-2-guide-1280")
    rounds = page.locator("#rounds-group")
    rounds.screenshot(path=str(ARTIFACTS / "recruiter-fast-entry-rounds.png"))
    page.set_viewport_size(PHONE)
    save_screenshot(page, "recruiter-fast-entry-3-guide-390")
    page.locator("#study_blocks-group").screenshot(
        path=str(ARTIFACTS / "recruiter-fast-entry-blocks-390.png")
    )
    page.set_viewport_size(DESKTOP)

    # Load 3: saved; the list of guides.
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    report = axe_report(page)
    assert report == "", report

    print(f"{len(loads)} page loads, {entries} field entries: {loads}")
    assert len(loads) <= 4

    guide = Guide.objects.get(slug="stripe-staff-engineer")
    assert [(r.order, r.title) for r in guide.rounds.all()] == [(1, ROUNDS[0]), (2, ROUNDS[1])]
    questions = Question.objects.filter(guide=guide).order_by("round__order", "order")
    assert [(q.round.title, q.order, q.text) for q in questions] == [
        (ROUNDS[0], 1, QUESTIONS[0][0]),
        (ROUNDS[0], 2, QUESTIONS[0][1]),
        (ROUNDS[1], 1, QUESTIONS[1][0]),
    ]
    assert questions.last().region.name == "Europe"
    assert [v.region.name for v in guide.regional_variants.all()] == ["Europe"]
    assert [b.weeks_label for b in guide.study_blocks.all()] == ["1-2", "3-4"]
    tasks = StudyTask.objects.filter(block__guide=guide).order_by("block__start_week", "order")
    assert [t.text for t in tasks] == TASKS[0] + TASKS[1]
