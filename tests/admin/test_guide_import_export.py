"""Recruiters import and export guide files from the admin."""

import datetime
import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rounds.content_io.exporter import guide_export
from rounds.models import Guide, GuideStatus
from studyplan.models import StudyTask, TaskProgress
from tests.factories import EnrolmentFactory, build_guide

from .conftest import SEED_FILE


def section_row(section: str, *counts: int) -> str:
    """A row of the import preview's table: added, changed, removed, unchanged."""
    cells = "".join(f"<td>{count}</td>" for count in counts)
    return f'<tr><th scope="row">{section}</th>{cells}</tr>'


def upload(client, content: bytes, name: str = "guide.yaml"):
    return client.post(
        reverse("admin:rounds_guide_import"),
        {"file": SimpleUploadedFile(name, content, content_type="application/yaml")},
        follow=True,
    )


@pytest.mark.django_db
def test_changelist_links_to_import_and_completeness(recruiter_client):
    page = recruiter_client.get(reverse("admin:rounds_guide_changelist")).content.decode()

    assert "Import guide from YAML" in page
    assert reverse("admin:rounds_guide_import") in page
    assert reverse("admin:rounds_guide_completeness") in page


@pytest.mark.django_db
def test_uploading_a_guide_file_previews_it_then_imports_it_and_opens_the_guide(
    recruiter_client,
):
    preview = upload(recruiter_client, SEED_FILE.read_bytes())

    page = preview.content.decode()
    assert "Nothing has been imported yet." in page
    assert section_row("Questions", 28, 0, 0, 0) in page
    assert not Guide.objects.exists()

    response = recruiter_client.post(
        reverse("admin:rounds_guide_import"), confirm_fields(page), follow=True
    )

    guide = Guide.objects.get(slug="okx-head-of-engineering")
    assert response.redirect_chain[-1][0] == reverse("admin:rounds_guide_change", args=[guide.pk])
    assert "Imported okx-head-of-engineering: 56 created" in response.content.decode()
    assert guide.questions.count() == 28
    history = recruiter_client.get(reverse("admin:rounds_guide_history", args=[guide.pk]))
    assert "Imported from YAML: okx-head-of-engineering: 56 created" in history.content.decode()
    # The file says "published", but a recruiter's file cannot publish: that takes a review.
    assert guide.status == GuideStatus.DRAFT


@pytest.mark.django_db
def test_a_superusers_import_applies_the_files_status(admin_client):
    preview = upload(admin_client, SEED_FILE.read_bytes())
    admin_client.post(
        reverse("admin:rounds_guide_import"), confirm_fields(preview.content.decode())
    )
    assert Guide.objects.get(slug="okx-head-of-engineering").status == GuideStatus.PUBLISHED


@pytest.mark.django_db
def test_uploading_the_same_file_again_reports_no_changes(recruiter_client, seed_guide):
    response = upload(recruiter_client, SEED_FILE.read_bytes())

    assert response.redirect_chain[-1][0] == reverse(
        "admin:rounds_guide_change", args=[seed_guide.pk]
    )
    assert "Nothing to import" in response.content.decode()
    assert "0 created, 0 updated, 56 unchanged, 0 removed (no changes)" in response.content.decode()


@pytest.mark.django_db
def test_uploading_a_bad_file_lists_each_error_with_its_line_and_changes_nothing(
    recruiter_client, seed_guide
):
    before = guide_export(guide=seed_guide)
    seed = SEED_FILE.read_text(encoding="utf-8")
    plan_line = seed.splitlines().index("plan_weeks: 8") + 1
    bad = seed.replace("plan_weeks: 8", "plan_weeks: eight").replace(
        "kind: motivation", "kind: motivashun", 1
    )

    response = upload(recruiter_client, bad.encode())

    page = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was imported. Fix these 2 problems" in page
    assert f"line {plan_line}: plan_weeks: must be a whole number, not &#x27;eight&#x27;" in page
    assert "rounds[0].questions[1].kind: &quot;motivashun&quot; is not one of" in page
    assert guide_export(guide=Guide.objects.get()) == before


@pytest.mark.django_db
def test_uploading_a_file_that_is_not_text_is_refused(recruiter_client):
    response = upload(recruiter_client, b"\x89PNG\r\n\x1a\n\x00\xff", name="photo.png")

    assert "the file is not UTF-8 text" in response.content.decode()
    assert not Guide.objects.exists()


@pytest.mark.django_db
def test_posting_without_a_file_asks_for_one(recruiter_client):
    response = recruiter_client.post(reverse("admin:rounds_guide_import"), {})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


@pytest.mark.django_db
def test_export_button_downloads_the_guide_as_yaml(recruiter_client, seed_guide):
    response = recruiter_client.get(reverse("admin:rounds_guide_export", args=[seed_guide.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/yaml; charset=utf-8"
    assert 'filename="okx-head-of-engineering.yaml"' in response["Content-Disposition"]
    assert response.content == SEED_FILE.read_bytes()


@pytest.mark.django_db
@pytest.mark.parametrize("object_id", ["999", "abc", "²", "99999999999999999999999"])
def test_export_of_a_missing_guide_is_a_404(recruiter_client, object_id):
    response = recruiter_client.get(reverse("admin:rounds_guide_export", args=[object_id]))

    assert response.status_code == 404


@pytest.mark.django_db
def test_export_action_downloads_one_file_or_a_zip_of_several(recruiter_client, seed_guide):
    other = build_guide(rounds=1, questions_per_round=1, regions=0, blocks=1, tasks_per_block=1)
    url = reverse("admin:rounds_guide_changelist")

    one = recruiter_client.post(url, {"action": "export_yaml", "_selected_action": [seed_guide.pk]})
    several = recruiter_client.post(
        url, {"action": "export_yaml", "_selected_action": [seed_guide.pk, other.pk]}
    )

    assert one.content == SEED_FILE.read_bytes()
    assert several["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(several.content))
    assert sorted(archive.namelist()) == [f"{other.slug}.yaml", "okx-head-of-engineering.yaml"]
    assert archive.read("okx-head-of-engineering.yaml") == SEED_FILE.read_bytes()


BILLION_LAUGHS = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(
        f"{chr(ord('b') + n)}: &{chr(ord('b') + n)} [{', '.join(['*' + chr(ord('a') + n)] * 10)}]\n"
        for n in range(8)
    )
).encode()


def tick_everything(guide, *people) -> None:
    for person in people:
        enrolment = EnrolmentFactory(user=person, guide=guide, start_date=datetime.date(2026, 1, 5))
        for task in StudyTask.objects.filter(block__guide=guide):
            TaskProgress.objects.create(enrolment=enrolment, task=task)


def without_task(text: str, task: StudyTask) -> str:
    item = f"      - text: {task.text}\n        key: {task.key}\n"
    assert item in text
    return text.replace(item, "")


@pytest.mark.django_db
def test_a_file_removing_ticked_tasks_is_previewed_and_changes_nothing(
    recruiter_client, seed_guide, alice, bob
):
    tick_everything(seed_guide, alice, bob)
    task = StudyTask.objects.get(text="Understand the company's strategic goals and challenges.")
    before = guide_export(guide=seed_guide)

    response = upload(recruiter_client, without_task(SEED_FILE.read_text(), task).encode())

    page = response.content.decode()
    assert response.status_code == 200
    assert response.redirect_chain == []
    assert "Nothing has been imported yet." in page
    assert "This file removes 1 study task that 2 candidates" in page
    # The other tasks keep their positions (1, 3, 4 …), so they are not rewritten.
    staying = StudyTask.objects.filter(block__guide=seed_guide).count() - 1
    assert section_row("Study tasks", 0, 0, 1, staying) in page
    assert "Understand the company&#x27;s strategic goals and challenges." in page
    assert "Import and remove candidates’ progress" in page
    assert guide_export(guide=Guide.objects.get()) == before
    assert TaskProgress.objects.filter(task=task).count() == 2


@pytest.mark.django_db
def test_confirming_the_preview_applies_the_import(recruiter_client, seed_guide, alice, bob):
    # A draft: into a published guide a recruiter's import is staged (test_staged_edits.py).
    Guide.objects.filter(pk=seed_guide.pk).update(status="draft")
    tick_everything(seed_guide, alice, bob)
    task = StudyTask.objects.get(text="Understand the company's strategic goals and challenges.")
    preview = upload(recruiter_client, without_task(SEED_FILE.read_text(), task).encode())
    form = confirm_fields(preview.content.decode())

    response = recruiter_client.post(reverse("admin:rounds_guide_import"), form, follow=True)

    assert response.redirect_chain[-1][0] == reverse(
        "admin:rounds_guide_change", args=[seed_guide.pk]
    )
    assert "removed 1 study task" in response.content.decode()
    assert not StudyTask.objects.filter(pk=task.pk).exists()
    assert TaskProgress.objects.count() == 2 * 12


@pytest.mark.django_db
def test_a_confirmation_for_other_removals_shows_the_preview_again(
    recruiter_client, seed_guide, alice, bob
):
    tick_everything(seed_guide, alice)
    first = StudyTask.objects.get(text="Understand the company's strategic goals and challenges.")
    second = StudyTask.objects.get(text="Focus on technical leadership and system design.")
    text = without_task(without_task(SEED_FILE.read_text(), first), second)
    form = confirm_fields(upload(recruiter_client, text.encode()).content.decode())
    # Meanwhile Bob ticks the second task; the recruiter confirmed losing only Alice's ticks.
    # Take Alice's tick on `second` away so the set of removed items with progress changes.
    TaskProgress.objects.filter(task=second).delete()
    tick_everything(seed_guide, bob)
    TaskProgress.objects.filter(task=first).delete()

    response = recruiter_client.post(reverse("admin:rounds_guide_import"), form)

    page = response.content.decode()
    assert "changed since you last looked" in page
    assert "removes 1 study task that 1 candidate ticked" in page
    assert StudyTask.objects.filter(pk__in=[first.pk, second.pk]).count() == 2


@pytest.mark.django_db
def test_a_damaged_confirmation_is_refused(recruiter_client, seed_guide):
    response = recruiter_client.post(
        reverse("admin:rounds_guide_import"), {"content": "not base64!", "confirmed": "x"}
    )

    assert response.status_code == 400
    assert "The previewed file was damaged; upload it again." in response.content.decode()


def confirm_fields(page: str) -> dict[str, str]:
    fields = dict(
        re.findall(r'<input type="hidden" name="(content|confirmed)" value="([^"]*)"', page)
    )
    assert set(fields) == {"content", "confirmed"}
    return fields


@pytest.mark.django_db
def test_a_billion_laughs_file_is_refused_with_a_short_answer(recruiter_client):
    assert len(BILLION_LAUGHS) < 500

    response = upload(recruiter_client, BILLION_LAUGHS)

    page = response.content.decode()
    assert response.status_code == 400
    assert "line 1: YAML anchors and aliases (&amp; and *) are not allowed" in page
    assert len(response.content) < 20_000
    assert not Guide.objects.exists()


@pytest.mark.django_db
def test_a_50_mb_upload_is_refused_with_a_short_answer(recruiter_client):
    response = upload(recruiter_client, b"a" * 50_000_000)

    assert response.status_code == 413
    assert "The file is 50,000,000 bytes; guide files are at most 1,000,000 bytes." in (
        response.content.decode()
    )
    assert len(response.content) < 20_000


@pytest.mark.django_db
def test_a_file_with_a_megabyte_line_and_many_errors_gives_a_short_list(recruiter_client):
    lines = ["slug: " + "x" * 450_000, "status: " + "y" * 450_000]
    lines += [f"unknown_{n}: 1" for n in range(200)]

    response = upload(recruiter_client, "\n".join(lines).encode())

    page = response.content.decode()
    assert response.status_code == 400
    assert "Fix these 206 problems" in page
    assert "… and 156 more problems" in page
    assert "line 1: slug: is 450,000 characters long; the limit is 120" in page
    assert (
        f"line 2: status: &quot;{'y' * 79}…&quot; is not one of draft, in_review, published" in page
    )
    assert len(response.content) < 40_000


@pytest.mark.django_db
def test_the_preview_of_an_edited_file_shows_each_section_and_writes_nothing(
    recruiter_client, seed_guide
):
    text = SEED_FILE.read_text()
    question = seed_guide.questions.order_by("pk").first()
    edited = text.replace(question.text, question.text + " Give an example.", 1)
    assert edited != text
    history_rows = question.history.count()

    page = upload(recruiter_client, edited.encode()).content.decode()

    assert section_row("Questions", 0, 1, 0, 27) in page
    assert "Rounds" in page and "Study tasks" in page
    assert 'value="Import"' in page
    question.refresh_from_db()
    assert not question.text.endswith("Give an example.")
    assert question.history.count() == history_rows  # the trial run was rolled back
