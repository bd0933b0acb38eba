# Split by domain so content, candidate progress and reminder deliveries stay small modules.
from . import content, deliveries, progress  # noqa: F401
