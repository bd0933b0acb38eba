# Split by domain so content and candidate progress stay small modules.
from . import content, progress  # noqa: F401
