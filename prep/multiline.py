"""Text typed into a textarea, counted as the candidate sees it."""

from django import forms


def normalise_line_breaks(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n")


class MultilineField(forms.CharField):
    """A CharField for a textarea whose line breaks count as one character each.

    A browser counts a line break as one character against a textarea's maxlength but submits it
    as CRLF, so a note of exactly the limit with 500 lines arrived 500 characters over it and was
    refused (while the same note sent by script, with bare LFs, was saved). Stored with LF.
    """

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_line_breaks(value) if isinstance(value, str) else value
