from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "openiom.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (seals every audit entry into the hash chain)
