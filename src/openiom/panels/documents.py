"""The panel's documents as PDF: the papers pack, the minutes and the acknowledgement response form."""

from __future__ import annotations

from django.utils import timezone

from openiom.web.pdf import render_pdf

from .constants import AgendaKind
from .models import Meeting, Referral
from .papers import RESTRICTED_NOTE, person_summary
from .services import acting_chair_agency


def papers_pack(meeting: Meeting) -> bytes:
    """The agenda, then one summary per person on it (only what every member may see)."""
    items = list(
        meeting.items.select_related("referral__nominating_officer__agency", "case__person", "referral__person")
    )
    summaries = []
    for item in items:
        person = item.referral.person if item.referral else (item.case.person if item.case else None)
        if person is not None and item.kind != AgendaKind.ACTIONS:
            summaries.append((item, person_summary(person, meeting.date)))
    return render_pdf(
        "panels/pdf/papers.html",
        {
            "document_title": f"{meeting.panel.name} papers, {meeting.date:%d %B %Y}",
            "generated_at": timezone.now(),
            "meeting": meeting,
            "items": items,
            "summaries": summaries,
            "members": meeting.panel.members.select_related("agency"),
            "restricted_note": RESTRICTED_NOTE,
        },
    )


def minutes_pdf(meeting: Meeting) -> bytes:
    return render_pdf(
        "panels/pdf/minutes.html",
        {
            "document_title": f"{meeting.panel.name} minutes, {meeting.date:%d %B %Y}",
            "generated_at": timezone.now(),
            "meeting": meeting,
            "paragraphs": meeting.minutes_text.split("\n"),
        },
    )


def acknowledgement_pdf(referral: Referral) -> bytes:
    """The acknowledgement response form: the referral, the panel's decision and its reasons."""
    item = referral.meeting.items.filter(referral=referral).first() if referral.meeting else None
    decision = getattr(item, "decision", None) if item else None
    return render_pdf(
        "panels/pdf/acknowledgement.html",
        {
            "document_title": f"Acknowledgement response form: referral {referral.pk}",
            "generated_at": timezone.now(),
            "referral": referral,
            "decision": decision,
            "chaired": acting_chair_agency(referral.meeting) if referral.meeting else None,
        },
    )
