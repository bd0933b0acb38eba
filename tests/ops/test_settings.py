"""Operations settings are checked at start-up, not discovered broken by the first scrape."""

from tests.settings.test_environment import PRODUCTION, manage


def test_a_short_metrics_token_stops_start_up():
    result = manage("check", METRICS_TOKEN="guessable", **PRODUCTION)
    assert result.returncode != 0
    assert "METRICS_TOKEN must be at least 32 characters long" in result.stderr


def test_an_unknown_log_format_stops_start_up():
    result = manage("check", LOG_FORMAT="xml")
    assert result.returncode != 0
    assert "LOG_FORMAT must be json or text" in result.stderr


def test_production_with_every_operations_setting_passes_the_deploy_checks():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        METRICS_TOKEN="a-metrics-token-that-is-long-enough-0123456789",
        LOG_FORMAT="json",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
