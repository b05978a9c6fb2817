"""API tokens: scoped (read, write, ingest), limited by the user's role too, revocable."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from openiom.accounts.models import ApiToken
from openiom.accounts.services import create_api_token, revoke_api_token


def _call(method: str, path: str, token: str, **kwargs):
    return getattr(Client(), method)(path, headers={"Authorization": f"Bearer {token}"}, **kwargs)


# (scopes, method, path, expected status): the scope check comes before the body is read.
SCOPE_MATRIX = [
    (["read"], "get", "/api/v1/me", 200),
    (["read"], "post", "/api/v1/people/search", 422),  # a search only reads: allowed, then validated
    (["read"], "post", "/api/v1/referrals", 403),
    (["read"], "patch", "/api/v1/cases/1", 403),
    (["read"], "post", "/api/v1/deliveries", 403),
    (["write"], "get", "/api/v1/me", 403),
    (["write"], "post", "/api/v1/deliveries", 403),
    (["ingest"], "get", "/api/v1/me", 403),
    (["ingest"], "post", "/api/v1/referrals", 403),
    (["read", "write"], "post", "/api/v1/referrals", 422),
]


@pytest.mark.parametrize(("scopes", "method", "path", "expected"), SCOPE_MATRIX)
def test_a_token_can_only_do_what_its_scope_allows(partnership, scopes, method, path, expected) -> None:
    _t, raw = create_api_token(user=partnership["iom_coordinator"], name="records system", scopes=scopes)
    body = {} if method == "get" else {"data": "{}", "content_type": "application/json"}
    response = _call(method, path, raw, **body)
    assert response.status_code == expected, response.content
    if expected == 403:
        assert "scope" in response.json()["message"]


def test_an_ingest_token_may_send_a_delivery(partnership) -> None:
    _t, raw = create_api_token(user=partnership["iom_coordinator"], name="police feed", scopes=["ingest"])
    response = _call("post", "/api/v1/deliveries", raw)
    assert response.status_code != 403


def test_the_role_still_limits_a_token_with_every_scope(partnership) -> None:
    _t, raw = create_api_token(user=partnership["strategic_member"], name="t", scopes=["read", "write", "ingest"])
    assert _call("post", "/api/v1/deliveries", raw).status_code == 403
    assert _call("get", "/api/v1/cases", raw).status_code == 403
    assert "role" in _call("get", "/api/v1/cases", raw).json()["message"]


def test_a_revoked_token_gets_401(partnership) -> None:
    token, raw = create_api_token(user=partnership["iom_coordinator"], name="t", scopes=["read"])
    assert _call("get", "/api/v1/me", raw).status_code == 200
    revoke_api_token(token=token)
    response = _call("get", "/api/v1/me", raw)
    assert response.status_code == 401
    assert response.json() == {"message": "A valid API token is required"}


def test_unknown_or_no_scopes_are_refused(partnership) -> None:
    from django.core.exceptions import ValidationError

    for scopes in ([], ["admin"], ["read", "everything"]):
        with pytest.raises(ValidationError):
            create_api_token(user=partnership["analyst"], name="t", scopes=scopes)


def test_the_command_creates_read_only_tokens_unless_told_and_shows_the_scopes(partnership, capsys) -> None:
    call_command("token", "create", "analyst@openiom.test", "--name", "reader")
    out = capsys.readouterr()
    assert "scopes: read" in out.err
    assert ApiToken.objects.get(name="reader").scopes == ["read"]
    call_command("token", "create", "analyst@openiom.test", "--name", "feed", "--scope", "read", "--scope", "ingest")
    assert "scopes: read, ingest" in capsys.readouterr().err
    assert sorted(ApiToken.objects.get(name="feed").scopes) == ["ingest", "read"]
    call_command("token", "list", "analyst@openiom.test")
    assert "read, ingest\tfeed" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("token", "create", "analyst@openiom.test", "--scope", "admin")


def test_the_account_page_asks_for_scopes_and_shows_them(client_for, partnership) -> None:
    client = client_for("police_officer")
    form = client.get("/account/").content.decode()
    assert 'value="read"' in form
    assert 'value="ingest"' in form
    refused = client.post("/account/", {"name": "Export"})
    assert refused.context["new_token"] is None
    assert "Select what the token may do" in refused.content.decode()
    page = client.post("/account/", {"name": "Export", "scopes": ["read", "write"]})
    assert page.context["new_token"].startswith("oiom_")
    assert "It may: read, write." in page.content.decode()
    assert ApiToken.objects.get(user=partnership["police_officer"]).scopes == ["read", "write"]
