import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

SEED_FILE = Path(settings.BASE_DIR) / "content" / "okx-head-of-engineering.yaml"


@pytest.fixture
def seed_guide(db):
    from rounds.models import Guide

    call_command("import_guide", str(SEED_FILE), stdout=io.StringIO())
    return Guide.objects.get(slug="okx-head-of-engineering")


@pytest.fixture
def recruiter_client(client, recruiter):
    client.force_login(recruiter)
    return client
