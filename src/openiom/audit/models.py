"""The audit log's seals: a hash chain over every django-auditlog `LogEntry` (changes and reads).

Each entry gets one `AuditSeal` holding the hash of the entry's canonical content together with
the previous seal's hash. Changing, removing or inserting an entry afterwards breaks the chain,
and `openiom audit_verify` finds where. `AuditChainHead` is one row holding the last hash: it
serialises writers (row lock on PostgreSQL) and lets the check notice seals cut off the end.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

GENESIS_HASH = "0" * 64


class AuditSeal(models.Model):
    # Not a foreign key on purpose: deleting a log entry must leave its seal behind to be found.
    entry_id = models.BigIntegerField(unique=True, help_text="The LogEntry this seals.")
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, help_text="SHA-256 of the entry's canonical content and the previous hash.")
    sealed_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Seal of audit entry {self.entry_id}"


class AuditChainHead(models.Model):
    """The end of the chain (one row, pk 1). Locked by every writer while it adds a seal."""

    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    last_seal_id = models.BigIntegerField(null=True, blank=True)
    length = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"Audit chain of {self.length} entries"
