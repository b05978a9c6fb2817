"""Request and response shapes of the case management API (`api.py`).

Requests refuse unknown fields, free text refuses NUL characters (`TEXT`, `OPTIONAL_TEXT`), dates
and times are ISO strings only, and every edit names the `version` it started from. Victims are
in no shape here: the API never returns them.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, Field

from openiom.accounts.schemas import OPTIONAL_TEXT, TEXT
from openiom.people.api import IsoDate

Version = Annotated[int, Field(ge=1, le=2**31 - 1, description="The version the edit started from.")]
ObjectId = Annotated[int, Field(ge=1, le=2**63 - 1)]
PathwayCode = Literal["accommodation", "ete", "health", "drugs_alcohol", "finance", "children_families", "attitudes"]
Level = Literal["none", "low", "medium", "high"]
RoshCode = Literal["", "low", "medium", "high", "very_high"]
FrameworkCode = Literal["", "Fixed", "Flex", "Free"]
Notes = Annotated[str, Field(max_length=5000, pattern=OPTIONAL_TEXT)]


def _iso_datetime(value: object) -> object:
    """Only ISO date-times: pydantic would otherwise read a number as a Unix timestamp."""
    if isinstance(value, str) and len(value) >= 16 and value[4] == "-" and value[7] == "-" and value[10] in "T ":
        return value
    raise ValueError("must be a date and time in the form YYYY-MM-DDTHH:MM (with an optional offset)")


IsoDateTime = Annotated[dt.datetime, BeforeValidator(_iso_datetime)]


class In(Schema):
    model_config = ConfigDict(extra="forbid")


# ---- cases -----------------------------------------------------------------------------------------
class PersonBrief(Schema):
    id: int
    given_name: str
    family_name: str
    date_of_birth: dt.date


class InvolvementOut(Schema):
    agency_id: int
    agency: str
    key_worker: str | None
    role: str
    started_on: dt.date


class MembershipOut(Schema):
    cohort: str
    framework: str
    started_on: dt.date
    ended_on: dt.date | None


class PromptOut(Schema):
    id: int
    kind: str
    reason: str
    raised_on: dt.date
    status: str
    resolution: str


class CaseOut(Schema):
    """Everyone who may find a case gets who the person is, the cohort, the lead professional and the
    agencies involved (`access` is `minimal`); the agencies working on it also get the rest (`full`)."""

    id: int
    access: Literal["full", "minimal"]
    person: PersonBrief
    cohort: str
    lead_professional_id: int
    lead_professional: str
    lead_agency_id: int
    lead_agency: str
    agencies_involved: list[InvolvementOut]
    status: str | None = None
    framework: str | None = None
    tier_level: int | None = None
    tier: str | None = None
    statutory: bool | None = None
    rosh_level: str | None = None
    opened_on: dt.date | None = None
    closed_on: dt.date | None = None
    memberships: list[MembershipOut] | None = None
    open_review_prompts: int | None = None
    overdue_actions: int | None = None
    version: int | None = None


class CaseDetailOut(CaseOut):
    review_prompts: list[PromptOut] | None = None
    compliance_percent: int | None = None
    appointments_counted: int | None = None


class CaseListOut(Schema):
    total: int
    results: list[CaseOut]


class CaseSearchIn(In):
    name: str = Field(min_length=1, max_length=100, pattern=TEXT)
    status: Literal["open", "closed", "all"] = "open"


class CaseUpdateIn(In):
    """Statutory status, risk of serious harm and framework stream; a field left out is unchanged."""

    version: Version
    statutory: bool | None = None
    rosh_level: RoshCode | None = None
    framework: FrameworkCode | None = None


# ---- the pyramid -------------------------------------------------------------------------------------
class TierOut(Schema):
    level: int
    name: str
    description: str
    is_active: bool
    quiet_days: int
    min_compliance: int


class TierChangeIn(In):
    version: Version
    tier_level: int = Field(ge=1, le=50)
    reason: str = Field(min_length=1, max_length=5000, pattern=TEXT)


class TierChangeOut(Schema):
    id: int
    case_id: int
    from_level: int | None
    to_level: int
    to_tier: str
    direction: str
    reason: str
    by: str | None
    at: dt.datetime
    case_version: int


# ---- needs -------------------------------------------------------------------------------------------
class NeedIn(In):
    level: Level
    linked_to_offending: bool = False
    notes: Notes = ""


class NeedsIn(In):
    """A level for every one of the seven pathways."""

    accommodation: NeedIn
    ete: NeedIn
    health: NeedIn
    drugs_alcohol: NeedIn
    finance: NeedIn
    children_families: NeedIn
    attitudes: NeedIn


class AssessmentIn(In):
    assessed_on: IsoDate | None = None
    summary: Notes = ""
    needs: NeedsIn


class NeedOut(Schema):
    pathway: str
    level: str
    linked_to_offending: bool
    notes: str
    notes_withheld: bool = Field(
        False, description="True when there are notes in a special category (health, drugs) you may not read."
    )


class AssessmentOut(Schema):
    id: int
    case_id: int
    assessed_on: dt.date
    by: str
    agency: str
    summary: str
    needs: list[NeedOut]


# ---- the plan ----------------------------------------------------------------------------------------
class ActionIn(In):
    pathway: PathwayCode
    description: str = Field(min_length=1, max_length=5000, pattern=TEXT)
    owner_id: ObjectId
    due_on: IsoDate


class ActionUpdateIn(In):
    """A field left out is unchanged."""

    version: Version
    description: str | None = Field(None, min_length=1, max_length=5000, pattern=TEXT)
    owner_id: ObjectId | None = None
    due_on: IsoDate | None = None


class ActionStatusIn(In):
    version: Version
    status: Literal["open", "in_progress", "done", "cancelled"]
    outcome: Notes = ""


class ActionOut(Schema):
    id: int
    case_id: int
    pathway: str
    description: str
    owner_id: int
    owner: str
    owner_agency: str
    due_on: dt.date
    status: str
    overdue: bool
    outcome: str
    completed_on: dt.date | None
    version: int


# ---- interventions -----------------------------------------------------------------------------------
class InterventionIn(In):
    service_id: ObjectId
    pathway: PathwayCode
    referred_on: IsoDate | None = None
    notes: Notes = ""


class InterventionMoveIn(In):
    version: Version
    status: Literal["ongoing", "completed", "dropped_out", "declined"]
    on: IsoDate | None = None
    notes: Notes = ""


class SessionsIn(In):
    version: Version
    offered: int = Field(ge=0, le=1000)
    attended: int = Field(ge=0, le=1000)


class InterventionOut(Schema):
    id: int
    case_id: int
    service_id: int
    service: str
    pathway: str
    status: str
    referred_on: dt.date
    referred_by: str
    started_on: dt.date | None
    ended_on: dt.date | None
    sessions_offered: int
    sessions_attended: int
    notes: str
    notes_withheld: bool = Field(
        False, description="True when there are notes in a special category (health, drugs) you may not read."
    )
    version: int


# ---- contacts ----------------------------------------------------------------------------------------
class ContactIn(In):
    kind: Literal["office", "home_visit", "phone", "group", "drug_test", "other"]
    scheduled_at: IsoDateTime
    outcome: Literal["scheduled", "attended", "late", "missed", "excused"] = "scheduled"
    notes: Notes = ""


class ContactOutcomeIn(In):
    version: Version
    outcome: Literal["attended", "late", "missed", "excused"]
    notes: Notes = ""


class ContactOut(Schema):
    id: int
    case_id: int
    agency: str
    by: str
    kind: str
    scheduled_at: dt.datetime
    outcome: str
    outcome_recorded_at: dt.datetime | None
    notes: str
    version: int


# ---- tasks -------------------------------------------------------------------------------------------
class TaskOut(Schema):
    id: int
    case_id: int
    kind: str
    pathway: str
    title: str
    agency_id: int
    agency: str
    due_on: dt.date
    status: str
    overdue: bool
    done_by: str | None
    done_at: dt.datetime | None
    note: str
    version: int


class TaskFinishIn(In):
    version: Version
    status: Literal["done", "cancelled"]
    note: Notes = ""
