"""The API's JSON parser: any body it cannot turn into data a database can store is a 400.

DRF's own parser lets through what Python's `json` accepts: a body nested 100,000 deep raises
RecursionError (a 500), NUL characters and lone surrogates reach PostgreSQL (which refuses them,
another 500), and `1e999` becomes infinity.
"""

import json
import math
from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# No request body of this API nests deeper than two levels; this leaves room and stops abuse.
MAX_DEPTH = 32
# Database integer columns are 64-bit; a larger number is a client bug, not an id.
MIN_INTEGER, MAX_INTEGER = -(2**63), 2**63 - 1


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def _check_text(text: str) -> None:
    if "\x00" in text:
        raise ParseError("Text may not contain NUL characters (\\u0000).")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ParseError("Text may not contain unpaired surrogates (\\ud800-\\udfff).") from None


def check_parsed(data: Any) -> None:
    """Refuse what json.loads accepts but the API cannot store; iterative, so depth is free."""
    pending = [(data, 0)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict | list):
            if depth >= MAX_DEPTH:
                raise ParseError(f"JSON may nest at most {MAX_DEPTH} levels deep.")
            if isinstance(value, dict):
                for key in value:
                    _check_text(key)
                pending.extend((item, depth + 1) for item in value.values())
            else:
                pending.extend((item, depth + 1) for item in value)
        elif isinstance(value, str):
            _check_text(value)
        elif isinstance(value, float) and not math.isfinite(value):
            raise ParseError("Numbers must be finite.")
        elif isinstance(value, int) and not isinstance(value, bool):
            if not MIN_INTEGER <= value <= MAX_INTEGER:
                raise ParseError(f"Whole numbers must lie between {MIN_INTEGER} and {MAX_INTEGER}.")


class StrictJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        # DRF hands JSON parsers a copy of `request.body`, already capped by Django at
        # DATA_UPLOAD_MAX_MEMORY_SIZE (prep.api_errors answers that with a 413).
        raw = stream.read()
        try:
            # JSON is UTF-8 (RFC 8259): a "charset=latin-1" in the Content-Type turned "café"
            # into "cafÃ©", stored as if the client had meant it.
            data = json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant)
        except RecursionError:
            raise ParseError(f"JSON may nest at most {MAX_DEPTH} levels deep.") from None
        except ValueError as exc:
            # UnicodeDecodeError (not UTF-8) and too many digits are ValueErrors too.
            raise ParseError(f"JSON parse error - {exc}") from None
        check_parsed(data)
        return data
