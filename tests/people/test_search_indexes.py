"""Person search at force scale: the indexes it needs exist on PostgreSQL and its order ignores case."""

from __future__ import annotations

import pytest
from django.db import connection

from openiom.people.selectors import PersonSearch, search_people
from tests.cases.conftest import make_person  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

SEARCH_INDEXES = {
    "people_record_given_trgm": "gin",
    "people_record_family_trgm": "gin",
    "people_record_pnc_upper": "btree",
    "people_record_source_id_upper": "btree",
}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes")
def test_name_and_identifier_searches_have_their_indexes() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'people_personrecord'")
        found = dict(cursor.fetchall())
    for name, method in SEARCH_INDEXES.items():
        assert name in found, f"{name} is missing"
        assert f"USING {method}" in found[name]
    assert "gin_trgm_ops" in found["people_record_family_trgm"]
    assert "upper" in found["people_record_pnc_upper"].lower()


def test_results_are_in_name_order_whatever_the_case(make_person, partnership) -> None:  # noqa: F811
    from openiom.people.models import PersonRecord

    police = partnership["police_officer"].agency
    for given, family in [("amy", "de Quillan"), ("Bea", "Dequill"), ("carl", "DEQUILLA")]:
        person = make_person(given_name=given, family_name=family)
        PersonRecord.objects.create(
            source=police, source_person_id=f"S-{person.pk}", person=person, given_name=given, family_name=family,
            date_of_birth=person.date_of_birth, gender="M", ethnicity="W",
        )  # fmt: skip
    found = [p.family_name for p in search_people(PersonSearch(name="quil"))]
    assert found == ["de Quillan", "Dequill", "DEQUILLA"]
