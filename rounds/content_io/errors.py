"""Problems found in a content file, each tied to the line and field a recruiter must fix."""

from dataclasses import dataclass

# A message quotes what the file says, and a file may say a megabyte in one value: every message
# and the list of them are capped so an error page or terminal stays readable (and small).
MESSAGE_MAX_CHARS = 300
ERRORS_LISTED = 50


def shorten(text: str, limit: int = MESSAGE_MAX_CHARS) -> str:
    """`text`, cut to `limit` characters with an ellipsis when longer."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class ContentError:
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        field = f"{shorten(self.path, 120)}: " if self.path else ""
        return shorten(f"{where}{field}{self.message}")


class ContentFileInvalid(Exception):
    """The file cannot be imported; `errors` lists the first problems, `more` counts the rest."""

    def __init__(self, errors: list[ContentError]) -> None:
        ordered = sorted(errors, key=lambda e: (e.line or 0, e.path))
        self.errors = ordered[:ERRORS_LISTED]
        self.more = len(ordered) - len(self.errors)
        self.count = len(ordered)
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        """One line per listed problem, then how many more there are."""
        lines = [str(error) for error in self.errors]
        if self.more:
            lines.append(f"… and {self.more} more problem{'s' if self.more != 1 else ''}")
        return lines
