"""What a panel's papers say about each person, and the minutes drafted from the meeting's record.

The papers go to every member of the panel, whatever their agency, so a person's summary
holds only what every partner may see: identity, the referral, offending in the last year
by type, custody, PPO/DYO status, risk of serious harm and the latest selection scores.
Special categories (health, substance-misuse treatment, domestic abuse, sexual offending,
MAPPA, victims) are left out and the summary says so; the agencies entitled to them share
them at the meeting. The papers go to many recipients at once, so the simplest correct rule of
the sharing policy applies: special categories are kept out whoever the recipients are.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from openiom.offending.constants import SANCTION_OUTCOMES, FlagType
from openiom.offending.models import CustodyPeriod, Flag, Offence
from openiom.people.models import Person
from openiom.reference import offence_categories
from openiom.sharing.constants import FLAG_CATEGORIES, SEXUAL_OFFENCE_CODES

from .constants import AgendaKind, Capacity
from .models import ActionPoint, AgendaItem, Meeting

# Offence codes that are sexual offending, a special category: counted, never named, in the papers.
SPECIAL_OFFENCE_CODES = SEXUAL_OFFENCE_CODES
# Only flags in no special category (never MAPPA or MARAC: see openiom.sharing.constants.FLAG_CATEGORIES).
SHARED_FLAGS = tuple(f for f in (FlagType.PPO, FlagType.DYO, FlagType.ROSH) if f not in FLAG_CATEGORIES)
RESTRICTED_NOTE = (
    "Special-category information (health, substance misuse treatment, domestic abuse, sexual offending, "
    "MAPPA and victims) is not in these papers: agencies entitled to it share it at the meeting."
)


@dataclass
class PersonSummary:
    person: Person
    age: int
    agencies: list[str]
    offences_last_year: list[tuple[str, int]]
    restricted_offences: int
    latest_offence: str
    sanction_occasions: int
    in_custody: str
    flags: list[str]
    scores: dict[str, Any] = field(default_factory=dict)


def person_summary(person: Person, on: date | None = None) -> PersonSummary:
    on = on or timezone.localdate()
    year_ago = on - timedelta(days=365)
    labels = {code: c.label for code, c in offence_categories().items()}
    offences = list(Offence.objects.for_person(person.pk).filter(offence_date__lte=on).order_by("offence_date"))
    recent = [o for o in offences if o.offence_date > year_ago]
    counts = Counter(
        labels.get(o.offence_code, o.offence_code) for o in recent if o.offence_code not in SPECIAL_OFFENCE_CODES
    )
    shown = [o for o in offences if o.offence_code not in SPECIAL_OFFENCE_CODES]
    latest = shown[-1] if shown else None
    custody = (
        CustodyPeriod.objects.filter(record__person=person, reception_date__lte=on).order_by("-reception_date").first()
    )
    if custody and (custody.release_date is None or custody.release_date > on):
        in_custody = f"In custody since {custody.reception_date:%d %B %Y}"
    elif custody and custody.release_date:
        in_custody = f"Last released {custody.release_date:%d %B %Y}"
    else:
        in_custody = "No custody recorded"
    flags = []
    for flag in Flag.objects.filter(record__person=person, flag__in=SHARED_FLAGS, start_date__lte=on).order_by(
        "start_date"
    ):
        if flag.end_date is None or flag.end_date >= on:
            value = f": {flag.value.replace('_', ' ')}" if flag.value else ""
            flags.append(f"{flag.get_flag_display()}{value} (from {flag.start_date:%d %b %Y})")
    return PersonSummary(
        person=person,
        age=person.age_on(on),
        agencies=sorted({r.source.name for r in person.records.select_related("source")}),
        offences_last_year=sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])),
        restricted_offences=sum(1 for o in recent if o.offence_code in SPECIAL_OFFENCE_CODES),
        latest_offence=(
            f"{labels.get(latest.offence_code, latest.offence_code)} on {latest.offence_date:%d %B %Y} "
            f"({latest.get_outcome_display().lower()})"
            if latest
            else "None recorded"
        ),
        sanction_occasions=len({o.outcome_date for o in offences if o.outcome in SANCTION_OUTCOMES}),
        in_custody=in_custody,
        flags=flags,
        scores=_latest_scores(person),
    )


def _latest_scores(person: Person) -> dict[str, Any]:
    from openiom.cohort.models import ScoredPerson

    scored = (
        ScoredPerson.objects.filter(person=person, run__status="succeeded")
        .select_related("run")
        .order_by("-run__finished_at", "-run__pk")
        .first()
    )
    if scored is None:
        return {}
    return {
        "run": scored.run,
        "rfg_score": scored.rfg_score,
        "ogrs3_band": scored.ogrs3_band,
        "ogrs3_2yr": scored.ogrs3_2yr,
        "cohort": scored.get_cohort_display() if scored.cohort else "",
        "rank": scored.rank,
    }


# ---- minutes ---------------------------------------------------------------------------------------
def draft_minutes(meeting: Meeting) -> str:
    """Minutes drafted from the meeting's record: attendance, quorum, each item's decision, actions."""
    from .services import acting_chair_agency, meeting_quorum

    panel = meeting.panel
    day = f"{meeting.date:%A} {meeting.date.day} {meeting.date:%B %Y}"
    lines = [f"{panel.name}: minutes of the meeting on {day} at {meeting.start_time:%H:%M}"]
    if meeting.location:
        lines.append(f"Location: {meeting.location}")
    lines += ["", "Present"]
    for a in meeting.attendance.select_related("agency"):
        role = ""
        if a.capacity == Capacity.DEPUTY:
            role = f" (deputy for {a.deputy_for})"
        elif a.capacity != Capacity.MEMBER:
            role = f" ({a.get_capacity_display().lower()})"
        lines.append(f"- {a.name}, {a.post + ', ' if a.post else ''}{a.agency.name}{role}")
    q = meeting_quorum(meeting)
    chair_agency = acting_chair_agency(meeting)
    chair = ""
    if chair_agency == panel.chair_agency_id:
        chair = f"{panel.chair_agency.name} (the chair's organisation)"
    elif chair_agency == panel.vice_chair_agency_id and panel.vice_chair_agency is not None:
        chair = f"{panel.vice_chair_agency.name} (the vice chair's organisation, in the chair's absence)"
    elif chair_agency:
        chair = "an acting chair"
    lines += ["", q.message + (f" Chaired by {chair}." if chair else " No chair was present.")]
    items = AgendaItem.objects.filter(meeting=meeting).select_related("referral", "case").order_by("position")
    for item in items:
        lines += [
            "",
            f"{item.position}. {item.title}" + (" (urgent referral received after the cut-off)" if item.late else ""),
        ]
        decision = getattr(item, "decision", None)
        if decision is not None:
            counts = f"{decision.votes_for} for, {decision.votes_against} against, {decision.abstentions} abstaining"
            casting = "; decided on the chair's casting vote" if decision.casting_vote_used else ""
            lines.append(f"Decision: {decision.get_outcome_display()} ({counts}{casting}).")
            if decision.outcome == "select" and decision.case_id:
                lead = decision.lead_professional
                lines.append(
                    f"Cohort {decision.cohort}; {decision.tier}; lead professional {lead} ({lead.agency.name})."
                    if lead
                    else f"Cohort {decision.cohort}."
                )
            lines.append(f"Reasons: {decision.reasons}")
        elif item.kind == AgendaKind.ACTIONS:
            for action in ActionPoint.objects.open().filter(meeting__panel=panel, meeting__date__lt=meeting.date):
                lines.append(f"- {action.description} ({action.owner}, due {action.due_date:%d %b %Y})")
        else:
            lines.append("Discussed; no decision recorded.")
    actions = list(ActionPoint.objects.filter(meeting=meeting).select_related("owner", "owner_agency"))
    lines += ["", "Actions agreed"]
    lines += [
        f"- {a.description.rstrip('.')}: {a.owner} ({a.owner_agency.name}), by {a.due_date.day} {a.due_date:%B %Y}"
        for a in actions
    ] or ["- None"]
    return "\n".join(lines)
