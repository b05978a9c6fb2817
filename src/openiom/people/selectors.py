"""Reading people: search and the person record."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.functions import Upper

from openiom.offending.models import CustodyPeriod, Flag, Offence

from .models import Person, PersonRecord

MAX_RESULTS = 50
RESTRICTED = "an offence in a restricted category"


@dataclass(frozen=True)
class PersonSearch:
    name: str = ""
    date_of_birth: date | None = None
    identifier: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.name.strip() or self.date_of_birth or self.identifier.strip())


def search_people(criteria: PersonSearch) -> QuerySet[Person]:
    """People whose records match every criterion given (names in any agency's record)."""
    records = PersonRecord.objects.all()
    for word in criteria.name.split()[:4]:
        records = records.filter(Q(given_name__icontains=word) | Q(family_name__icontains=word))
    if criteria.date_of_birth:
        records = records.filter(date_of_birth=criteria.date_of_birth)
    identifier = criteria.identifier.strip()
    if identifier:
        records = records.filter(Q(pnc_id__iexact=identifier) | Q(source_person_id__iexact=identifier))
    # Sorted regardless of case (Upper): also keeps PostgreSQL from walking the whole name index in
    # order hoping to meet the few matches early, rather than finding them through the name indexes.
    return (
        Person.objects.filter(pk__in=records.values("person_id"))
        .prefetch_related("records__source")
        .order_by(Upper("family_name"), Upper("given_name"), "pk")
    )


@dataclass(frozen=True)
class PersonHistory:
    person: Person
    records: list[PersonRecord]
    offences: list[Offence]
    custody: list[CustodyPeriod]
    flags: list[Flag]
    # Offences shown as "an offence in a restricted category" (a special category the reader may not see).
    restricted_offence_ids: frozenset[int] = frozenset()

    @property
    def sanctions(self) -> list[Offence]:
        return [o for o in self.offences if o.is_sanction]

    def timeline(self) -> list[dict[str, object]]:
        """Everything on one timeline, newest first."""
        items: list[dict[str, object]] = []
        for o in self.offences:
            items.append(
                {
                    "date": o.outcome_date,
                    "title": f"{o.get_outcome_display()}: "
                    + (RESTRICTED if o.pk in self.restricted_offence_ids else o.offence_label),
                    "detail": o.get_disposal_display() if o.disposal else "",
                    "by": o.source.name,
                }
            )
        for c in self.custody:
            items.append(
                {"date": c.reception_date, "title": "Received into custody", "detail": "", "by": c.source.name}
            )
            if c.release_date:
                items.append(
                    {"date": c.release_date, "title": "Released from custody", "detail": "", "by": c.source.name}
                )
        for f in self.flags:
            items.append(
                {"date": f.start_date, "title": f"Flag: {f.get_flag_display()}", "detail": f.value, "by": f.source.name}
            )
        return sorted(items, key=lambda i: i["date"], reverse=True)  # type: ignore[arg-type, return-value]


def for_reader(
    history: PersonHistory, *, restricted_offence_codes: frozenset[str], hidden_flags: frozenset[str]
) -> PersonHistory:
    """The history as one reader may see it: flags in special categories they may not read left out,
    offences in such categories not named. The sharing policy decides the two sets."""
    return replace(
        history,
        flags=[f for f in history.flags if f.flag not in hidden_flags],
        restricted_offence_ids=frozenset(o.pk for o in history.offences if o.offence_code in restricted_offence_codes),
    )


def person_history(person: Person) -> PersonHistory:
    records = list(person.records.select_related("source").order_by("source__name"))
    record_ids = [r.pk for r in records]
    return PersonHistory(
        person=person,
        records=records,
        offences=list(
            Offence.objects.filter(record_id__in=record_ids)
            .select_related("source")
            .order_by("-offence_date", "event_id")
        ),
        custody=list(
            CustodyPeriod.objects.filter(record_id__in=record_ids).select_related("source").order_by("-reception_date")
        ),
        flags=list(Flag.objects.filter(record_id__in=record_ids).select_related("source").order_by("-start_date")),
    )


def shown_history(user: Any, person: Person) -> PersonHistory:
    """The person's history with the special categories the user may not read left out or not named."""
    from openiom.sharing.constants import FLAG_CATEGORIES, SEXUAL_OFFENCE_CODES, Category
    from openiom.sharing.policy import readable_categories

    readable = readable_categories(user, person)
    return for_reader(
        person_history(person),
        restricted_offence_codes=frozenset() if Category.SEXUAL_OFFENDING in readable else SEXUAL_OFFENCE_CODES,
        hidden_flags=frozenset(flag for flag, category in FLAG_CATEGORIES.items() if category not in readable),
    )
