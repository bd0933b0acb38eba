"""Insight for recruiters: candidates' activity on one guide, in aggregate only."""
