"""Recruiters import and export guide files from the admin."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rounds.content_io.exporter import guide_export
from rounds.models import Guide
from tests.factories import build_guide

from .conftest import SEED_FILE


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
def test_uploading_a_guide_file_imports_it_and_opens_the_guide(recruiter_client):
    response = upload(recruiter_client, SEED_FILE.read_bytes())

    guide = Guide.objects.get(slug="okx-head-of-engineering")
    assert response.redirect_chain[-1][0] == reverse("admin:rounds_guide_change", args=[guide.pk])
    assert "Imported okx-head-of-engineering: 56 created" in response.content.decode()
    assert guide.questions.count() == 28
    history = recruiter_client.get(reverse("admin:rounds_guide_history", args=[guide.pk]))
    assert "Imported from YAML: okx-head-of-engineering: 56 created" in history.content.decode()


@pytest.mark.django_db
def test_uploading_the_same_file_again_reports_no_changes(recruiter_client, seed_guide):
    response = upload(recruiter_client, SEED_FILE.read_bytes())

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
