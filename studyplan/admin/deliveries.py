"""Admin for study plan deliveries."""
