from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "openiom.panels"
    label = "panels"
    verbose_name = "Multi-agency panels"

    def ready(self) -> None:
        from openiom.audit.registry import register_personal_data

        from .models import ActionPoint, AgendaItem, Decision, Meeting, Panel, PanelMember, Referral

        register_personal_data(Referral, exclude_fields=["version"])
        register_personal_data(Decision)
        register_personal_data(ActionPoint, exclude_fields=["version"])
        register_personal_data(AgendaItem)
        register_personal_data(Meeting, personal=False, exclude_fields=["version"])
        # Terms of reference and membership: who changed what, in the change history.
        register_personal_data(Panel, personal=False)
        register_personal_data(PanelMember, personal=False)
