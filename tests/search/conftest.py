from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

SEED = Path(settings.BASE_DIR) / "content" / "okx-head-of-engineering.yaml"


@pytest.fixture
def seed_guide(db):
    """The seed guide, imported as `make run` does."""
    call_command("import_guide", str(SEED), verbosity=0)


@pytest.fixture
def okx_like(db):
    """A published guide with nothing in it, for questions made to measure."""
    from rounds.models import GuideStatus
    from tests.factories import GuideFactory

    return GuideFactory(
        company="Okx", role="Head of Engineering", slug="okx", status=GuideStatus.PUBLISHED
    )
