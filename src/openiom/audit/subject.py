"""Everything OpenIOM holds on one person, model by model.

Used by the audit trail's person filter (every entry about the person or anything held on them)
and by the subject access export. Records are found by following the person's own links
(records, offending, cases and every case sub-record, panel referrals and decisions, cohort
scores); any other model that points straight at `Person` (added by a later app) is found by
introspection, so the export does not silently miss it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import Q, QuerySet

from openiom.cases import models as cm
from openiom.cohort.models import ScoredPerson
from openiom.offending.models import CustodyPeriod, Flag, Offence
from openiom.panels.models import AgendaItem, Decision, Referral, ReferralEvent
from openiom.people.models import Person, PersonRecord


@dataclass(frozen=True)
class HeldSet:
    """One kind of record held on the person: a heading and the queryset that finds them."""

    title: str
    queryset: QuerySet[models.Model]
    parent: str = ""  # the field that ties a sub-record to its parent (left out of the field list)

    @property
    def model(self) -> type[models.Model]:
        return self.queryset.model


def held_on(person: Person | int) -> list[HeldSet]:
    """Every kind of record about the person, in the order a reader would expect them."""
    pid = person.pk if isinstance(person, Person) else person
    case_sub = [
        ("Cohort memberships", cm.CohortMembership),
        ("Agencies involved", cm.Involvement),
        ("Moves in the pyramid of service levels", cm.TierChange),
        ("Tier review prompts", cm.ReviewPrompt),
        ("Needs assessments", cm.Assessment),
        ("Plan actions", cm.PlanAction),
        ("Interventions (referrals to services)", cm.Intervention),
        ("Contacts and appointments", cm.Contact),
        ("Enforcement", cm.Enforcement),
        ("Tasks", cm.Task),
        ("Victims linked to a case", cm.Victim),
    ]
    sets: list[HeldSet] = [
        HeldSet("The person", Person.objects.filter(pk=pid)),
        HeldSet("Records held by each agency", PersonRecord.objects.filter(person_id=pid), "person"),
        HeldSet("Offences", Offence.objects.filter(record__person_id=pid), ""),
        HeldSet("Custody periods", CustodyPeriod.objects.filter(record__person_id=pid), ""),
        HeldSet("Flags", Flag.objects.filter(record__person_id=pid), ""),
        HeldSet("IOM cases", cm.Case.objects.filter(person_id=pid), "person"),
    ]
    sets += [HeldSet(title, model._default_manager.filter(case__person_id=pid), "") for title, model in case_sub]
    sets += [
        HeldSet("Needs by pathway", cm.PathwayNeed.objects.filter(assessment__case__person_id=pid), "assessment"),
        HeldSet("Panel referrals", Referral.objects.filter(person_id=pid), "person"),
        HeldSet("Referral history", ReferralEvent.objects.filter(referral__person_id=pid), ""),
        HeldSet(
            "Panel agenda items",
            AgendaItem.objects.filter(Q(referral__person_id=pid) | Q(case__person_id=pid)).distinct(),
        ),
        HeldSet(
            "Panel decisions",
            Decision.objects.filter(Q(item__referral__person_id=pid) | Q(case__person_id=pid)).distinct(),
        ),
        HeldSet("Cohort selection scores", ScoredPerson.objects.filter(person_id=pid), "person"),
    ]
    known = {s.model for s in sets}
    for relation in Person._meta.related_objects:
        other = relation.related_model
        if isinstance(other, type) and other not in known and relation.one_to_many:
            title = str(other._meta.verbose_name_plural).capitalize()
            field = relation.field.name
            sets.append(HeldSet(title, other._default_manager.filter(**{field: pid}), field))
    return sets


def objects_filter(person: Person | int) -> Q:
    """A `LogEntry` filter for entries about the person or anything held on them."""
    from django.contrib.contenttypes.models import ContentType

    q = Q(pk__in=[])
    for held in held_on(person):
        ct = ContentType.objects.get_for_model(held.model)
        q |= Q(content_type=ct, object_id__in=held.queryset.values("pk"))
    return q
