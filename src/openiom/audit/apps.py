from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "openiom.audit"
    label = "audit"
    verbose_name = "Audit trail"
