"""The subject access export: everything held on one person, its source, and who has read it.

One structure (`build_export`) feeds both the readable PDF and the machine-readable JSON, so the
two always agree. Victims are third parties: their records are withheld and counted. The export
is itself logged as a read of the person with the purpose "subject access request".
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from openiom.accounts.constants import Capability
from openiom.cases.models import PathwayNeed, Victim
from openiom.cohort.models import ScoredPerson
from openiom.panels.models import AgendaItem, Decision
from openiom.people.models import Person
from openiom.web.pdf import render_pdf

from .constants import Purpose
from .services import record_access
from .subject import held_on

WITHHELD = {Victim: "victims"}  # third parties: counted, never shown
SKIPPED_FIELDS = {"id", "version"}
AGENCY_FIELDS = ("source", "agency", "lead_agency", "owner_agency")
USER_FIELDS = ("by", "added_by", "created_by", "referred_by", "decided_by", "imported_by")


class SubjectAccessRefused(Exception):
    pass


@dataclass
class Seen:
    when: str
    user: str
    agency: str
    purpose: str


@dataclass
class Item:
    record_type: str
    id: int
    title: str
    source: str
    fields: dict[str, str]
    labels: dict[str, str]
    seen_by: list[Seen] = field(default_factory=list)

    def rows(self) -> list[tuple[str, str]]:
        """(label, value) for the fields that have a value, for the PDF."""
        return [(self.labels[k], v) for k, v in self.fields.items() if v]


@dataclass
class Section:
    title: str
    items: list[Item]


@dataclass
class SubjectAccessExport:
    person_id: int
    person_name: str
    generated_at: str
    generated_by: str
    reference: str
    sections: list[Section]
    withheld: dict[str, int]

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        for section in data["sections"]:
            for item in section["items"]:
                item.pop("labels")
        data["format"] = "openiom-subject-access/1"
        return data


def _display(obj: models.Model, f: models.Field[Any, Any]) -> str:
    if f.is_relation:
        related = getattr(obj, f.name)
        return "" if related is None else str(related)
    value = getattr(obj, f.attname)
    if f.choices and value not in (None, ""):
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, default=str)
    return "" if value is None else str(value)


def _source(obj: models.Model) -> str:
    names = {f.name for f in obj._meta.concrete_fields}
    for name in AGENCY_FIELDS:
        if name in names and getattr(obj, name) is not None:
            return str(getattr(obj, name))
    if isinstance(obj, PathwayNeed):
        return str(obj.assessment.agency)
    if isinstance(obj, (AgendaItem, Decision)):
        meeting = obj.meeting if isinstance(obj, AgendaItem) else obj.item.meeting
        return str(meeting.panel.name)
    if isinstance(obj, ScoredPerson):
        return f"Cohort selection run {obj.run_id}"
    if isinstance(obj, Person):
        return "OpenIOM: the best of the agencies' records"
    for name in USER_FIELDS:
        if name in names and getattr(obj, name) is not None:
            user = getattr(obj, name)
            return f"{user.agency} (recorded by {user})"
    return "OpenIOM"


def _reads(model: type[models.Model], ids: list[int]) -> dict[int, list[Seen]]:
    ct = ContentType.objects.get_for_model(model)
    reads: dict[int, list[Seen]] = defaultdict(list)
    entries = LogEntry.objects.filter(content_type=ct, object_id__in=ids, action=LogEntry.Action.ACCESS)
    for e in entries.select_related("actor__agency").order_by("timestamp", "pk"):
        purpose = (e.additional_data or {}).get("purpose", "")
        reads[int(e.object_id or 0)].append(
            Seen(
                when=timezone.localtime(e.timestamp).strftime("%Y-%m-%d %H:%M"),
                user=str(e.actor) if e.actor else "System",
                agency=str(e.actor.agency) if e.actor else "",
                purpose=str(Purpose(purpose).label) if purpose in Purpose.values else purpose,
            )
        )
    return reads


def build_export(person: Person, *, by: Any, reference: str = "") -> SubjectAccessExport:
    sections: list[Section] = []
    withheld: dict[str, int] = {}
    for held in held_on(person):
        model = held.model
        objs = list(held.queryset.order_by("pk"))
        if model in WITHHELD:
            withheld[WITHHELD[model]] = len(objs)
            continue
        if not objs:
            continue
        shown = [
            f
            for f in model._meta.concrete_fields
            if f.name not in SKIPPED_FIELDS and f.name != held.parent and f.related_model is not Person
        ]
        reads = _reads(model, [o.pk for o in objs])
        items = [
            Item(
                record_type=model._meta.label,
                id=o.pk,
                title=str(o),
                source=_source(o),
                fields={f.name: _display(o, f) for f in shown},
                labels={f.name: str(f.verbose_name).capitalize() for f in shown},
                seen_by=reads.get(o.pk, []),
            )
            for o in objs
        ]
        sections.append(Section(held.title, items))
    return SubjectAccessExport(
        person_id=person.pk,
        person_name=str(person),
        generated_at=timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        generated_by=f"{by} ({by.agency})",
        reference=reference,
        sections=sections,
        withheld=withheld,
    )


FORMATS = {"pdf": "application/pdf", "json": "application/json"}


def subject_access_export(
    *, person: Person, by: Any, fmt: str, reference: str = "", remote_addr: str | None = None
) -> tuple[bytes, str, str]:
    """The export as (content, file name, content type). Administrators only; the export is audited."""
    if not (getattr(by, "is_authenticated", False) and by.has_capability(Capability.ADMINISTER)):
        raise SubjectAccessRefused("Only an administrator can export a subject access request")
    if fmt not in FORMATS:
        raise SubjectAccessRefused("Choose PDF or JSON")
    export = build_export(person, by=by, reference=reference)
    record_access(
        user=by,
        obj=person,
        purpose=Purpose.SUBJECT_ACCESS,
        remote_addr=remote_addr,
        details={"export": fmt, "reference": reference[:40]},
    )
    stamp = timezone.localdate().isoformat()
    name = f"subject-access-{person.pk}-{stamp}.{fmt}"
    if fmt == "json":
        content = json.dumps(export.as_json(), indent=2, ensure_ascii=False).encode("utf-8")
    else:
        content = render_pdf(
            "audit/subject_access_pdf.html",
            {
                "document_title": f"Subject access: person {person.pk}",
                "generated_at": timezone.now(),
                "export": export,
                "total": sum(len(s.items) for s in export.sections),
            },
        )
    return content, name, FORMATS[fmt]
