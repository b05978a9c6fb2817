"""Meetings as an iCalendar file (RFC 5545) for partners' calendars. Names no one."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from .constants import MeetingStatus
from .models import Meeting

LONDON = ZoneInfo("Europe/London")
MEETING_LENGTH = timedelta(hours=2)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded (RFC 5545, 3.1)."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode()) > 75:
            out.append(current)
            current = " " + char
        else:
            current += char
    out.append(current)
    return "\r\n".join(out)


def _utc(value: datetime) -> str:
    return value.astimezone(ZoneInfo("UTC")).strftime("%Y%m%dT%H%M%SZ")


def meetings_ical(meetings: Iterable[Meeting], *, host: str = "openiom") -> str:
    now = _utc(timezone.now())
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//OpenIOM//Panels//EN", "CALSCALE:GREGORIAN"]
    for m in meetings:
        start = datetime.combine(m.date, m.start_time, tzinfo=LONDON)
        description = (
            f"Referral cut-off {m.referral_deadline:%d %B %Y}. Papers due {m.papers_due:%d %B %Y}. "
            f"Minutes due {m.minutes_due:%d %B %Y}."
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:panel-meeting-{m.pk}@{host}",
            f"DTSTAMP:{now}",
            f"DTSTART:{_utc(start)}",
            f"DTEND:{_utc(start + MEETING_LENGTH)}",
            f"SUMMARY:{_escape(m.panel.name)}",
            f"DESCRIPTION:{_escape(description)}",
            f"LOCATION:{_escape(m.location)}",
            f"STATUS:{'CANCELLED' if m.status == MeetingStatus.CANCELLED else 'CONFIRMED'}",
            f"SEQUENCE:{m.version}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
