"""Helpers shared by the test suites (fixtures live in conftest.py and call these)."""
