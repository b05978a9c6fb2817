"""Deleting or anonymising records past their retention period: one guarded function.

`apply_retention` refuses a record that is not past its period (as the queue defines it), a
user without the administration capability, or an empty reason. It works in one transaction:
a closed case goes with every case record (Django's cascade over the case's sub-records); an
agency record goes with its offences, custody periods and flags; a person goes only when
nothing else refers to them and is anonymised otherwise; a finished selection run goes with
everyone it scored (decided referrals made from it stop pointing at it; an open one refuses); a
rejected or withdrawn referral goes with its status history, its agenda items, their decisions
and votes, and the notices sent about it; a possible match decided "same person" goes (the merge
stops pointing at it) and one decided "different people" is anonymised, because the linkage run
reads it to keep the two records apart. Anything that still refers to the
record and is not part of it (a PROTECT reference from another app) makes the whole action
refuse, so nothing is left pointing at a deleted row. Audit entries are never deleted: they
are not rows of any of these models, and the audit log has its own, longer period.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from django.db import models, router, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils import timezone

from openiom.accounts.constants import Capability
from openiom.cases.models import Case
from openiom.cohort.models import SelectionRun
from openiom.offending.models import CustodyPeriod, Flag, Offence
from openiom.panels.constants import OPEN_REFERRAL_STATUSES
from openiom.panels.models import ActionPoint, AgendaItem, Circulation, Decision, Referral
from openiom.people.constants import MatchStatus
from openiom.people.models import MatchCandidate, Person, PersonMerge, PersonRecord

from .constants import ActionKind, RecordType
from .models import RetentionAction, RetentionRule
from .periods import ANONYMISED_NAME, KINDS, months_after


class RetentionRefused(Exception):
    """The record may not be deleted or anonymised; the message says why."""


def _label(model: type[models.Model]) -> str:
    return model._meta.label


def _delete(obj: models.Model, counts: Counter[str]) -> None:
    try:
        _, deleted = obj.delete()
    except (ProtectedError, RestrictedError) as exc:
        kinds = sorted({_label(type(o)) for o in exc.args[1]})
        raise RetentionRefused(f"Other records still refer to it: {', '.join(kinds)}") from exc
    counts.update(deleted)


def _referred_to(obj: models.Model) -> list[str]:
    """The kinds of record that still point at `obj` (any relation, even one that would be emptied)."""
    collector = Collector(using=router.db_for_write(type(obj)))
    try:
        collector.collect([obj])
    except (ProtectedError, RestrictedError) as exc:
        return sorted({_label(type(o)) for o in exc.args[1]})
    kinds = {_label(model) for model, objs in collector.data.items() if model is not type(obj) and objs}
    kinds |= {_label(qs.model) for qs in collector.fast_deletes if qs.exists()}
    for (field, _value), batches in collector.field_updates.items():  # SET_NULL and the like
        if any(b.exists() if isinstance(b, models.QuerySet) else b for b in batches):
            kinds.add(_label(field.model))
    return sorted(kinds)


def _unlink(rows: models.QuerySet[Any], field: str, counts: Counter[str]) -> None:
    """Empty one reference on each row, one by one, so each change is in the change history."""
    for row in rows:
        setattr(row, field, None)
        row.save(update_fields=[field])
        counts[_label(type(row)) + " (unlinked)"] += 1


def _remove_or_anonymise_person(person: Person, counts: Counter[str]) -> ActionKind:
    if _referred_to(person):
        person.given_name, person.family_name = ANONYMISED_NAME, f"Person {person.pk}"
        person.date_of_birth = date(person.date_of_birth.year, 1, 1)  # the year is kept for statistics
        person.pnc_id = ""
        person.save()
        counts[_label(Person) + " (anonymised)"] += 1
        return ActionKind.ANONYMISED
    _delete(person, counts)
    return ActionKind.DELETED


def _tidy_person(person_id: int, counts: Counter[str]) -> None:
    """After a record or case went: a person with nothing left held on them goes too (or is anonymised)."""
    person = Person.objects.filter(pk=person_id).first()
    if person is None or person.records.exists() or Case.objects.filter(person=person).exists():
        return
    _remove_or_anonymise_person(person, counts)


def _remove_case(case: Case, counts: Counter[str]) -> ActionKind:
    # Panel papers are the panel's record of its meetings and stay; they stop pointing at the case.
    for model in (Referral, AgendaItem, Decision):
        _unlink(model._default_manager.filter(case=case), "case", counts)
    person_id = case.person_id
    _delete(case, counts)
    _tidy_person(person_id, counts)
    return ActionKind.DELETED


def _remove_person_record(record: PersonRecord, counts: Counter[str]) -> ActionKind:
    for model in (Offence, CustodyPeriod, Flag):
        for row in model._default_manager.filter(record=record):
            _delete(row, counts)
    person_id = record.person_id
    _delete(record, counts)
    _tidy_person(person_id, counts)
    return ActionKind.DELETED


def _remove_plain(obj: models.Model, counts: Counter[str]) -> ActionKind:
    _delete(obj, counts)
    return ActionKind.DELETED


def _remove_person(person: models.Model, counts: Counter[str]) -> ActionKind:
    assert isinstance(person, Person)  # noqa: S101
    return _remove_or_anonymise_person(person, counts)


def _remove_selection_run(run: models.Model, counts: Counter[str]) -> ActionKind:
    assert isinstance(run, SelectionRun)  # noqa: S101
    made_from = Referral.objects.filter(selection_run=run)
    if made_from.filter(status__in=OPEN_REFERRAL_STATUSES).exists():
        raise RetentionRefused("A referral made from this run is still waiting for the panel's decision")
    # Decided referrals are the panel's record and stay; they stop pointing at the run.
    _unlink(made_from.order_by("pk"), "selection_run", counts)
    _delete(run, counts)  # with everyone it scored (ScoredPerson rows)
    return ActionKind.DELETED


def _remove_referral(referral: models.Model, counts: Counter[str]) -> ActionKind:
    assert isinstance(referral, Referral)  # noqa: S101
    items = AgendaItem.objects.filter(referral=referral).order_by("pk")
    # Action points agreed at the meeting are the meeting's record; they stop pointing at the item.
    _unlink(ActionPoint.objects.filter(item__in=items).order_by("pk"), "item", counts)
    for decision in Decision.objects.filter(item__in=items).order_by("pk"):
        _delete(decision, counts)  # with its votes
    for item in items:
        _delete(item, counts)
    for notice in Circulation.objects.filter(referral=referral).order_by("pk"):
        _delete(notice, counts)
    person_id = referral.person_id
    _delete(referral, counts)  # with its status history
    _tidy_person(person_id, counts)
    return ActionKind.DELETED


def _remove_match(candidate: models.Model, counts: Counter[str]) -> ActionKind:
    assert isinstance(candidate, MatchCandidate)  # noqa: S101
    if candidate.status == MatchStatus.DIFFERENT:
        # The linkage run reads this decision to keep the two records apart: keep it, without its reasons.
        candidate.reason = ANONYMISED_NAME
        candidate.save(update_fields=["reason"])
        counts[_label(MatchCandidate) + " (anonymised)"] += 1
        return ActionKind.ANONYMISED
    # The merge stays (it can still be undone); it stops pointing at the candidate.
    _unlink(PersonMerge.objects.filter(candidate=candidate).order_by("pk"), "candidate", counts)
    _delete(candidate, counts)
    return ActionKind.DELETED


REMOVERS: dict[str, Any] = {
    RecordType.CLOSED_CASE: _remove_case,
    RecordType.PERSON_RECORD: _remove_person_record,
    RecordType.PERSON: _remove_person,
    RecordType.REJECTED_DELIVERY: _remove_plain,
    RecordType.SELECTION_RUN: _remove_selection_run,
    RecordType.UNSELECTED_REFERRAL: _remove_referral,
    RecordType.MATCH_CANDIDATE: _remove_match,
}


def apply_retention(
    *, record_type: str, object_id: int, by: Any, reason: str, today: date | None = None
) -> RetentionAction:
    """Delete (or anonymise) one record past its retention period, and record who, when, what and why."""
    if not (getattr(by, "is_authenticated", False) and by.has_capability(Capability.ADMINISTER)):
        raise RetentionRefused("Only an administrator can delete records under the retention rules")
    reason = (reason or "").strip()
    if not reason:
        raise RetentionRefused("Give the reason for the deletion")
    if record_type not in KINDS:
        raise RetentionRefused("Unknown record type")
    kind, today = KINDS[record_type], today or timezone.localdate()
    with transaction.atomic():
        rule = RetentionRule.objects.select_for_update().get(record_type=record_type)
        candidate = kind.candidates().filter(pk=object_id).first()
        if candidate is None:
            raise RetentionRefused("There is no such record under this retention rule (it may have gone already)")
        counts_from: date = candidate.counts_from  # type: ignore[attr-defined]
        if not kind.due(rule.months, today).filter(pk=object_id).exists():
            raise RetentionRefused(
                f"Not yet past its retention period: kept {rule.months} months from {counts_from:%-d %B %Y}"
            )
        obj = kind.model._default_manager.select_for_update().get(pk=object_id)
        label = kind.label(candidate)
        counts: Counter[str] = Counter()
        action = REMOVERS[record_type](obj, counts)
        return RetentionAction.objects.create(
            record_type=record_type,
            object_id=object_id,
            action=action,
            label=label,
            counts=dict(sorted(counts.items())),
            period_months=rule.months,
            due_on=months_after(counts_from, rule.months),
            reason=reason,
            by=by,
        )


def set_period(*, rule: RetentionRule, months: int, basis: str, by: Any) -> RetentionRule:
    """Change a retention period (administrators). Refuses nonsense periods."""
    if not (getattr(by, "is_authenticated", False) and by.has_capability(Capability.ADMINISTER)):
        raise RetentionRefused("Only an administrator can change retention periods")
    if not 1 <= months <= 1200:
        raise RetentionRefused("Enter a period between 1 and 1,200 months")
    if not basis.strip():
        raise RetentionRefused("Say what the period rests on")
    with transaction.atomic():
        rule = RetentionRule.objects.select_for_update().get(pk=rule.pk)
        rule.months, rule.basis, rule.updated_by, rule.updated_at = months, basis.strip(), by, timezone.now()
        rule.save()
    return rule


class _DryRun(Exception):
    pass


def preview_retention(*, record_type: str, object_id: int) -> tuple[str, dict[str, int], str]:
    """What deleting the record would do: (action, counts, refusal), worked out by doing it and rolling back."""
    kind = KINDS[record_type]
    result: tuple[str, dict[str, int], str] = ("", {}, "")
    try:
        with transaction.atomic():
            obj = kind.model._default_manager.get(pk=object_id)
            counts: Counter[str] = Counter()
            action = REMOVERS[record_type](obj, counts)
            result = (str(action), dict(sorted(counts.items())), "")
            raise _DryRun
    except _DryRun:
        pass
    except RetentionRefused as exc:
        result = ("", {}, str(exc))
    return result
