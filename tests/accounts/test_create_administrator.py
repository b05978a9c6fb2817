"""`openiom create_administrator`: the first administrator of a new installation."""

from __future__ import annotations

import io

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command

from openiom.accounts.constants import Capability
from openiom.accounts.models import Agency, User

GOOD = "correct horse battery staple 2026"


def _create(*args: str, password: str = GOOD) -> str:
    out = io.StringIO()
    import sys

    stdin, sys.stdin = sys.stdin, io.StringIO(password + "\n")
    try:
        call_command("create_administrator", *args, "--password-stdin", stdout=out)
    finally:
        sys.stdin = stdin
    return out.getvalue()


@pytest.mark.django_db
def test_creates_the_agency_and_an_administrator_who_can_sign_in() -> None:
    out = _create("Ada@Example.org", "--name", "Ada Lovelace", "--agency-code", "csp2", "--agency-name", "Borough CSP")
    assert "Administrator ada@example.org created (Borough CSP)." in out
    user = User.objects.get(email="ada@example.org")
    assert user.agency == Agency.objects.get(code="csp2")
    assert [r.code for r in user.roles.all()] == ["administrator"]
    assert user.check_password(GOOD)
    assert user.has_capability(Capability.ADMINISTER)
    assert LogEntry.objects.get_for_object(user).filter(action=LogEntry.Action.CREATE).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (["a@example.org", "--name", "A", "--agency-code", "nope"], GOOD, "give its name with --agency-name"),
        (["a@example.org", "--name", "A", "--agency-code", "Bad Code!", "--agency-name", "X"], GOOD, "--agency-code"),
        (["a@example.org", "--name", "A", "--agency-code", "csp3", "--agency-name", "X"], "short", "was refused"),
    ],
)
def test_refusals_are_specific_and_create_nothing(args: list[str], password: str, message: str) -> None:
    before = (User.objects.count(), Agency.objects.count())
    with pytest.raises(CommandError, match=message):
        _create(*args, password=password)
    assert (User.objects.count(), Agency.objects.count()) == before


def test_an_existing_address_is_refused(partnership) -> None:
    email = partnership["analyst"].email
    with pytest.raises(CommandError, match="already exists"):
        _create(email, "--name", "X", "--agency-code", "csp")
