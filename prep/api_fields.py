"""Input fields and serializers that accept exactly what the schema promises.

DRF's fields coerce: `"done": 0` becomes False and `"display_name": 5` becomes "5". DRF's
serializers drop fields they do not know, and read-only ones: a typo such as
`target_interview_data` answered 200 and saved nothing. A client that sends the wrong type or a
field that is not taken has a bug; telling it so beats guessing what it meant.
"""

from collections.abc import Mapping
from typing import Any

from rest_framework import serializers
from rest_framework.request import Request

UNKNOWN_FIELD = "Not a field of this request; check its name against the schema."
READ_ONLY_FIELD = "Read-only: it cannot be changed here."


class RefuseUnknownFieldsMixin:
    """A serializer that answers 400 for every field it does not take, naming each.

    `read_only_messages` gives a read-only field its own explanation.
    """

    read_only_messages: dict[str, str] = {}

    def _refused(self, data: Any) -> dict[str, list[str]]:
        if not isinstance(data, Mapping):
            return {}  # DRF's own "expected a dictionary" applies
        refused = {}
        for name in data:
            field = self.fields.get(name)
            if field is None:
                refused[name] = [UNKNOWN_FIELD]
            elif field.read_only:
                refused[name] = [self.read_only_messages.get(name, READ_ONLY_FIELD)]
        return refused

    def to_internal_value(self, data: Any) -> Any:
        refused = self._refused(data)
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            # One answer lists every problem, the refused fields with the invalid ones.
            if refused and isinstance(exc.detail, dict):
                exc.detail.update(refused)
            raise
        if refused:
            raise serializers.ValidationError(refused)
        return value


class RequestSerializer(RefuseUnknownFieldsMixin, serializers.Serializer):
    """Base of every request body's serializer."""


class NoFieldsSerializer(RequestSerializer):
    """The body of an action that takes none: empty, `{}`, or a 400 naming what was sent."""


def refuse_any_fields(request: Request) -> None:
    """For actions that take no body: a field sent is a mistake the client should hear about."""
    NoFieldsSerializer(data=request.data or {}).is_valid(raise_exception=True)


class StrictBooleanField(serializers.BooleanField):
    default_error_messages = {"invalid": "Must be true or false."}

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class StrictIntegerField(serializers.IntegerField):
    default_error_messages = {"invalid": "Must be a whole number."}

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictCharField(serializers.CharField):
    default_error_messages = {"invalid": "Must be text."}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictChoiceField(serializers.ChoiceField):
    """Choices compared by value and type: 0 and "0" are different answers."""

    def to_internal_value(self, data: Any) -> Any:
        if data == "" and self.allow_blank:
            return ""
        if not any(type(data) is type(key) and data == key for key in self.choices):
            self.fail("invalid_choice", input=data)
        return data


class StrictSlugRelatedField(serializers.SlugRelatedField):
    default_error_messages = {"invalid": "Must be a slug (text)."}

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)
