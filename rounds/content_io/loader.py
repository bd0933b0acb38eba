"""Parse YAML while remembering the line of every mapping and value, for precise error messages."""

from typing import Any

import yaml

from .errors import ContentError, ContentFileInvalid


class LocatedDict(dict):
    """A YAML mapping that knows its own line and the line of each of its values."""

    line: int
    lines: dict[str, int]


class LocatedList(list):
    """A YAML sequence that knows its own line and the line of each of its items."""

    line: int
    lines: list[int]


# Guide files are at most this big (the seed is about 20 kB); a bigger upload is refused unread.
MAX_FILE_BYTES = 1_000_000


class _LineLoader(yaml.SafeLoader):
    """A SafeLoader that refuses anchors and aliases.

    An alias repeats a value without repeating its text, so ten nested levels turn a 400-byte file
    into gigabytes ("billion laughs"); a guide file never needs one, so they are refused while the
    document is composed, before anything is expanded.
    """

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise ContentFileInvalid(
                [
                    ContentError(
                        event.start_mark.line + 1,
                        "",
                        "YAML anchors and aliases (& and *) are not allowed in guide files; "
                        "write the value out in full",
                    )
                ]
            )
        return super().compose_node(parent, index)


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LocatedDict:
    loader.flatten_mapping(node)
    mapping = LocatedDict()
    mapping.line = node.start_mark.line + 1
    mapping.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, str):
            raise ContentFileInvalid([ContentError(line, "", f"field names must be text: {key!r}")])
        if key in mapping:
            raise ContentFileInvalid([ContentError(line, key, "appears twice in the same block")])
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = value_node.start_mark.line + 1
    return mapping


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LocatedList:
    sequence = LocatedList(loader.construct_object(child, deep=True) for child in node.value)
    sequence.line = node.start_mark.line + 1
    sequence.lines = [child.start_mark.line + 1 for child in node.value]
    return sequence


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
    # PyYAML raises a bare ValueError for a date-shaped value such as 2026-13-45; keeping the text
    # lets the field reader name the field and line instead of crashing the import.
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


# The parser's words for the mistakes recruiters make, each with what usually fixes it.
SYNTAX_HINTS = [
    (
        "mapping values are not allowed here",
        " (usually a colon followed by a space inside a text that is not in quotes: put the "
        'whole text in double quotes, e.g. text: "Design: how would you…")',
    ),
    ("found character '\\t'", " (a tab: indent with spaces)"),
    (
        "could not find expected ':'",
        " (a line that is neither `field: value` nor `- item`, or a quote left open above it)",
    ),
    (
        "found unexpected end of stream",
        " (a quote opened and never closed)",
    ),
    (
        "expected <block end>, but found",
        " (a line indented differently from the lines around it)",
    ),
]


def load_located(text: str) -> Any:
    """The document in `text`, with line numbers; raises ContentFileInvalid on a syntax error."""
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "cannot be read"
        hint = next((hint for start, hint in SYNTAX_HINTS if problem.startswith(start)), "")
        raise ContentFileInvalid(
            [ContentError(line, "", f"YAML syntax error: {problem}{hint}")]
        ) from None
    except yaml.YAMLError as exc:
        raise ContentFileInvalid([ContentError(None, "", f"YAML syntax error: {exc}")]) from None
    except RecursionError:
        # Composing is recursive: thousands of nested [ or { exhaust the stack.
        raise ContentFileInvalid(
            [ContentError(None, "", "the file nests lists or blocks too deeply to be a guide")]
        ) from None


def decode_content(raw: bytes) -> str:
    """The file's text; raises ContentFileInvalid when it is too big or not UTF-8."""
    if len(raw) > MAX_FILE_BYTES:
        raise ContentFileInvalid([too_big(len(raw))])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ContentFileInvalid(
            [ContentError(None, "", f"the file is not UTF-8 text (byte {exc.start})")]
        ) from None


def too_big(size: int) -> ContentError:
    return ContentError(
        None, "", f"the file is {size:,} bytes; guide files are at most {MAX_FILE_BYTES:,} bytes"
    )
