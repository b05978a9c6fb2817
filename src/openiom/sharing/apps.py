from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SharingConfig(AppConfig):
    name = "openiom.sharing"
    label = "sharing"
    verbose_name = "Information sharing"

    def ready(self) -> None:
        from openiom.audit.registry import register_personal_data

        from .models import Consent, SharingRule

        register_personal_data(SharingRule, exclude_fields=["version"], personal=False)
        register_personal_data(Consent, exclude_fields=["version"])
        post_migrate.connect(_reseed_an_empty_matrix, sender=self)


def _reseed_an_empty_matrix(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """After `flush` (which empties what migration 0002 seeded) put the default matrix back.

    An empty matrix denies every special category to everyone; a flushed database is a fresh
    one, so it gets the same defaults a migrated one has. A matrix with any row is left alone.
    """
    from .defaults import seed_defaults

    seed_defaults(using=using, only_if_empty=True)
