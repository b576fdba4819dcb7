"""Helpers shared by the test suites of every app (never imported by running code)."""
