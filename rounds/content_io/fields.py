"""Typed reads of fields from a located YAML mapping, recording every problem found."""

import datetime
import re
from typing import Any

from django.db import models

from prep.content_limits import ITEM_MAX_CHARS, TEXT_MAX_CHARS
from prep.multiline import normalise_line_breaks

from .errors import ContentError, shorten
from .loader import LocatedDict, LocatedList

SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]+$")


def limit_of(model: type[models.Model], name: str) -> int | None:
    """The max_length of a model field, so the file is held to what the database stores."""
    return model._meta.get_field(name).max_length


class Reader:
    """Reads typed fields out of located mappings, recording every problem."""

    def __init__(self) -> None:
        self.errors: list[ContentError] = []

    def error(self, line: int | None, path: str, message: str) -> None:
        self.errors.append(ContentError(line, path, message))

    def mapping(self, value: Any, path: str, line: int | None) -> LocatedDict | None:
        if isinstance(value, LocatedDict):
            return value
        self.error(line, path, f"must be a block of fields, not {describe(value)}")
        return None

    def check_keys(self, data: LocatedDict, path: str, allowed: set[str]) -> None:
        for key in data:
            if key not in allowed:
                expected = ", ".join(sorted(allowed))
                self.error(
                    data.lines[key], join(path, key), f"unknown field (expected one of {expected})"
                )

    def text(
        self,
        data: LocatedDict,
        key: str,
        path: str,
        *,
        required: bool = False,
        max_length: int | None = None,
        single_line: bool = False,
    ) -> str:
        where = join(path, key)
        if key not in data or data[key] is None:
            if required:
                self.error(data.line, where, "is required")
            return ""
        value = data[key]
        line = data.lines[key]
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(line, where, f"must be text, not {describe(value)}")
            return ""
        value = str(value)
        if required and not value.strip():
            self.error(line, where, "must not be empty")
        max_length = max_length or TEXT_MAX_CHARS
        # Counted as the admin counts (prep/content_limits.py): a line break is one character,
        # though texts typed in a browser are stored, and exported, with CRLF.
        length = len(normalise_line_breaks(value))
        if length > max_length:
            self.error(line, where, f"is {length:,} characters long; the limit is {max_length:,}")
        if single_line and "\n" in value.strip():
            self.error(line, where, "must fit on one line")
        return value

    def integer(
        self,
        data: LocatedDict,
        key: str,
        path: str,
        *,
        required: bool = False,
        minimum: int = 0,
        maximum: int = 32767,
        default: int | None = None,
    ) -> int | None:
        where = join(path, key)
        if key not in data or data[key] is None:
            if required:
                self.error(data.line, where, "is required")
            return default
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(data.lines[key], where, f"must be a whole number, not {describe(value)}")
            return default
        if not minimum <= value <= maximum:
            self.error(data.lines[key], where, f"must be between {minimum} and {maximum}")
            return default
        return value

    def boolean(self, data: LocatedDict, key: str, path: str, *, default: bool) -> bool:
        if key not in data or data[key] is None:
            return default
        value = data[key]
        if not isinstance(value, bool):
            self.error(data.lines[key], join(path, key), f"must be true or false, not {value!r}")
            return default
        return value

    def date(self, data: LocatedDict, key: str, path: str) -> datetime.date | None:
        if key not in data or data[key] is None:
            return None
        value = data[key]
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return value
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                pass
        self.error(data.lines[key], join(path, key), f"must be a date like 2026-01-31: {value!r}")
        return None

    def choice(self, data: LocatedDict, key: str, path: str, choices: list[str]) -> str:
        value = self.text(data, key, path, required=True)
        if value and value not in choices:
            self.error(
                data.lines[key],
                join(path, key),
                f'"{shorten(value, 80)}" is not one of {", ".join(choices)}',
            )
        return value

    def slug(self, data: LocatedDict, key: str, path: str, *, max_length: int) -> str:
        value = self.text(data, key, path, max_length=max_length)
        if value and not SLUG_RE.match(value):
            self.error(
                data.lines[key],
                join(path, key),
                f'"{shorten(value, 80)}" may only hold letters, digits, hyphens and underscores',
            )
        return value

    def items(self, data: LocatedDict, key: str, path: str) -> str:
        """A list of one-line texts, stored one per line."""
        value = self.sequence(data, key, path)
        lines: list[str] = []
        for index, item in enumerate(value):
            where = f"{join(path, key)}[{index}]"
            line = value.lines[index]
            if isinstance(item, bool) or not isinstance(item, str | int | float):
                self.error(line, where, f"must be text, not {describe(item)}")
                continue
            item = str(item).strip()
            if not item:
                self.error(line, where, "must not be empty")
            elif "\n" in item:
                self.error(line, where, "must fit on one line (make it two items instead)")
            elif len(item) > ITEM_MAX_CHARS:
                self.error(
                    line,
                    where,
                    f"is {len(item):,} characters long; the limit is {ITEM_MAX_CHARS:,}",
                )
            else:
                lines.append(item)
        return "\n".join(lines)

    def sequence(self, data: LocatedDict, key: str, path: str) -> LocatedList:
        value = data.get(key)
        if value is None:
            empty = LocatedList()
            empty.line, empty.lines = data.line, []
            return empty
        if not isinstance(value, LocatedList):
            self.error(data.lines[key], join(path, key), f"must be a list, not {describe(value)}")
            empty = LocatedList()
            empty.line, empty.lines = data.line, []
            return empty
        return value


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a block of fields"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "nothing"
    return shorten(repr(value), 80)
