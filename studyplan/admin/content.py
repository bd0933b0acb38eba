"""Admin for study plan content."""
