"""Admin for study plan progress."""
