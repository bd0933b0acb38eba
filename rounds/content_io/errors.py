"""Problems found in a content file, each tied to the line and field a recruiter must fix."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ContentError:
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        field = f"{self.path}: " if self.path else ""
        return f"{where}{field}{self.message}"


class ContentFileInvalid(Exception):
    """The file cannot be imported; `errors` lists every problem found."""

    def __init__(self, errors: list[ContentError]) -> None:
        self.errors = sorted(errors, key=lambda e: (e.line or 0, e.path))
        super().__init__("\n".join(str(error) for error in self.errors))
