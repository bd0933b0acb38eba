"""import_guide and export_guide as a recruiter runs them from a terminal."""

import io
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from .conftest import SEED_FILE


@pytest.mark.django_db
def test_export_guide_writes_the_file(seed_guide, tmp_path):
    target = tmp_path / "okx.yaml"
    err = io.StringIO()

    call_command("export_guide", "okx-head-of-engineering", "-o", str(target), stderr=err)

    assert target.read_bytes() == SEED_FILE.read_bytes()
    assert f"Wrote okx-head-of-engineering to {target}." in err.getvalue()


@pytest.mark.django_db
def test_export_guide_prints_to_standard_output_without_a_file(seed_guide):
    out = io.StringIO()

    call_command("export_guide", "okx-head-of-engineering", stdout=out)

    assert out.getvalue() == SEED_FILE.read_text(encoding="utf-8")


@pytest.mark.django_db
def test_export_guide_names_the_known_guides_when_the_slug_is_wrong(seed_guide):
    with pytest.raises(CommandError) as excinfo:
        call_command("export_guide", "okx-head-of-engineerin")

    assert str(excinfo.value) == (
        'No guide has the slug "okx-head-of-engineerin" (guides: okx-head-of-engineering).'
    )


def test_a_bad_file_exits_non_zero_with_the_errors_and_no_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        SEED_FILE.read_text(encoding="utf-8").replace("status: published", "status: live"),
        encoding="utf-8",
    )
    # A database of its own: the command runs in a separate process, outside the test's.
    env = {
        **os.environ,
        "PREP_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
    }
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, timeout=120)

    result = subprocess.run(
        [*manage, "import_guide", str(bad)], env=env, capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 1
    assert 'line 9: status: "live" is not one of draft, in_review, published' in result.stderr
    assert "Traceback" not in result.stderr
