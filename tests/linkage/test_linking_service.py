"""Merges, the review queue, decisions and undo, with linkage probabilities set by the test."""

from __future__ import annotations

from unittest import mock

import polars as pl
import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from openiom.audit.chain import verify_chain
from openiom.people.linking import decide_candidate, run_linkage, undo_merge
from openiom.people.models import MatchCandidate, Person, PersonMerge, PersonRecord
from tests.imports.test_import import delivery, run

PEOPLE = """person_id,source,given_name,family_name,date_of_birth,gender,ethnicity,pnc_id,postcode,ward
P1,police,Jay,Hollis,1999-04-02,M,W,2015/0012345A,RV1 2AB,Northbank
P2,police,Ann,Reid,2001-09-12,F,B,,RV2 3CD,Southmere
X1,probation,Jay,Holis,1999-04-02,M,W,,RV1 2AB,Northbank
X2,probation,Anne,Read,2001-12-09,F,B,,RV2 3CD,Southmere
Y1,yot,Jay,Hollis,1999-04-02,M,W,2015/0012345A,RV1 2AB,Northbank
"""


def rec(source: str, pid: str) -> PersonRecord:
    return PersonRecord.objects.get(source__code=source, source_person_id=pid)


def scores(*pairs: tuple[PersonRecord, PersonRecord, float]) -> pl.DataFrame:
    rows = [(min(a.pk, b.pk), max(a.pk, b.pk), p) for a, b, p in pairs]
    return pl.DataFrame(rows, schema=["record_id_l", "record_id_r", "match_probability"], orient="row")


@pytest.fixture
def records(partnership) -> dict[str, PersonRecord]:
    result = run(delivery(**{"people.csv": PEOPLE, "custody.csv": None, "flags.csv": None}))
    assert result.status == "imported"
    return {k: rec(*k.split(":")) for k in ("police:P1", "police:P2", "probation:X1", "probation:X2", "yot:Y1")}


def link(pairs: pl.DataFrame) -> dict:
    with mock.patch("openiom.people.linking.predict_links", return_value=pairs):
        return run_linkage()


def test_sure_pairs_merge_and_uncertain_pairs_are_queued(records) -> None:
    p1, p2, x1, x2, y1 = (records[k] for k in ("police:P1", "police:P2", "probation:X1", "probation:X2", "yot:Y1"))
    summary = link(scores((p1, y1, 0.999), (p1, x1, 0.995), (p2, x2, 0.8)))
    assert summary["automatic_merges"] == 2
    assert summary["queued_for_review"] == 1
    assert Person.objects.count() == 3
    jay = rec("police", "P1").person
    assert {r.source_person_id for r in jay.records.all()} == {"P1", "X1", "Y1"}
    assert jay.pnc_id == "2015/0012345A"  # identity from the record with a PNC id
    candidate = MatchCandidate.objects.open().get()
    assert {candidate.record_a_id, candidate.record_b_id} == {p2.pk, x2.pk}
    # Offences follow their records: Jay's history is now on one person.
    assert jay.records.get(source__code="police").offences.count() == 2
    # Every move is in the records' change history, and the run's entries are sealed into the chain.
    moved = LogEntry.objects.filter(
        action=LogEntry.Action.UPDATE, content_type__model="personrecord", object_pk__in=[str(x1.pk), str(y1.pk)]
    )
    assert {e.object_pk for e in moved if "person" in (e.changes or {})} == {str(x1.pk), str(y1.pk)}
    assert verify_chain().ok


def test_running_again_changes_nothing(records) -> None:
    p1, p2, x1, x2 = (records[k] for k in ("police:P1", "police:P2", "probation:X1", "probation:X2"))
    pairs = scores((p1, x1, 0.995), (p2, x2, 0.8))
    link(pairs)
    again = link(pairs)
    assert again["automatic_merges"] == 0
    assert MatchCandidate.objects.count() == 1
    assert PersonMerge.objects.count() == 1


def test_same_person_decision_merges_and_can_be_undone(records, partnership) -> None:
    p2, x2 = records["police:P2"], records["probation:X2"]
    link(scores((p2, x2, 0.8)))
    candidate = MatchCandidate.objects.get()
    decide_candidate(
        candidate,
        decision="same",
        by=partnership["iom_coordinator"],
        reason="Same PNC on Police National Computer check",
    )
    assert rec("police", "P2").person_id == rec("probation", "X2").person_id
    merge = PersonMerge.objects.get()
    assert merge.decided_by == partnership["iom_coordinator"]
    with pytest.raises(ValidationError, match="already been decided"):
        decide_candidate(candidate, decision="different", by=partnership["iom_coordinator"])

    undo_merge(merge, by=partnership["iom_coordinator"])
    assert rec("police", "P2").person_id != rec("probation", "X2").person_id
    with pytest.raises(ValidationError, match="already been undone"):
        undo_merge(merge, by=partnership["iom_coordinator"])


def test_different_people_decision_stops_future_automatic_merges(records, partnership) -> None:
    p2, x2 = records["police:P2"], records["probation:X2"]
    link(scores((p2, x2, 0.8)))
    decide_candidate(MatchCandidate.objects.get(), decision="different", by=partnership["iom_coordinator"])
    summary = link(scores((p2, x2, 0.999)))  # even if the model later becomes sure
    assert summary["automatic_merges"] == 0
    assert rec("police", "P2").person_id != rec("probation", "X2").person_id


def test_undoing_an_automatic_merge_keeps_them_apart(records, partnership) -> None:
    p1, x1 = records["police:P1"], records["probation:X1"]
    link(scores((p1, x1, 0.995)))
    undo_merge(PersonMerge.objects.get(), by=partnership["iom_coordinator"])
    link(scores((p1, x1, 0.995)))
    assert rec("police", "P1").person_id != rec("probation", "X1").person_id
    assert PersonMerge.objects.filter(undone_at__isnull=True).count() == 0


def test_different_decision_holds_a_group_apart(records, partnership) -> None:
    # P1-Y1 sure, Y1-X1 sure, but P1 and X1 were judged different: X1 must not join.
    p1, x1, y1 = records["police:P1"], records["probation:X1"], records["yot:Y1"]
    link(scores((p1, x1, 0.7)))
    decide_candidate(MatchCandidate.objects.get(), decision="different", by=partnership["iom_coordinator"])
    link(scores((p1, y1, 0.999), (x1, y1, 0.995)))
    assert rec("police", "P1").person_id == rec("yot", "Y1").person_id
    assert rec("probation", "X1").person_id != rec("police", "P1").person_id


def test_review_pages(client_for, records) -> None:
    p2, x2 = records["police:P2"], records["probation:X2"]
    link(scores((p2, x2, 0.8)))
    client = client_for("iom_coordinator")
    queue = client.get("/people/matches/").content.decode()
    assert "Ann Reid" in queue
    candidate = MatchCandidate.objects.get()
    page = client.get(f"/people/matches/{candidate.pk}/").content.decode()
    assert "9 December 2001" in page  # X2's date of birth, day and month swapped
    assert "12 September 2001" in page
    missing = client.post(f"/people/matches/{candidate.pk}/", {}).content.decode()
    assert "Select whether these records are the same person" in missing
    assert client.post(f"/people/matches/{candidate.pk}/", {"decision": "same"}).status_code == 302
    merges = client.get("/people/merges/").content.decode()
    assert "Cora Ainsworth" in merges
    merge = PersonMerge.objects.get()
    assert client.post(f"/people/merges/{merge.pk}/undo/").status_code == 302
    assert PersonMerge.objects.get().undone_at is not None
    assert client_for("police_officer").get("/people/matches/").status_code == 403
