"""Benchmarks that print figures (never timed unit tests). `python -m bench --help`."""
