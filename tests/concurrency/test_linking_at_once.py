"""Two reviewers deciding the same possible match, or undoing the same merge, at the same moment.

Found by the gap check: both read the match as open (or the merge as not undone) and both wrote. A "same
person" decision merged the two people while the other reviewer's "different people" was saved over it;
an undo done twice split the records out twice, leaving an empty person behind. Both functions now take
the row first, so the second waits and is refused as if it came later.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from openiom.accounts.models import Agency, User
from openiom.people.constants import MatchStatus
from openiom.people.linking import decide_candidate, merge_people, undo_merge
from openiom.people.models import MatchCandidate, Person, PersonRecord
from tests.concurrency.racing import Hold, race, requires_postgresql

pytestmark = [requires_postgresql, pytest.mark.django_db(transaction=True)]


def _person_with_a_record(source: str, source_id: str, given: str) -> tuple[Person, PersonRecord]:
    fields: dict[str, Any] = {"given_name": given, "family_name": "Hollis", "date_of_birth": date(1999, 4, 2),
                              "gender": "M", "ethnicity": "W"}  # fmt: skip
    person = Person.objects.create(**fields)
    record = PersonRecord.objects.create(
        source=Agency.objects.get(code=source), source_person_id=source_id, person=person, **fields
    )
    return person, record


def _fresh(obj: Any) -> Any:
    return type(obj).objects.get(pk=obj.pk)


def test_two_reviewers_deciding_the_same_match_or_undoing_the_same_merge(
    subtests: Any, partnership: dict[str, User]
) -> None:
    coordinator, analyst = partnership["iom_coordinator"], partnership["analyst"]

    with subtests.test("same person and different people decided at once"):
        (_, police), (_, probation) = (
            _person_with_a_record("police", "P1", "Jay"),
            _person_with_a_record("probation", "X1", "Jay"),
        )
        candidate = MatchCandidate.objects.create(record_a=police, record_b=probation, probability=0.93)
        result = race(
            # Each loads its own copy, as each request does.
            lambda: decide_candidate(_fresh(candidate), decision=MatchStatus.SAME, by=coordinator),
            lambda: decide_candidate(_fresh(candidate), decision=MatchStatus.DIFFERENT, by=analyst, reason="Twins"),
            hold=Hold(r'^UPDATE "people_matchcandidate"', after=False),
        )
        assert result.first.error is None, result.first.error
        assert isinstance(result.second.error, ValidationError), result.second.error
        assert "This possible match has already been decided." in result.second.error.messages
        assert result.second_waited
        candidate.refresh_from_db()
        assert (candidate.status, candidate.decided_by) == (MatchStatus.SAME, coordinator)  # as it was acted on
        assert PersonRecord.objects.get(pk=probation.pk).person_id == PersonRecord.objects.get(pk=police.pk).person_id

    with subtests.test("the same merge undone twice at once"):
        (kept, _), (other, moved) = (
            _person_with_a_record("police", "P2", "Ann"),
            _person_with_a_record("yot", "Y2", "Ann"),
        )
        merge = merge_people(kept, other, by=coordinator)
        people = Person.objects.count()
        result = race(
            lambda: undo_merge(_fresh(merge), by=coordinator),
            lambda: undo_merge(_fresh(merge), by=analyst),
            hold=Hold(r'^INSERT INTO "people_person"', after=False),
        )
        assert result.first.error is None, result.first.error
        assert isinstance(result.second.error, ValidationError), result.second.error
        assert "This merge has already been undone." in result.second.error.messages
        assert result.second_waited
        assert Person.objects.count() == people + 1  # one person split out, none left empty
        assert PersonRecord.objects.get(pk=moved.pk).person == result.first.outcome()
