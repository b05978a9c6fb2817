"""Seal every audit entry as it is written.

This receiver is infrastructure, not business logic: it keeps the audit log tamper-evident
whoever writes an entry (auditlog's own change history, `record_access`, the m2m log), which a
service function cannot guarantee because auditlog writes entries from its own signals.
"""

from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from django.db.models.signals import post_save
from django.dispatch import receiver

from .chain import defer_seal, seal_entry


@receiver(post_save, sender=LogEntry, dispatch_uid="openiom.audit.seal_new_entry")
def seal_new_entry(sender: type[LogEntry], instance: LogEntry, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if created and not raw and not defer_seal(instance.pk):
        seal_entry(instance.pk)
