from __future__ import annotations

from django.core.management import call_command

from openiom.accounts.models import Role
from openiom.accounts.roles import SYSTEM_ROLES
from openiom.accounts.services import reconcile_roles


def test_reconcile_is_idempotent_and_repairs_drift(db: None) -> None:
    Role.objects.all().delete()
    first = reconcile_roles()
    assert len(first.created) == len(SYSTEM_ROLES) == 9
    second = reconcile_roles()
    assert second.created == second.updated == []
    analyst = Role.objects.get(code="analyst")
    analyst.capabilities = ["administer"]
    analyst.save()
    third = reconcile_roles()
    assert third.updated == ["analyst"]
    analyst.refresh_from_db()
    assert "administer" not in analyst.capabilities


def test_sync_roles_command_prints_a_summary(db: None, capsys) -> None:
    Role.objects.all().delete()
    call_command("sync_roles")
    assert "9 created, 0 updated, 0 unchanged" in capsys.readouterr().out


def test_custom_roles_survive_reconciliation(db: None) -> None:
    reconcile_roles()
    Role.objects.create(code="local", name="Local role", capabilities=["cases_view"])
    reconcile_roles()
    assert Role.objects.filter(code="local").exists()


def test_strategic_members_see_aggregates_only(partnership) -> None:
    strategic = partnership["strategic_member"]
    assert strategic.capabilities() == frozenset({"reports_view"})
