"""Guides as recruiter-readable YAML files: load with line numbers, validate, import, export."""
