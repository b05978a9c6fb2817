"""Sending the panel's papers, minutes, forms and notices by e-mail, and recording that they went.

E-mail goes through Django's configured backend (the console in the demo; SMTP to a secure
mail relay in production). Subjects and bodies name no one: people's details travel only
in the attached PDF, to the panel's members and the nominating officer.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from .constants import CirculationKind, MeetingStatus, MinutesStatus
from .documents import acknowledgement_pdf, minutes_pdf, papers_pack
from .models import Circulation, Meeting, Referral
from .services import PanelError


def _member_addresses(meeting: Meeting) -> list[str]:
    emails = set(meeting.panel.members.exclude(user=None).values_list("user__email", flat=True))
    emails |= set(meeting.attendance.exclude(user=None).values_list("user__email", flat=True))
    emails |= set(meeting.referrals.values_list("nominating_officer__email", flat=True))
    if meeting.panel.coordinator_email:
        emails.add(meeting.panel.coordinator_email)
    return sorted(e for e in emails if e)


def _send(subject: str, body: str, to: list[str], attachment: tuple[str, bytes] | None = None) -> None:
    message = EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to)
    if attachment:
        message.attach(attachment[0], attachment[1], "application/pdf")
    message.send()


@transaction.atomic
def circulate_papers(*, meeting: Meeting, by: Any) -> Circulation:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise PanelError("papers are circulated before a scheduled meeting")
    if not meeting.items.exists():
        raise PanelError("the agenda is empty: build the agenda first")
    recipients = _member_addresses(meeting)
    if not recipients:
        raise PanelError("no member of the panel has an e-mail address in OpenIOM")
    pdf = papers_pack(meeting)
    subject = f"{meeting.panel.name}: agenda and papers for {meeting.date:%d %B %Y}"
    body = (
        f"The agenda and papers for the {meeting.panel.name} on {meeting.date:%A %d %B %Y} at "
        f"{meeting.start_time:%H:%M} are attached. They are OFFICIAL-SENSITIVE: do not forward them."
    )
    _send(subject, body, recipients, (f"papers-{meeting.date:%Y-%m-%d}.pdf", pdf))
    meeting.papers_circulated_at = timezone.now()
    meeting.save(update_fields=["papers_circulated_at"])
    return Circulation.objects.create(
        kind=CirculationKind.PAPERS, meeting=meeting, sent_by=by, recipients=recipients, subject=subject
    )


@transaction.atomic
def circulate_minutes(*, meeting: Meeting, by: Any) -> Circulation:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.minutes_status != MinutesStatus.APPROVED:
        raise PanelError("only minutes the chair has approved can be circulated")
    recipients = _member_addresses(meeting)
    if not recipients:
        raise PanelError("no member of the panel has an e-mail address in OpenIOM")
    subject = f"{meeting.panel.name}: minutes of {meeting.date:%d %B %Y}"
    body = (
        f"The approved minutes of the {meeting.panel.name} on {meeting.date:%d %B %Y} are attached, with the actions."
    )
    _send(subject, body, recipients, (f"minutes-{meeting.date:%Y-%m-%d}.pdf", minutes_pdf(meeting)))
    meeting.minutes_circulated_at = timezone.now()
    meeting.save(update_fields=["minutes_circulated_at"])
    return Circulation.objects.create(
        kind=CirculationKind.MINUTES, meeting=meeting, sent_by=by, recipients=recipients, subject=subject
    )


@transaction.atomic
def send_acknowledgement(*, referral: Referral, by: Any) -> Circulation:
    item = referral.meeting.items.filter(referral=referral).first() if referral.meeting else None
    if item is None or not hasattr(item, "decision"):
        raise PanelError("the acknowledgement is sent once the panel has decided")
    to = [referral.nominating_officer.email]
    subject = f"{referral.panel.name}: acknowledgement response form for referral {referral.pk}"
    body = f"The panel's decision on referral {referral.pk}, with its reasons, is in the attached form."
    _send(subject, body, to, (f"acknowledgement-{referral.pk}.pdf", acknowledgement_pdf(referral)))
    return Circulation.objects.create(
        kind=CirculationKind.ACKNOWLEDGEMENT, referral=referral, meeting=referral.meeting, sent_by=by, recipients=to,
        subject=subject,
    )  # fmt: skip


def notify_urgent_referral(referral: Referral) -> Circulation | None:
    """Tell the co-ordinator at once of an urgent referral received after the cut-off."""
    to = [referral.panel.coordinator_email] if referral.panel.coordinator_email else []
    if not to:
        return None
    when = f" for the meeting on {referral.meeting.date:%d %B %Y}" if referral.meeting else ""
    subject = f"Urgent late referral {referral.pk} to the {referral.panel.name}"
    body = (
        f"An urgent referral ({referral.pk}) was received after the referral cut-off{when}. "
        "It has been added to that meeting's agenda. Open it in OpenIOM to see the details."
    )
    _send(subject, body, to)
    return Circulation.objects.create(
        kind=CirculationKind.URGENT_REFERRAL, referral=referral, meeting=referral.meeting, recipients=to,
        subject=subject,
    )  # fmt: skip


def invite_nominating_officer(referral: Referral) -> Circulation | None:
    meeting = referral.meeting
    if meeting is None:
        return None
    to = [referral.nominating_officer.email]
    subject = f"Invitation: {meeting.panel.name} on {meeting.date:%d %B %Y}"
    body = (
        f"Referral {referral.pk} is on the agenda of the {meeting.panel.name} on {meeting.date:%A %d %B %Y} at "
        f"{meeting.start_time:%H:%M}{', ' + meeting.location if meeting.location else ''}. As the nominating "
        "officer you (or a colleague from your organisation) are invited to attend to add information and answer "
        "questions."
    )
    _send(subject, body, to)
    return Circulation.objects.create(
        kind=CirculationKind.INVITATION, referral=referral, meeting=meeting, recipients=to, subject=subject
    )
