"""`Idempotency-Key` on POSTs that create things: a retried request is answered, not redone.

A client that lost the answer to "enrol me" cannot know whether it arrived. Sending the same
`Idempotency-Key` again with the same body replays the first answer (status, body, Location),
marked `Idempotent-Replayed: true`, and creates nothing more; the same key with a different
request is a client bug and answers 422. Only successful answers are kept: after a 4xx the client
fixes the request and may retry with the same key.

Concurrency: the key is claimed by inserting its row in the same transaction as the work. A
second request with that key waits on the unique index until the first commits (then replays
its answer) or rolls back (then does the work itself), so two racing retries never both create.
"""

import datetime
import hashlib
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from .api_errors import IdempotencyKeyReused
from .models import IdempotencyRecord

HEADER = "Idempotency-Key"
KEEP_FOR = datetime.timedelta(hours=24)
# Headers of the answer that a replay must repeat.
REPLAYED_HEADERS = ("Location", "ETag")


def _key(request: Request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not 1 <= len(key) <= 255 or not all("!" <= char <= "~" for char in key):
        raise ValidationError({HEADER: ["Use 1 to 255 visible ASCII characters, e.g. a UUID."]})
    return key


def _fingerprint(request: Request) -> str:
    body = json.dumps(request.data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    raw = "\n".join([request.method, request.get_full_path(), body])
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def _replay(record: IdempotencyRecord) -> Response:
    response = Response(record.body, status=record.status_code, headers=record.headers)
    response["Idempotent-Replayed"] = "true"
    return response


def _claim(request: Request, key: str, fingerprint: str) -> IdempotencyRecord | Response:
    """This request's own new record, or the replay of the earlier request with the key."""
    for _ in range(2):
        try:
            with transaction.atomic():
                return IdempotencyRecord.objects.create(
                    user=request.user, key=key, fingerprint=fingerprint, status_code=0
                )
        except IntegrityError:
            earlier = IdempotencyRecord.objects.filter(user=request.user, key=key).first()
        if earlier is None:
            continue
        if earlier.created_at < timezone.now() - KEEP_FOR:
            earlier.delete()
            continue
        if earlier.fingerprint != fingerprint:
            raise IdempotencyKeyReused(
                f"This {HEADER} was used for a different request; send a new key for this one."
            )
        return _replay(earlier)
    raise IdempotencyKeyReused(f"This {HEADER} is in use; retry in a moment.")


def idempotent(handler: Callable[..., Response]) -> Callable[..., Response]:
    """Honour an optional Idempotency-Key on a POST handler of an authenticated view."""

    @wraps(handler)
    def wrapped(view: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = _key(request)
        if key is None:
            return handler(view, request, *args, **kwargs)
        fingerprint = _fingerprint(request)
        IdempotencyRecord.objects.filter(created_at__lt=timezone.now() - KEEP_FOR).delete()
        with transaction.atomic():
            claimed = _claim(request, key, fingerprint)
            if isinstance(claimed, Response):
                return claimed
            # An exception here rolls the claim back with the work: the key stays free.
            response = handler(view, request, *args, **kwargs)
            if 200 <= response.status_code < 300:
                claimed.status_code = response.status_code
                claimed.body = json.loads(json.dumps(response.data, cls=JSONEncoder))
                claimed.headers = {
                    name: response[name] for name in REPLAYED_HEADERS if name in response
                }
                claimed.save(update_fields=["status_code", "body", "headers"])
            else:
                claimed.delete()
        return response

    wrapped.idempotent = True  # type: ignore[attr-defined]
    return wrapped
