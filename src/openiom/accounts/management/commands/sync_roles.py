from typing import Any

from django.core.management.base import BaseCommand

from openiom.accounts.services import reconcile_roles


class Command(BaseCommand):
    help = "Create or update the system roles (the personas) so they match OpenIOM's definitions. Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        summary = reconcile_roles()
        self.stdout.write(
            f"Roles: {len(summary.created)} created, {len(summary.updated)} updated, {len(summary.unchanged)} unchanged"
        )
