from typing import Any

from django.core.management.base import BaseCommand, CommandError

from openiom.audit.chain import verify_chain


class Command(BaseCommand):
    help = (
        "Check the audit log's hash chain from the first entry to the last. Prints the number of entries "
        "checked and the hash at the end of the chain (keep it somewhere else to detect a rewritten chain); "
        "exits 1 and names the first broken entry if an entry was changed, deleted or added around the seal."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"Audit chain broken at entry {report.broken_entry_id}: {report.problem} "
                f"({report.checked} entries before it are intact)",
                returncode=1,
            )
        self.stdout.write(f"Audit chain intact: {report.checked} entries checked; head {report.head_hash}")
