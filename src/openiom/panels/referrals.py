"""Referring someone OpenIOM does not know yet, and saying in words where a referral went.

`refer_new_person` creates the person and refers them in one transaction: if the referral is
refused, no person is left behind. Person is registered for change history, so the new
record is in the audit trail with who created it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from openiom.people.constants import Ethnicity, Gender
from openiom.people.models import Person

from .constants import MeetingStatus
from .models import Meeting
from .services import PanelError, ReferralResult, refer


@dataclass(frozen=True)
class NewPerson:
    given_name: str
    family_name: str
    date_of_birth: date
    gender: str


def create_person(*, new: NewPerson, by: Any) -> Person:
    """A person known only from a referral: no agency record yet, ethnicity not stated."""
    given, family = new.given_name.strip(), new.family_name.strip()
    if not given or not family:
        raise PanelError("give the person's given name and family name")
    if new.date_of_birth >= timezone.localdate():
        raise PanelError("the date of birth must be in the past")
    if new.gender not in Gender.values:
        raise PanelError("choose the person's gender")
    return Person.objects.create(
        given_name=given,
        family_name=family,
        date_of_birth=new.date_of_birth,
        gender=new.gender,
        ethnicity=Ethnicity.NOT_STATED,
    )


@transaction.atomic
def refer_new_person(*, new: NewPerson, referred_by: Any, **referral: Any) -> ReferralResult:
    person = create_person(new=new, by=referred_by)
    return refer(person=person, referred_by=referred_by, **referral)


def where_it_went(result: ReferralResult) -> str:
    """The confirmation shown to whoever referred: which meeting, and whether it was late or urgent."""
    r = result.referral
    panel = r.panel.name
    if r.meeting is None:
        return (
            f"Referral {r.pk} has been received. No {panel} meeting is scheduled yet: it will go to the first "
            "meeting whose referral cut-off it meets."
        )
    when = f"{r.meeting.date:%A %-d %B %Y}"
    if result.late:
        return (
            f"Referral {r.pk} has been received after the referral cut-off. Because it is urgent it goes to the "
            f"{panel} meeting on {when}, and the co-ordinator has been told."
        )
    urgent = " It is marked urgent." if r.urgent else ""
    missed = (
        Meeting.objects.filter(panel=r.panel, status=MeetingStatus.SCHEDULED)
        .filter(date__gt=timezone.localdate(r.received_at), date__lt=r.meeting.date)
        .order_by("date")
        .first()
    )
    if missed is not None:
        urgent = (
            f" It came after the referral cut-off for the meeting on {missed.date:%-d %B %Y} "
            f"({missed.referral_deadline:%-d %B %Y}); tick 'urgent' only when it cannot wait."
            if not r.urgent
            else urgent
        )
    return (
        f"Referral {r.pk} has been received in time for the {panel} meeting on {when} "
        f"(referral cut-off {r.meeting.referral_deadline:%-d %B %Y}).{urgent}"
    )
