"""Cases with something of every kind, to grow the worlds of the query-count tests.

`CaseBuilder.loaded_case(n)` opens a case whose person, records and pages have one of everything
a case page or list shows (involvements, a cohort membership, an assessment, plan actions, an
intervention, contacts with outcomes, enforcement, a task, a review prompt, a victim, a tier
change, a consent, offences, a flag and a custody period). `CaseBuilder.grow(case, k)` adds `k`
more of every kind of item to one case. Everything is made through the service functions the
pages use, so the rows are the rows a real partnership would have.

Names carry a number (`Casey7 Loadtest`) so a test can check that the page shows the rows added.
The clock must be frozen (the tests freeze it on 24 November 2026).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import count
from typing import Any
from zoneinfo import ZoneInfo

from openiom.accounts.models import Agency, Role, User
from openiom.accounts.services import create_user
from openiom.cases import contacts, plans, services
from openiom.cases.constants import ContactKind, EnforcementKind, Pathway, PromptKind, TaskKind
from openiom.cases.models import Case, ReviewPrompt, Task, Tier
from openiom.cases.plans import NeedInput
from openiom.cases.victims import add_victim
from openiom.directory.models import Service
from openiom.directory.services import ServiceData, create_service
from openiom.offending.models import CustodyPeriod, Flag, Offence
from openiom.people.models import Person, PersonRecord
from openiom.sharing.constants import Category
from openiom.sharing.services import record_consent

LONDON = ZoneInfo("Europe/London")
FAMILY = "Loadtest"
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=LONDON)
TODAY = NOW.date()


@dataclass
class CaseBuilder:
    users: dict[str, User]
    numbers: Any = field(default_factory=lambda: count(1))

    def __post_init__(self) -> None:
        services.default_tiers()
        self.tiers = {t.level: t for t in Tier.objects.all()}

    def agency(self, code: str) -> Agency:
        return Agency.objects.get(code=code)

    def service(self, n: int) -> Service:
        """A service of its own for each referral (a case has one live referral to a service at a time)."""
        return create_service(
            ServiceData(name=f"Loadtest service {n}", provider="Citizens Advice", pathways=list(Pathway.values)),
            by=None,
        )

    def worker(self, agency: str = "probation", role: str = "offender_manager") -> User:
        """Another practitioner (a row of their own on the caseloads page)."""
        n = next(self.numbers)
        return create_user(
            email=f"worker{n}@loadtest.test", full_name=f"Loadtest Worker{n}", agency=self.agency(agency),
            roles=[Role.objects.get(code=role)], password="a long enough loadtest password", job_title="Officer",
        )  # fmt: skip

    # ---- people -------------------------------------------------------------------------------------
    def person(self, *, given: str = "") -> Person:
        """A person with a police record: two offences, a PPO flag and a custody period."""
        n = next(self.numbers)
        given = given or f"Casey{n}"
        person = Person.objects.create(
            given_name=given, family_name=FAMILY, date_of_birth=date(1990, 1, 1) + timedelta(days=n),
            gender="M", ethnicity="W",
        )  # fmt: skip
        police = self.agency("police")
        record = PersonRecord.objects.create(
            source=police, source_person_id=f"LT-{n}", person=person, given_name=given, family_name=FAMILY,
            date_of_birth=person.date_of_birth, gender="M", ethnicity="W", pnc_id=f"26/{n:07d}Q",
        )  # fmt: skip
        self.offences(record, 2)
        Flag.objects.create(source=police, record=record, flag="ppo", start_date=date(2025, 1, 1))
        CustodyPeriod.objects.create(
            source=police, record=record, reception_date=date(2025, 2, 1), release_date=date(2025, 8, 1)
        )
        return person

    def offences(self, record: PersonRecord, k: int) -> None:
        for _ in range(k):
            n = next(self.numbers)
            Offence.objects.create(
                source=record.source, event_id=f"LT-E{n}", record=record, offence_code="burglary_residential",
                offence_date=date(2026, 3, 1) + timedelta(days=n % 200), outcome="conviction",
                outcome_date=date(2026, 3, 2) + timedelta(days=n % 200),
            )  # fmt: skip

    # ---- cases --------------------------------------------------------------------------------------
    def loaded_case(self, *, lead: str | User = "offender_manager", person: Person | None = None) -> Case:
        """An open PPO case led by `lead`, with the police and housing involved and one of every item."""
        lead_user = self.users[lead] if isinstance(lead, str) else lead
        case = services.open_case(
            person=person or self.person(), tier=self.tiers[2], lead_professional=lead_user,
            by=self.users["iom_coordinator"], cohort="PPO", statutory=True, opened_on=date(2026, 6, 1),
            rosh_level="high",
        )  # fmt: skip
        om = lead_user
        services.add_involvement(
            case=case, agency=self.agency("police"), key_worker=self.users["police_officer"], by=om, role="PPO"
        )
        services.add_involvement(case=case, agency=self.agency("housing"), by=om, role="Housing support")
        services.add_membership(case=case, cohort="HCC", by=om, started_on=date(2026, 7, 1))
        record_consent(person=case.person, category=Category.HEALTH, by=om, given_on=date(2026, 6, 10))
        self.grow(case, 1)
        return Case.objects.get(pk=case.pk)

    def grow(self, case: Case, k: int) -> None:
        """`k` more of every item on the case: assessments, actions (one overdue), interventions, contacts
        and their enforcement, tasks, review prompts, victims and tier changes."""
        om = case.lead_professional
        for _ in range(k):
            n = next(self.numbers)
            plans.record_assessment(
                case=case, by=om, assessed_on=date(2026, 6, 10) + timedelta(days=n % 150),
                needs={p: NeedInput("high" if (n + i) % 2 else "low", notes=f"Note {n}")
                       for i, p in enumerate(Pathway.values)},
            )  # fmt: skip
            for pathway in (Pathway.ACCOMMODATION, Pathway.HEALTH):
                plans.add_action(
                    case=case, pathway=pathway, description=f"Loadtest action {n} ({pathway})", owner=om,
                    due_on=date(2026, 12, 20), by=om,
                )  # fmt: skip
            # the accommodation action is overdue (a due date in the past cannot be entered, so set it after)
            case.actions.filter(description__startswith=f"Loadtest action {n} (accommodation").update(
                due_on=date(2026, 11, 1)
            )
            plans.refer_to_service(case=case, service=self.service(n), pathway=Pathway.FINANCE, by=om)
            past = NOW - timedelta(days=3 + n % 200)
            contact = contacts.add_contact(
                case=case, kind=ContactKind.OFFICE, scheduled_at=past, by=om, outcome="missed", notes=f"Missed {n}"
            )
            contacts.add_contact(
                case=case, kind=ContactKind.DRUG_TEST, scheduled_at=past + timedelta(hours=2), by=om,
                outcome="attended", notes=f"Negative {n}",
            )  # fmt: skip
            contacts.add_contact(case=case, kind=ContactKind.PHONE, scheduled_at=NOW + timedelta(days=2), by=om)
            contacts.record_enforcement(
                case=case, kind=EnforcementKind.WARNING, by=om, details=f"Warning {n}", contact=contact,
                taken_on=past.date(),
            )  # fmt: skip
            Task.objects.create(
                case=case, kind=TaskKind.THROUGH_THE_GATE, pathway=Pathway.ACCOMMODATION, title=f"Loadtest task {n}",
                agency=om.agency, due_on=date(2026, 11, 20), key=f"loadtest:{n}",
            )  # fmt: skip
            police = self.users["police_officer"]
            add_victim(case=case, by=police, label=f"Victim {n}", relationship="Neighbour", repeat=True)
            fresh = Case.objects.get(pk=case.pk)
            tier = self.tiers[1] if fresh.tier.level != 1 else self.tiers[2]
            services.change_tier(case=fresh, tier=tier, by=om, reason=f"Loadtest review {n}", version=fresh.version)
            record = PersonRecord.objects.filter(person_id=case.person_id).first()
            if record is not None:
                self.offences(record, 1)
        for _ in range(k):  # after the tier changes, which resolve the prompts waiting
            n = next(self.numbers)
            ReviewPrompt.objects.create(
                case=case, kind=PromptKind.ESCALATION, reason=f"Loadtest prompt {n}", key=f"loadtest:{n}"
            )
