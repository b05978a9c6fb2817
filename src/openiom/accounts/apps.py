from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "openiom.accounts"
    label = "accounts"
    verbose_name = "Partnership, users and roles"

    def ready(self) -> None:
        from openiom.audit.registry import register_personal_data

        from .models import Agency, ApiToken, Role, User

        register_personal_data(User, exclude_fields=["password", "last_login"])
        register_personal_data(Agency, personal=False)
        register_personal_data(Role, personal=False)
        register_personal_data(ApiToken, exclude_fields=["token_hash", "last_used_at"], personal=False)
