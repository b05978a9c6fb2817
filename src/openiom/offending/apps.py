from django.apps import AppConfig


class OffendingConfig(AppConfig):
    name = "openiom.offending"
    label = "offending"
    verbose_name = "Offending histories, custody and flags"

    def ready(self) -> None:
        from openiom.audit.registry import register_personal_data

        from .models import CustodyPeriod, Flag, Offence

        for model in (Offence, CustodyPeriod, Flag):
            register_personal_data(model, exclude_fields=["delivery"])
