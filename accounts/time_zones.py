"""The time zones a candidate picks from: the common ones first, then every canonical zone.

zoneinfo knows about 600 names, a quarter of them aliases kept for old software
(Asia/Calcutta for Asia/Kolkata, US/Pacific, Etc/GMT+8 with its inverted sign). Offering them
all makes a long list with duplicates and traps, so the picker shows the canonical names only;
an alias typed in the API, or saved before, is still accepted (validators.known_time_zones).
"""

import functools
import importlib.resources
import zoneinfo
from pathlib import Path

from .validators import known_time_zones

# Where most candidates live and interview, in rough order of the clock, UTC first.
COMMON_TIME_ZONES = [
    "UTC",
    "America/Los_Angeles",
    "America/Denver",
    "America/Chicago",
    "America/New_York",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Paris",
    "Europe/Berlin",
    "Africa/Lagos",
    "Africa/Johannesburg",
    "Europe/Istanbul",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Hong_Kong",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Australia/Sydney",
    "Pacific/Auckland",
]


def _tzdata_zi() -> str:
    """The compact tz source, which says which names are zones and which are links."""
    for directory in zoneinfo.TZPATH:
        path = Path(directory) / "tzdata.zi"
        if path.is_file():
            return path.read_text(encoding="utf-8")
    try:  # the tzdata package, where the system has no tz database (Windows, slim images)
        return (importlib.resources.files("tzdata") / "zoneinfo" / "tzdata.zi").read_text(
            encoding="utf-8"
        )
    except (ModuleNotFoundError, FileNotFoundError):
        return ""


@functools.cache
def canonical_time_zones() -> frozenset[str]:
    """Region/City zones that are not aliases, plus UTC."""
    known = known_time_zones()
    source = _tzdata_zi()
    if source:
        zones = {line.split()[1] for line in source.splitlines() if line.startswith("Z ")}
    else:  # no tz source at all: every known name, the obvious legacy ones left out below
        zones = set(known)
    legacy_prefixes = ("Etc/", "SystemV/", "US/", "Brazil/", "Canada/", "Chile/", "Mexico/")
    return frozenset(
        {zone for zone in zones & known if "/" in zone and not zone.startswith(legacy_prefixes)}
        | ({"UTC"} & known)
    )


def _label(zone: str) -> str:
    return zone.replace("_", " ")


@functools.cache
def time_zone_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices for a select: common zones, then all canonical ones A–Z."""
    canonical = canonical_time_zones()
    common = [zone for zone in COMMON_TIME_ZONES if zone in canonical]
    return [
        ("Common time zones", [(zone, _label(zone)) for zone in common]),
        ("All time zones", [(zone, _label(zone)) for zone in sorted(canonical)]),
    ]
