from tests.cases.case_world import world_fixture  # noqa: F401
from tests.cases.conftest import agency, make_case, make_person, tiers, today  # noqa: F401
