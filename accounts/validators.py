import functools
import zoneinfo

from django.core.exceptions import ValidationError


@functools.cache
def known_time_zones() -> frozenset[str]:
    """IANA names this machine's tz database knows.

    Cached for the process: zoneinfo walks the tz directories on every call (about 7 ms), and
    every sign-up, settings and enrolment form would otherwise pay for it twice.
    """
    return frozenset(zoneinfo.available_timezones() - {"Factory", "localtime"})


def validate_time_zone(value: str) -> None:
    """Accept only IANA time zone names that this machine's tz database knows."""
    if value not in known_time_zones():
        raise ValidationError(
            "“%(value)s” is not a time zone we know. Use an IANA name such as Europe/London.",
            params={"value": value},
            code="invalid_time_zone",
        )
