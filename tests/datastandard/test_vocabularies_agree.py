"""The data standard (Django-free) and the models name the same codes; they must not drift apart."""

from openiom.datastandard import spec
from openiom.offending.constants import Disposal, FlagType, Outcome
from openiom.people.constants import Ethnicity, Gender


def test_standard_and_model_vocabularies_agree() -> None:
    assert set(spec.DISPOSALS) == set(Disposal.values)
    assert set(spec.OUTCOMES) == set(Outcome.values)
    assert set(spec.FLAGS) == set(FlagType.values)
    assert set(spec.GENDERS) == set(Gender.values)
    assert set(spec.ETHNICITIES) == set(Ethnicity.values)
