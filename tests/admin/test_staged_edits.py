"""Staged edits: a recruiter's change to a published guide waits for a second recruiter."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from practice.models import QuestionProgress
from questions.models import Question
from rounds import staging
from rounds.content_io.specs import question_slug
from rounds.models import Guide, GuideStatus, StagedEdit, StagedEditStatus
from studyplan.models import TaskProgress
from tests.factories import EnrolmentFactory, build_guide

NEW_TEXT = "How would you rebuild the settlement ledger?"


@pytest.fixture
def guide(db):
    guide = build_guide(slug="stripe-staff-engineer", company="Stripe", rounds=2, regions=1)
    assert guide.status == GuideStatus.PUBLISHED
    return guide


@pytest.fixture
def question(guide):
    return guide.questions.filter(round__isnull=False).order_by("pk").first()


def question_form(question: Question, **overrides) -> dict:
    data = {
        "guide": question.guide_id,
        "round": question.round_id or "",
        "region": question.region_id or "",
        "kind": question.kind,
        "text": question.text,
        "slug": question.slug,
        "order": question.order,
        "guidance": question.guidance,
        "tags": [tag.pk for tag in question.tags.all()],
        "last_reviewed": "",
    }
    return {**data, **overrides}


def change_form_data(response) -> dict:
    """What the browser would post back from an admin change page, unchanged."""
    assert response.status_code == 200
    data: dict = {}
    forms = [("", response.context["adminform"].form)]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        forms += [("", form) for form in formset.forms]
    for _, form in forms:
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [v.pk if hasattr(v, "pk") else v for v in value]
            elif value is not None:
                data[key] = getattr(value, "pk", value)
    return data


def edit_question(client, user, question: Question, **overrides):
    client.force_login(user)
    url = reverse("admin:questions_question_change", args=[question.pk])
    return client.post(url, question_form(question, **overrides), follow=True)


def step(client, user, edit: StagedEdit, name: str) -> str:
    client.force_login(user)
    url = reverse("admin:rounds_guide_staged", args=[edit.guide_id, edit.pk])
    # Discarding is confirmed on the page (the button behind "Discard…" sends confirm=yes).
    data = {"step": name, **({"confirm": "yes"} if name == "discard" else {})}
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def public_text(client, question: Question) -> str:
    client.logout()
    response = client.get(question.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_an_edit_to_a_published_guide_is_staged_and_candidates_see_it_only_after_approval(
    client, rita, sam, question
):
    old_text = question.text
    page = edit_question(client, rita, question, text=NEW_TEXT).content.decode()

    assert "Your change is staged: candidates still see the published version" in page
    assert "Staged changes waiting for review" in page
    assert NEW_TEXT in page  # in the diff
    question.refresh_from_db()
    assert question.text == old_text
    assert NEW_TEXT not in public_text(client, question)

    edit = StagedEdit.objects.get()
    assert (edit.author, edit.status) == (rita, StagedEditStatus.STAGED)
    step(client, rita, edit, "send")
    assert NEW_TEXT not in public_text(client, question)

    page = step(client, sam, edit, "approve")

    assert "Approved: candidates now see the changed guide." in page
    assert NEW_TEXT in public_text(client, question)
    question.refresh_from_db()
    assert question.text == NEW_TEXT
    edit.refresh_from_db()
    assert (edit.status, edit.decided_by) == (StagedEditStatus.APPLIED, sam)
    assert Guide.objects.get(pk=question.guide_id).last_reviewed == timezone.localdate()


@pytest.mark.django_db
def test_the_diff_of_a_reworded_question_shows_the_text_and_nothing_else(client, rita, question):
    # As most questions are: the slug made from the text, so the export leaves it out.
    Question.objects.filter(pk=question.pk).update(slug=question_slug(question.text))
    question.refresh_from_db()
    old_text = question.text
    edit_question(client, rita, question, text=NEW_TEXT)

    diff = staging.staged_edit_diff(edit=StagedEdit.objects.get())

    changed = [(line.kind, line.text.strip()) for line in diff if line.kind != "context"]
    # The slug is kept (links to the question keep working) and the diff does not say otherwise:
    # one line out, one line in, both the question's text.
    assert [kind for kind, _ in changed if kind != "gap"] == ["removed", "added"]
    assert old_text in changed[-2][1] and changed[-2][1].startswith("- text:")
    assert NEW_TEXT in changed[-1][1] and changed[-1][1].startswith("- text:")


@pytest.mark.django_db
def test_the_author_cannot_approve_their_own_staged_edit(client, rita, question):
    edit_question(client, rita, question, text=NEW_TEXT)
    edit = StagedEdit.objects.get()
    step(client, rita, edit, "send")

    page = step(client, rita, edit, "approve")

    assert "another recruiter must approve it" in page
    edit.refresh_from_db()
    assert edit.status == StagedEditStatus.IN_REVIEW
    assert NEW_TEXT not in public_text(client, question)


@pytest.mark.django_db
def test_a_staged_edit_must_be_sent_for_review_before_approval(client, rita, sam, question):
    edit_question(client, rita, question, text=NEW_TEXT)

    page = step(client, sam, StagedEdit.objects.get(), "approve")

    assert "Send this staged change for review first" in page
    assert NEW_TEXT not in public_text(client, question)


@pytest.mark.django_db
def test_a_superuser_may_approve_their_own_staged_edit(client, rita, question, admin_user):
    edit_question(client, rita, question, text=NEW_TEXT)
    edit = StagedEdit.objects.get()
    step(client, admin_user, edit, "send")

    step(client, admin_user, edit, "approve")

    assert NEW_TEXT in public_text(client, question)


@pytest.mark.django_db
def test_discarding_leaves_the_published_guide_unchanged(client, rita, sam, question):
    old_text = question.text
    edit_question(client, rita, question, text=NEW_TEXT)
    edit = StagedEdit.objects.get()

    page = step(client, sam, edit, "discard")

    assert "the published guide is unchanged" in page
    edit.refresh_from_db()
    assert (edit.status, edit.decided_by) == (StagedEditStatus.DISCARDED, sam)
    question.refresh_from_db()
    assert question.text == old_text
    assert old_text in public_text(client, question)
    # Nothing recorded either: the staged save was rolled back whole.
    assert not question.history.filter(text=NEW_TEXT).exists()
    # And the guide can be edited again.
    edit_question(client, rita, question, text="Another wording?")
    assert StagedEdit.objects.filter(status=StagedEditStatus.STAGED).count() == 1


@pytest.mark.django_db
def test_candidates_progress_survives_an_approved_edit(client, rita, sam, alice, guide, question):
    QuestionProgress.objects.create(
        user=alice, question=question, guide=guide, question_text=question.text
    )
    enrolment = EnrolmentFactory(user=alice, guide=guide)
    task = guide.study_blocks.first().tasks.first()
    TaskProgress.objects.create(enrolment=enrolment, task=task)
    edit_question(client, rita, question, text=NEW_TEXT)
    edit = StagedEdit.objects.get()
    step(client, rita, edit, "send")

    step(client, sam, edit, "approve")

    question.refresh_from_db()
    assert question.text == NEW_TEXT
    assert QuestionProgress.objects.filter(user=alice, question=question).exists()
    assert TaskProgress.objects.filter(enrolment=enrolment, task=task).exists()


@pytest.mark.django_db
def test_a_second_edit_waits_until_the_first_is_decided(client, rita, sam, guide, question):
    edit_question(client, rita, question, text=NEW_TEXT)
    other = guide.questions.exclude(pk=question.pk).first()

    client.force_login(sam)
    url = reverse("admin:questions_question_change", args=[other.pk])
    page = client.get(url).content.decode()
    assert "has a staged change by Rita" in page
    assert 'name="_save"' not in page  # read-only until the staged change is decided
    response = client.post(url, question_form(other, text="Changed meanwhile?"), follow=True)

    assert "must be approved or discarded before the guide can be changed again" in (
        response.content.decode()
    )
    assert StagedEdit.objects.count() == 1
    other.refresh_from_db()
    assert other.text != "Changed meanwhile?"


@pytest.mark.django_db
def test_an_edit_on_the_guide_page_is_staged(client, rita, guide):
    client.force_login(rita)
    url = reverse("admin:rounds_guide_change", args=[guide.pk])
    data = change_form_data(client.get(url))
    data["summary"] = "A new summary for the published guide."
    data["rounds-0-title"] = "Renamed round"
    response = client.post(url, data)

    assert response.status_code == 302
    guide.refresh_from_db()
    assert guide.summary != "A new summary for the published guide."
    document = StagedEdit.objects.get().document
    assert "A new summary for the published guide." in document
    assert "Renamed round" in document
    assert not guide.rounds.filter(title="Renamed round").exists()


@pytest.mark.django_db
def test_deleting_a_question_of_a_published_guide_is_staged(client, rita, sam, question):
    client.force_login(rita)
    url = reverse("admin:questions_question_delete", args=[question.pk])
    response = client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert Question.objects.filter(pk=question.pk).exists()
    edit = StagedEdit.objects.get()
    step(client, rita, edit, "send")
    step(client, sam, edit, "approve")
    assert not Question.objects.filter(pk=question.pk).exists()


@pytest.mark.django_db
def test_drafts_are_still_edited_directly(client, rita, guide, question):
    Guide.objects.filter(pk=guide.pk).update(status=GuideStatus.DRAFT)

    edit_question(client, rita, question, text=NEW_TEXT)

    question.refresh_from_db()
    assert question.text == NEW_TEXT
    assert not StagedEdit.objects.exists()


@pytest.mark.django_db
def test_a_superusers_edit_is_live(admin_client, guide, question):
    url = reverse("admin:questions_question_change", args=[question.pk])
    admin_client.post(url, question_form(question, text=NEW_TEXT, status="published"))

    question.refresh_from_db()
    assert question.text == NEW_TEXT
    assert not StagedEdit.objects.exists()


@pytest.mark.django_db
def test_approval_is_refused_when_the_published_guide_changed_meanwhile(
    client, rita, sam, admin_client, guide, question
):
    edit_question(client, rita, question, text=NEW_TEXT)
    edit = StagedEdit.objects.get()
    step(client, rita, edit, "send")
    other = guide.questions.exclude(pk=question.pk).first()
    other.text = "Changed live by a superuser?"
    other.save()

    page = step(client, sam, edit, "approve")

    assert "The published guide has changed since this change was staged" in page
    question.refresh_from_db()
    assert question.text != NEW_TEXT


@pytest.mark.django_db
def test_an_import_into_a_published_guide_is_staged(client, rita, sam, guide, question):
    from rounds.content_io.exporter import guide_export
    from tests.admin.test_guide_import_export import confirm_fields, upload

    client.force_login(rita)
    text = guide_export(guide=guide).replace(question.text, NEW_TEXT)
    preview = upload(client, text.encode())
    page = client.post(
        reverse("admin:rounds_guide_import"), confirm_fields(preview.content.decode()), follow=True
    ).content.decode()

    assert "Your change is staged" in page
    question.refresh_from_db()
    assert question.text != NEW_TEXT
    edit = StagedEdit.objects.get()
    assert edit.origin == "Import of a guide file"
    step(client, rita, edit, "send")
    step(client, sam, edit, "approve")
    question.refresh_from_db()
    assert question.text == NEW_TEXT


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 3])
def test_the_staged_edit_banner_costs_a_fixed_number_of_queries(client, rita, admin_user, size):
    # The guide page's own inlines grow with the guide; the banner (the open edit, the live
    # export for the diff) must not. Seen by a superuser, whose page stays editable either way.
    guide = build_guide(
        rounds=size, questions_per_round=size, regions=size, blocks=size, tasks_per_block=size
    )
    url = reverse("admin:rounds_guide_change", args=[guide.pk])
    client.force_login(admin_user)
    queries_of(client, url)  # Warm: session, permissions and caches as on the second visit.
    without = queries_of(client, url)
    edit_question(client, rita, guide.questions.first(), text=NEW_TEXT)
    client.force_login(admin_user)
    queries_of(client, url)

    with_edit = queries_of(client, url)

    assert with_edit - without == BANNER_QUERIES
    assert "Staged changes waiting for review" in client.get(url).content.decode()


# The live guide's export for the diff (guide, criteria, rounds, regional variants with regions,
# questions with tags, blocks with their tasks, rounds and tags): the open edit is looked up anyway;
# then what approving would take from candidates (ticks and notes on the items it removes: none
# here).
BANNER_QUERIES = 13


@pytest.mark.django_db
def test_a_discard_not_confirmed_discards_nothing(client, rita, sam, question):
    """Sam could throw away Rita's staged work with one click, no question asked."""
    edit_question(client, rita, question, text=NEW_TEXT)
    edit = StagedEdit.objects.get()
    client.force_login(sam)

    page = client.post(
        reverse("admin:rounds_guide_staged", args=[edit.guide_id, edit.pk]),
        {"step": "discard"},
        follow=True,
    ).content.decode()

    assert "Confirm the discard: nothing was discarded." in page
    assert "Discard…</summary>" in page
    edit.refresh_from_db()
    assert edit.status == StagedEditStatus.STAGED


@pytest.mark.django_db
def test_only_the_author_sends_a_staged_edit_so_someone_can_always_approve_it(
    client, rita, sam, question
):
    """Sam sent Rita's change: Rita had made it and Sam had sent it, so neither could approve."""
    edit_question(client, rita, question, text=NEW_TEXT)
    edit = StagedEdit.objects.get()

    page = step(client, sam, edit, "send")

    assert "Only Rita, who made this change, can send it for review." in page
    assert "Waiting for Rita to send it for review." in page
    edit.refresh_from_db()
    assert edit.status == StagedEditStatus.STAGED
    step(client, rita, edit, "send")
    assert "Approved" in step(client, sam, edit, "approve")


@pytest.mark.django_db
def test_the_reviewer_is_told_what_approving_takes_from_candidates(client, rita, sam, alice, guide):
    enrolment = EnrolmentFactory(user=alice, guide=guide)
    task = guide.study_blocks.first().tasks.first()
    TaskProgress.objects.create(enrolment=enrolment, task=task)
    staging.staged_edit_capture(
        guide=guide, user=rita, change=task.delete, succeeded=lambda _: True, origin="Test"
    )
    client.force_login(sam)

    page = client.get(reverse("admin:rounds_guide_change", args=[guide.pk])).content.decode()

    assert (
        "Approving this change removes 1 study task that 1 candidate ticked: their ticks and "
        "notes on those items are deleted." in page
    )


@pytest.mark.django_db
def test_a_guide_waiting_on_a_staged_edit_shows_its_rows_read_only(
    client, rita, sam, guide, question
):
    """The page was read-only but still offered "Add another", drag handles and row inputs."""
    edit_question(client, rita, question, text=NEW_TEXT)
    client.force_login(sam)

    page = client.get(reverse("admin:rounds_guide_change", args=[guide.pk])).content.decode()

    assert "Staged changes waiting for review" in page
    assert 'name="rounds-0-title"' not in page
    # The rounds' questions and the blocks' tasks too (they were inputs, with "Add another").
    assert 'name="rounds-0-questions-0-text"' not in page
    assert "Add another question" not in page and "Add another task" not in page
    assert f"<li>{question}</li>" in page.replace(NEW_TEXT, "")  # listed, as published
