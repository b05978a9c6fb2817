"""Linking records into people: automatic merges, the review queue, decisions and undo.

Every merge is a `PersonMerge` row and every decision a change to a `MatchCandidate`
(both in the audit trail); moving a record between people is a saved change to the
record, so its change history shows it too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from openiom.audit.chain import sealing_deferred
from openiom.linkage import LinkSettings, predict_links

from .constants import MatchStatus
from .models import MatchCandidate, Person, PersonMerge, PersonRecord
from .services import IDENTITY_FIELDS, best_record, refresh_identities

Progress = Callable[[int, int, str], None]


def _records_frame() -> pl.DataFrame:
    rows = list(
        PersonRecord.objects.values_list(
            "pk", "given_name", "family_name", "date_of_birth", "gender", "pnc_id", "postcode"
        ).order_by("pk")
    )
    return pl.DataFrame(
        {
            "record_id": [r[0] for r in rows],
            "given_name": [r[1] for r in rows],
            "family_name": [r[2] for r in rows],
            "date_of_birth": [r[3].isoformat() for r in rows],
            "gender": [r[4] for r in rows],
            "pnc_id": [r[5] or None for r in rows],
            "postcode": [r[6] or None for r in rows],
        },
        schema={
            "record_id": pl.Int64,
            "given_name": pl.Utf8,
            "family_name": pl.Utf8,
            "date_of_birth": pl.Utf8,
            "gender": pl.Utf8,
            "pnc_id": pl.Utf8,
            "postcode": pl.Utf8,
        },
    )


def _ordered(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def merge_people(
    kept: Person,
    other: Person,
    *,
    by: Any = None,
    probability: float | None = None,
    candidate: MatchCandidate | None = None,
    refresh_identity: bool = True,
) -> PersonMerge:
    """Move all of `other`'s records into `kept` and remove `other`.

    With `refresh_identity=False` the caller recomputes `kept`'s identity (`refresh_identities`)
    once it has finished merging: a linkage run does so once for all the people it kept.
    """
    if kept.pk == other.pk:
        raise ValidationError("These records already belong to the same person.")
    moved = list(other.records.all())
    for record in moved:
        record.person = kept
        record.save()
    merge = PersonMerge.objects.create(kept=kept, probability=probability, candidate=candidate, decided_by=by)
    merge.moved_records.set(moved)
    for earlier in PersonMerge.objects.filter(kept=other):
        earlier.kept = kept
        earlier.save()
    other.delete()
    if refresh_identity:
        refresh_identities([kept.pk])
    return merge


@transaction.atomic
def undo_merge(merge: PersonMerge, *, by: Any) -> Person:
    """Split the moved records out again into a person of their own."""
    merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)  # undone twice at once: the second waits
    if merge.undone_at is not None:
        raise ValidationError("This merge has already been undone.")
    moved = [r for r in merge.moved_records.select_related("source") if r.person_id == merge.kept_id]
    if not moved:
        raise ValidationError("These records have since been moved again; nothing to undo.")
    best = best_record(moved)
    person = Person.objects.create(**{f: getattr(best, f) for f in IDENTITY_FIELDS})
    for record in moved:
        record.person = person
        record.save()
    merge.undone_at, merge.undone_by = timezone.now(), by
    merge.save()
    # Remember the decision: the linkage run will not join them again.
    kept_record = merge.kept.records.order_by("pk").first()
    if kept_record is not None:
        a, b = _ordered(kept_record.pk, moved[0].pk)
        candidate, _ = MatchCandidate.objects.get_or_create(
            record_a_id=a, record_b_id=b, defaults={"probability": merge.probability or 0.0}
        )
        candidate.status, candidate.decided_by, candidate.decided_at = MatchStatus.DIFFERENT, by, timezone.now()
        candidate.reason = "Merge undone"
        candidate.save()
    refresh_identities([merge.kept_id, person.pk])
    return person


@transaction.atomic
def decide_candidate(candidate: MatchCandidate, *, decision: str, by: Any, reason: str = "") -> MatchCandidate:
    # Two reviewers at once: the second waits, then finds the pair decided (not saves over it).
    candidate = MatchCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status != MatchStatus.OPEN:
        raise ValidationError("This possible match has already been decided.")
    if decision not in (MatchStatus.SAME, MatchStatus.DIFFERENT):
        raise ValidationError("Choose same person or different people.")
    candidate.status, candidate.decided_by, candidate.decided_at, candidate.reason = (
        decision,
        by,
        timezone.now(),
        reason,
    )
    candidate.save()
    if decision == MatchStatus.SAME:
        a = PersonRecord.objects.select_related("person").get(pk=candidate.record_a_id)
        b = PersonRecord.objects.select_related("person").get(pk=candidate.record_b_id)
        if a.person_id != b.person_id:
            kept, other = (a.person, b.person) if a.person_id < b.person_id else (b.person, a.person)
            merge_people(kept, other, by=by, probability=candidate.probability, candidate=candidate)
    return candidate


class _Clusters:
    """Union-find that refuses to join two groups holding a pair judged to be different people."""

    def __init__(self, person_of: dict[int, int], cannot_link: set[tuple[int, int]]) -> None:
        # Records that already share a person start in one group.
        self.parent: dict[int, int] = {}
        first_of_person: dict[int, int] = {}
        for record, person in person_of.items():
            self.parent[record] = first_of_person.setdefault(person, record)
        self.members: dict[int, set[int]] = {}
        for record in person_of:
            self.members.setdefault(self.find(record), set()).add(record)
        self.cannot = cannot_link

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        small, large = sorted((self.members[ra], self.members[rb]), key=len)
        if any(_ordered(x, y) in self.cannot for x in small for y in large):
            return False
        keep, drop = (ra, rb) if len(self.members[ra]) >= len(self.members[rb]) else (rb, ra)
        self.parent[drop] = keep
        self.members[keep] |= self.members.pop(drop)
        return True


def _no_progress(done: int, total: int, message: str = "") -> None:
    return None


def run_linkage(*, settings: LinkSettings | None = None, progress: Progress | None = None) -> dict[str, Any]:
    """Score all records, merge the near-certain pairs, queue the uncertain ones for review."""
    settings = settings or LinkSettings()
    report: Progress = progress or _no_progress
    report(0, 3, "Scoring pairs of records")
    frame = _records_frame()
    pairs = predict_links(frame, settings)
    report(1, 3, "Merging near-certain matches")
    decided = {
        _ordered(a, b): status
        for a, b, status in MatchCandidate.objects.exclude(status=MatchStatus.OPEN).values_list(
            "record_a_id", "record_b_id", "status"
        )
    }
    cannot = {pair for pair, status in decided.items() if status == MatchStatus.DIFFERENT}
    scored = [(int(a), int(b), float(p)) for a, b, p in pairs.iter_rows()]
    auto_merged = 0
    # Thousands of merges at force scale, each audited: their entries are sealed together at the end.
    with sealing_deferred():  # (a transaction of its own)
        person_of = dict(PersonRecord.objects.values_list("pk", "person_id"))
        clusters = _Clusters(person_of, cannot)
        best_probability: dict[int, float] = {}
        kept_ids: list[int] = []
        for a, b, p in sorted(scored, key=lambda t: -t[2]):
            if p >= settings.auto_merge and clusters.union(a, b):
                root = clusters.find(a)
                best_probability[root] = max(best_probability.get(root, 0.0), p)
        for root, members in clusters.members.items():
            people_ids = sorted({person_of[r] for r in members})
            if len(people_ids) < 2:
                continue
            kept = Person.objects.get(pk=people_ids[0])
            for other_id in people_ids[1:]:
                merge_people(
                    kept,
                    Person.objects.get(pk=other_id),
                    probability=best_probability.get(root),
                    refresh_identity=False,
                )
                auto_merged += 1
            kept_ids.append(kept.pk)
        refresh_identities(kept_ids)
        report(2, 3, "Queueing possible matches for review")
        person_of = dict(PersonRecord.objects.values_list("pk", "person_id"))
        existing = {(c.record_a_id, c.record_b_id): c for c in MatchCandidate.objects.all()}
        queued = 0
        for a, b, p in scored:
            if person_of.get(a) == person_of.get(b) or _ordered(a, b) in decided:
                continue
            if p >= settings.auto_merge:
                continue  # held apart by a "different people" decision elsewhere in the group
            candidate = existing.get(_ordered(a, b))
            if candidate is None:
                MatchCandidate.objects.create(record_a_id=a, record_b_id=b, probability=p)
            elif candidate.probability != p:
                candidate.probability = p
                candidate.save()
            queued += 1
        # Open candidates whose records have since been joined need no decision.
        for candidate in MatchCandidate.objects.open():
            if person_of.get(candidate.record_a_id) == person_of.get(candidate.record_b_id):
                candidate.delete()
    report(3, 3, "Done")
    return {
        "records": frame.height,
        "pairs_scored": len(scored),
        "automatic_merges": auto_merged,
        "queued_for_review": queued,
        "settings": settings.as_dict(),
    }
