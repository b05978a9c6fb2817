"""One of everything, built once per module, for the page matrix (`test_page_matrix.py`).

The world sits in an outer transaction that is rolled back when the module ends; each test runs
in a savepoint inside it, so a POST that gets through changes nothing the next test sees.

- Robin Sharefield (the sharing tests' person) has a PPO case led by probation (Olu Mensah): the
  police and housing are involved, the YOT is not, so the YOT worker sees the minimal view. The
  case has an assessment, a plan action, an intervention, a contact, a task, a review prompt, a
  cohort membership, a victim and a health consent; the person has a police record with offences.
- A second case, led by probation too, on which the housing practitioner has used break-glass.
- The IOM panel meets on 12 January 2027 with a referral on its agenda, an attendance, an action
  point and draft minutes; the selection run is the cohort tests' hand-made borough.
- A service, a target, a rejected delivery, a possible match and a merge, an audit export job
  (the administrator's, with its file), and an API token per persona.

The clock is frozen at noon on 24 November 2026 for the whole module.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.db import transaction
from django.test import Client

from openiom.accounts.models import Agency, Role, User
from openiom.accounts.services import create_api_token
from openiom.breakglass.services import ask_for_access
from openiom.cases import contacts, plans, services
from openiom.cases.constants import ContactKind, Pathway, PromptKind, TaskKind
from openiom.cases.models import ReviewPrompt, Task, Tier
from openiom.cases.plans import NeedInput
from openiom.cases.victims import add_victim
from openiom.cohort.services import start_selection_run
from openiom.demo import DEMO_PASSWORD, seed_partnership
from openiom.directory.services import ServiceData, create_service
from openiom.evaluation.models import Measure, TargetKind
from openiom.evaluation.targets import TargetData, create_target
from openiom.imports.constants import DeliveryStatus, Origin
from openiom.imports.models import Delivery
from openiom.jobs.services import start_job
from openiom.offending.models import Flag, Offence
from openiom.panels import services as panels
from openiom.panels.models import Panel, PanelMember
from openiom.people.models import MatchCandidate, Person, PersonMerge, PersonRecord
from openiom.retention.models import RetentionRule
from openiom.sharing.constants import Category
from openiom.sharing.services import record_consent
from tests.cohort.conftest import AS_OF, TEST_CONFIG, make_borough
from tests.conftest import EMAIL_BY_PERSONA

NOW = datetime.fromisoformat("2026-11-24T12:00:00+00:00")
MEETING_DAY = date(2027, 1, 12)

# JSON bodies for the API's writes: valid for the schema, so that the role check (not validation)
# answers; stale versions where the operation has one, so that even an allowed call changes nothing.
API_BODIES: dict[str, dict[str, Any]] = {
    "/api/v1/people/search": {"name": "Sharefield"},
    "/api/v1/selection-runs": {"as_of": "2026-06-30"},
    "/api/v1/panels/{panel}/meetings": {"date": "2027-03-09"},
    "/api/v1/meetings/{meeting}/attendance": {"agency_id": "{agency}", "name": "A visitor"},
    "/api/v1/agenda-items/{item}/decision": {
        "outcome": "defer",
        "reasons": "More information",
        "votes": [{"agency_id": "{agency}", "vote": "for"}],
    },
    "/api/v1/referrals": {"panel_id": "{panel}", "person_id": "{person}", "reason": "Burglaries"},
    "/api/v1/cases/search": {"name": "Sharefield"},
    "/api/v1/cases/{case}": {"version": 999},
    "/api/v1/cases/{case}/tier": {"version": 999, "tier_level": 1, "reason": "Review"},
    "/api/v1/cases/{case}/assessments": {
        "needs": {
            p: {"level": "low"}
            for p in ("accommodation", "ete", "health", "drugs_alcohol", "finance", "children_families", "attitudes")
        }
    },
    "/api/v1/cases/{case}/actions": {
        "pathway": "finance",
        "description": "Open a bank account",
        "owner_id": "{user}",
        "due_on": "2026-12-31",
    },
    "/api/v1/actions/{plan_action}": {"version": 999},
    "/api/v1/actions/{plan_action}/status": {"version": 999, "status": "done"},
    "/api/v1/cases/{case}/interventions": {"service_id": "{service}", "pathway": "finance"},
    "/api/v1/interventions/{intervention}/move": {"version": 999, "status": "ongoing"},
    "/api/v1/interventions/{intervention}/sessions": {"version": 999, "offered": 1, "attended": 1},
    "/api/v1/cases/{case}/contacts": {"kind": "phone", "scheduled_at": "2026-11-30T10:00:00Z"},
    "/api/v1/contacts/{contact}/outcome": {"version": 999, "outcome": "attended"},
    "/api/v1/tasks/{task}/finish": {"version": 999, "status": "done"},
    "/api/v1/services": {"name": "Food bank", "provider": "Trussell", "pathways": ["finance"]},
    "/api/v1/services/{service}": {"name": "Debt advice", "provider": "CAB", "pathways": ["finance"], "version": 999},
    "/api/v1/services/{service}/deactivate": {"version": 999, "reason": "Closed"},
    "/api/v1/services/{service}/reactivate": {"version": 999},
}


@dataclass
class MatrixWorld:
    """The users, their API tokens and sessions, and the ids that fill the placeholders of the addresses."""

    users: dict[str, User]
    tokens: dict[str, str]
    ids: dict[str, Any] = field(default_factory=dict)
    sessions: dict[str, str] = field(default_factory=dict)
    _client: Client = field(default_factory=Client)

    def address(self, template: str) -> str:
        return template.format(**self.ids)

    def client(self, persona: str) -> Client:
        """The shared client, signed in as the persona (anonymous without a session), remembering nothing else.

        One client for every request: each new Client builds the middleware again, and WhiteNoise
        then scans every static file.
        """
        client = self._client
        client.cookies.clear()
        client.defaults.pop("HTTP_AUTHORIZATION", None)
        if persona in self.sessions:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[persona]
        return client

    def api_client(self, persona: str) -> Client:
        """The shared client, calling the API with the persona's token (anonymous without one)."""
        client = self.client("")
        if persona in self.tokens:
            client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {self.tokens[persona]}"
        return client


def _build() -> MatrixWorld:
    if User.objects.filter(email__in=EMAIL_BY_PERSONA.values()).count() != len(EMAIL_BY_PERSONA):
        seed_partnership(DEMO_PASSWORD)  # after a transactional test emptied the database
    users = {code: User.objects.get(email=email) for code, email in EMAIL_BY_PERSONA.items()}
    coordinator, om, officer, admin = (
        users["iom_coordinator"],
        users["offender_manager"],
        users["police_officer"],
        users["administrator"],
    )
    police, housing = Agency.objects.get(code="police"), Agency.objects.get(code="housing")
    services.default_tiers()
    tier = Tier.objects.get(level=2)

    # -- the selection run (as of 30 June 2026), over the cohort tests' borough --------------------
    borough = make_borough()
    run = start_selection_run(user=coordinator, as_of=AS_OF, config=dict(TEST_CONFIG), label="Matrix run")

    # -- the case ----------------------------------------------------------------------------------
    person = Person.objects.create(
        given_name="Robin", family_name="Sharefield", date_of_birth=date(1990, 2, 3), gender="M", ethnicity="W"
    )
    case = services.open_case(
        person=person, tier=tier, lead_professional=om, by=coordinator, cohort="PPO", statutory=True,
        opened_on=date(2026, 6, 1),
    )  # fmt: skip
    involvement = services.add_involvement(case=case, agency=police, key_worker=officer, by=om, role="PPO")
    services.add_involvement(case=case, agency=housing, by=om, role="Housing support")
    membership = services.add_membership(case=case, cohort="HCC", by=om, started_on=date(2026, 7, 1))
    plans.record_assessment(
        case=case, by=om, assessed_on=date(2026, 6, 10),
        needs={p: NeedInput("high", notes="Noted") for p in Pathway.values},
    )  # fmt: skip
    action = plans.add_action(
        case=case, pathway=Pathway.ACCOMMODATION, description="Find a tenancy", owner=om,
        due_on=date(2026, 12, 24), by=om,
    )  # fmt: skip
    service = create_service(
        ServiceData(name="Debt advice", provider="Citizens Advice", pathways=[Pathway.FINANCE]), by=None
    )
    intervention = plans.refer_to_service(case=case, service=service, pathway=Pathway.FINANCE, by=om)
    contact = contacts.add_contact(case=case, kind=ContactKind.OFFICE, scheduled_at=NOW + timedelta(days=2), by=om)
    task = Task.objects.create(
        case=case, kind=TaskKind.THROUGH_THE_GATE, pathway=Pathway.ACCOMMODATION, title="Secure accommodation",
        agency=Agency.objects.get(code="probation"), due_on=date(2026, 12, 4), key="matrix:task",
    )  # fmt: skip
    prompt = ReviewPrompt.objects.create(case=case, kind=PromptKind.ESCALATION, reason="Arrested", key="matrix:prompt")
    victim = add_victim(case=case, by=om, label="Victim R", relationship="Former partner", repeat=True)
    consent = record_consent(person=person, category=Category.HEALTH, by=om, given_on=date(2026, 6, 10))
    record = PersonRecord.objects.create(
        source=police, source_person_id="P-777", person=person, given_name="Robin", family_name="Sharefield",
        date_of_birth=date(1990, 2, 3), gender="M", ethnicity="W",
    )  # fmt: skip
    Offence.objects.create(
        source=police, event_id="M1", record=record, offence_code="burglary_residential",
        offence_date=date(2026, 3, 2), outcome="conviction", outcome_date=date(2026, 3, 2),
    )  # fmt: skip
    Flag.objects.create(source=police, record=record, flag="mappa_1", value="category 1", start_date=date(2026, 4, 20))

    # -- a second case, on which the housing practitioner broke the glass ----------------------------
    other = Person.objects.create(
        given_name="Glenda", family_name="Brakeman", date_of_birth=date(1990, 3, 4), gender="F", ethnicity="W"
    )
    other_case = services.open_case(person=other, tier=tier, lead_professional=om, by=coordinator, cohort="PPO")
    grant = ask_for_access(
        user=users["partner_practitioner"],
        case=other_case,
        reason="Housing needs the licence conditions today to decide on an emergency placement tonight.",
    )

    # -- the panel month ---------------------------------------------------------------------------
    panel = Panel.objects.get(code="iom")
    meeting = panels.schedule_meeting(panel=panel, day=MEETING_DAY, by=coordinator)
    referred = Person.objects.create(
        given_name="Jordan", family_name="Quill", date_of_birth=date(1996, 3, 27), gender="M", ethnicity="W"
    )
    referral = panels.refer(
        panel=panel, person=referred, reason="Five burglaries since July", nominating_officer=officer,
        referred_by=officer,
    ).referral  # fmt: skip
    item = next(i for i in panels.build_agenda(meeting=meeting, by=coordinator) if i.referral_id == referral.pk)
    attendance = panels.record_attendance(meeting=meeting, agency=police, name="PC Dev Patel", by=coordinator)
    point = panels.add_action(
        meeting=meeting, description="Share the custody dates", owner=officer, due_date=date(2027, 2, 1),
        by=coordinator,
    )  # fmt: skip
    panels.save_minutes(meeting=meeting, text="The panel met.", by=coordinator)
    member = PanelMember.objects.filter(panel=panel).first()
    assert member is not None

    # -- reports, data, linkage, audit --------------------------------------------------------------
    target = create_target(
        TargetData(
            name="NI30 PPO reoffending", measure=Measure.REOFFENDING_RATE, cohort="PPO",
            entered_from=date(2024, 1, 1), entered_to=date(2024, 3, 31), kind=TargetKind.REDUCE_BY,
            target_value=Decimal(10), baseline_value=Decimal(70),
        ),
        by=None,
    )  # fmt: skip
    delivery = Delivery.objects.create(
        origin=Origin.UPLOAD, status=DeliveryStatus.REJECTED, fingerprint="matrix", imported_by=coordinator
    )
    twin = PersonRecord.objects.create(
        source=Agency.objects.get(code="probation"), source_person_id="N-777", person=borough["Adam"],
        given_name="Adam", family_name="Testperson", date_of_birth=date(1990, 1, 1), gender="M", ethnicity="W",
    )  # fmt: skip
    candidate = MatchCandidate.objects.create(record_a=record, record_b=twin, probability=0.9)
    merge = PersonMerge.objects.create(kept=borough["Fred"], decided_by=coordinator)
    job = start_job(owner=admin, kind="audit_export", title="Audit trail export (CSV)", params={"format": "csv"})
    tokens = {code: create_api_token(user=user, name="matrix")[1] for code, user in users.items()}
    own_token = users["iom_coordinator"].api_tokens.get()
    custom_role = Role.objects.create(code="matrix_custom", name="Matrix custom role")  # system roles cannot be edited

    ids: dict[str, Any] = {
        "person": person.pk, "case": case.pk, "involvement": involvement.pk, "membership": membership.pk,
        "plan_action": action.pk, "intervention": intervention.pk, "contact": contact.pk, "task": task.pk,
        "prompt": prompt.pk, "victim": victim.pk, "consent": consent.pk, "record": record.pk,
        "other_case": other_case.pk, "grant": grant.pk,
        "panel": panel.pk, "meeting": meeting.pk, "referral": referral.pk, "item": item.pk,
        "attendance": attendance.pk, "panel_action": point.pk, "member": member.pk,
        "run": run.pk, "run_person": borough.key("Adam"), "service": service.pk, "target": target.pk,
        "delivery": delivery.pk, "candidate": candidate.pk, "merge": merge.pk, "job": job.pk,
        "coordinator_token": own_token.pk,
        "agency": police.pk, "user": om.pk, "role": custom_role.pk, "tier": tier.pk,
        "category": Category.HEALTH.value, "rule": RetentionRule.objects.get(record_type="person_record").pk,
        "record_type": "person_record", "section": "people",
    }  # fmt: skip
    sessions = {}
    for code, user in users.items():
        signed_in = Client()  # one each: signing in as another user on the same client ends the first session
        signed_in.force_login(user)
        sessions[code] = signed_in.cookies[settings.SESSION_COOKIE_NAME].value
    return MatrixWorld(users=users, tokens=tokens, ids=ids, sessions=sessions)


@pytest.fixture(scope="module")
def matrix_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[MatrixWorld]:
    """The world, inside a transaction that is rolled back when the module's tests have run."""
    with time_machine.travel(NOW, tick=False), django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield _build()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
