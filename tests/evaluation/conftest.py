"""The case fixtures (a person, a case, the tiers, a frozen clock) for the reports' tests."""

from tests.cases.conftest import make_case, make_person, tiers, today

__all__ = ["make_case", "make_person", "tiers", "today"]
