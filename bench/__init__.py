"""Benchmarks: our path against the bare library doing the same work, as a ratio. Not tests.

Run `python -m bench` (all) or `python -m bench --json roster_import` (named ones, JSON lines).
"""
