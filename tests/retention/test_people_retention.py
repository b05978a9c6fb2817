"""Agency records go with their offending; a person goes only when nothing refers to them, else is anonymised."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from openiom.offending.models import Offence
from openiom.people.models import Person, PersonMerge, PersonRecord
from openiom.retention.services import RetentionRefused, apply_retention


@pytest.fixture
def old_record(db, partnership, agency):
    with time_machine.travel("2019-03-01 12:00:00+00:00", tick=False):
        person = Person.objects.create(
            given_name="Robin", family_name="Oldham", date_of_birth=date(1980, 7, 9), gender="M", ethnicity="W",
            pnc_id="80/123456X",
        )  # fmt: skip
        record = PersonRecord.objects.create(
            source=agency("police"), source_person_id="OLD-1", person=person, given_name="Robin",
            family_name="Oldham", date_of_birth=date(1980, 7, 9), gender="M", ethnicity="W",
        )  # fmt: skip
        Offence.objects.create(
            source=agency("police"), event_id="E-1", record=record, offence_code="burglary_dwelling",
            offence_date=date(2018, 1, 2), outcome="charged", outcome_date=date(2018, 2, 1),
        )  # fmt: skip
    return record


def test_an_old_record_goes_with_its_offences_and_the_person_with_nothing_left(old_record, partnership) -> None:
    person_id = old_record.person_id
    action = apply_retention(
        record_type="person_record", object_id=old_record.pk, by=partnership["administrator"],
        reason="Not seen for six years", today=date(2026, 11, 24),
    )  # fmt: skip
    assert not PersonRecord.objects.filter(pk=old_record.pk).exists()
    assert not Offence.objects.filter(event_id="E-1").exists()
    assert not Person.objects.filter(pk=person_id).exists()
    assert action.label == f"Riverside Police record {old_record.pk}"
    assert action.counts == {"offending.Offence": 1, "people.Person": 1, "people.PersonRecord": 1}


def test_a_person_something_still_refers_to_is_anonymised_not_deleted(old_record, partnership) -> None:
    person = old_record.person
    PersonMerge.objects.create(kept=person)
    action = apply_retention(
        record_type="person_record", object_id=old_record.pk, by=partnership["administrator"],
        reason="Not seen for six years", today=date(2026, 11, 24),
    )  # fmt: skip
    person.refresh_from_db()
    assert (person.given_name, person.family_name, person.pnc_id) == ("Anonymised", f"Person {person.pk}", "")
    assert person.date_of_birth == date(1980, 1, 1)
    assert action.counts["people.Person (anonymised)"] == 1


def test_a_recent_record_is_refused(old_record, partnership) -> None:
    with pytest.raises(RetentionRefused, match="Not yet past"):
        apply_retention(
            record_type="person_record", object_id=old_record.pk, by=partnership["administrator"],
            reason="Tidy", today=date(2025, 2, 28),
        )  # fmt: skip
    assert PersonRecord.objects.filter(pk=old_record.pk).exists()
