from tests.cases.conftest import agency, make_case, make_person, tiers, today  # noqa: F401
