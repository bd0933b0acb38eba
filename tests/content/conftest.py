import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

SEED_FILE = Path(settings.BASE_DIR) / "content" / "okx-head-of-engineering.yaml"
SOURCE_FILE = Path(settings.BASE_DIR) / "content" / "source-okx-head-of-engineering.txt"


def import_guide(path: Path | str) -> str:
    """Run the import command as a recruiter would; its one-line summary."""
    out = io.StringIO()
    call_command("import_guide", str(path), stdout=out)
    return out.getvalue().strip()


@pytest.fixture
def seed_guide(db):
    from rounds.models import Guide

    import_guide(SEED_FILE)
    return Guide.objects.get(slug="okx-head-of-engineering")


@pytest.fixture
def seed_text() -> str:
    return SEED_FILE.read_text(encoding="utf-8")
