import zoneinfo

from django.core.exceptions import ValidationError


def validate_time_zone(value: str) -> None:
    """Accept only IANA time zone names that this machine's tz database knows."""
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            "“%(value)s” is not a time zone we know. Use an IANA name such as Europe/London.",
            params={"value": value},
            code="invalid_time_zone",
        )
