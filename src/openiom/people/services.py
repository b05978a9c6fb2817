"""Changes to people: keeping each person's identity in step with their records."""

from __future__ import annotations

from collections.abc import Iterable

from openiom.accounts.constants import AgencyType

from .models import Person, PersonRecord

IDENTITY_FIELDS = ("given_name", "family_name", "date_of_birth", "gender", "ethnicity", "pnc_id")


def best_record(records: list[PersonRecord]) -> PersonRecord:
    """The record whose identity the person shows: one with a PNC id first, then the police's,
    then the most recently updated."""

    def rank(r: PersonRecord) -> tuple[bool, bool, float]:
        return (bool(r.pnc_id), r.source.agency_type == AgencyType.POLICE, r.updated_at.timestamp())

    return max(records, key=rank)


def refresh_identities(person_ids: Iterable[int]) -> int:
    """Recompute the identity of the given people from their records. Returns how many changed."""
    ids = sorted(set(person_ids))
    changed = 0
    for start in range(0, len(ids), 1000):
        people = Person.objects.filter(pk__in=ids[start : start + 1000]).prefetch_related("records__source")
        for person in people:
            records = list(person.records.all())
            if not records:
                continue
            best = best_record(records)
            if all(getattr(person, f) == getattr(best, f) for f in IDENTITY_FIELDS):
                continue
            for f in IDENTITY_FIELDS:
                setattr(person, f, getattr(best, f))
            person.save()
            changed += 1
    return changed
