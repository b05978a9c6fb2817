"""Creating and revoking an API token is written once to the audit trail (owner, agency, the system
it is for, scopes) and e-mailed to the token's owner (ASVS 2.2.3, 7.1.3), wherever it happens."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from openiom.accounts.models import ApiToken
from openiom.accounts.services import create_api_token, revoke_api_token, update_user


def _entries(token: ApiToken) -> list[LogEntry]:
    ct = ContentType.objects.get_for_model(ApiToken)
    return list(LogEntry.objects.filter(content_type=ct, object_pk=str(token.pk)).order_by("pk"))


def test_the_account_page_audits_and_emails_creation_and_revocation(client_for, partnership, mailoutbox) -> None:
    officer = partnership["police_officer"]
    client = client_for("police_officer")
    page = client.post("/account/", {"name": "Police records nightly export", "scopes": ["read", "ingest"]})
    raw = page.context["new_token"]
    token = ApiToken.objects.get(user=officer)

    [created] = _entries(token)
    assert created.action == LogEntry.Action.CREATE
    assert created.actor == officer
    data = created.additional_data
    assert data["event"] == "api_token_created"
    assert (data["owner"], data["owner_id"]) == (officer.email, officer.pk)
    assert data["agency"] == officer.agency.code
    assert data["system"] == "Police records nightly export"
    assert data["scopes"] == ["ingest", "read"]
    assert data["via"] == "account page"
    assert raw not in str(created.changes)
    assert token.token_hash not in str(created.changes)

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [officer.email]
    assert mailoutbox[0].subject == "OpenIOM: an API token was created for your account"
    assert "Police records nightly export" in mailoutbox[0].body
    assert "read, ingest" in mailoutbox[0].body
    assert raw not in mailoutbox[0].body

    client.post(f"/account/tokens/{token.pk}/revoke/")
    created_again, revoked = _entries(token)
    assert created_again == created
    assert revoked.action == LogEntry.Action.UPDATE
    assert revoked.actor == officer
    assert revoked.additional_data["event"] == "api_token_revoked"
    assert revoked.additional_data["system"] == "Police records nightly export"
    assert revoked.additional_data["scopes"] == ["ingest", "read"]
    assert "revoked_at" in revoked.changes_dict
    assert len(mailoutbox) == 2
    assert mailoutbox[1].to == [officer.email]
    assert mailoutbox[1].subject == "OpenIOM: an API token of your account was revoked"


def test_the_command_audits_and_emails_too(partnership, mailoutbox, capsys) -> None:
    analyst = partnership["analyst"]
    call_command("token", "create", analyst.email, "--name", "Analysis notebook", "--scope", "read")
    token = ApiToken.objects.get(user=analyst)
    [created] = _entries(token)
    assert created.actor is None  # from the server's shell, not a signed-in user
    assert created.additional_data["via"] == "openiom token command"
    assert created.additional_data["system"] == "Analysis notebook"
    assert created.additional_data["scopes"] == ["read"]

    call_command("token", "revoke", str(token.pk))
    assert "its owner has been e-mailed" in capsys.readouterr().out
    assert [e.additional_data["event"] for e in _entries(token)] == ["api_token_created", "api_token_revoked"]
    assert [m.subject for m in mailoutbox] == [
        "OpenIOM: an API token was created for your account",
        "OpenIOM: an API token of your account was revoked",
    ]
    call_command("token", "revoke", str(token.pk))  # again: nothing changes, nothing more is written or sent
    assert "already revoked" in capsys.readouterr().out
    assert len(_entries(token)) == 2
    assert len(mailoutbox) == 2


def test_closing_an_account_audits_each_revocation_without_mailing_the_closed_account(partnership, mailoutbox) -> None:
    analyst = partnership["analyst"]
    tokens = [create_api_token(user=analyst, name=f"system {i}", scopes=["read"])[0] for i in range(2)]
    mailoutbox.clear()
    update_user(
        user=analyst,
        full_name=analyst.full_name,
        job_title=analyst.job_title,
        agency=analyst.agency,
        roles=list(analyst.roles.all()),
        is_active=False,
    )
    for token in tokens:
        events = [(e.additional_data["event"], e.additional_data.get("via")) for e in _entries(token)]
        assert events == [("api_token_created", None), ("api_token_revoked", "account closed")]
    assert mailoutbox == []


def test_a_revoked_token_is_revoked_once(partnership, mailoutbox) -> None:
    token, _raw = create_api_token(user=partnership["analyst"], name="t", scopes=["read"])
    first = revoke_api_token(token=token).revoked_at
    assert revoke_api_token(token=token).revoked_at == first
    assert len(_entries(token)) == 2
    assert len(mailoutbox) == 2
