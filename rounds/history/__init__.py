"""A guide's history (who changed what, when) and its restore to an earlier version."""
