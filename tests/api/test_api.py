from __future__ import annotations

from django.core.management import call_command
from django.test import Client

from openiom.accounts.models import ApiToken
from openiom.accounts.services import create_api_token, revoke_api_token


def _get(path: str, token: str | None = None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return Client().get(path, headers=headers)


def test_token_create_command_prints_a_working_token(partnership, capsys) -> None:
    call_command("token", "create", "analyst@openiom.test", "--name", "test")
    raw = capsys.readouterr().out.strip()
    assert raw.startswith("oiom_")
    stored = ApiToken.objects.get(user=partnership["analyst"])
    assert raw not in (stored.token_hash, stored.prefix)  # only a hash is kept
    me = _get("/api/v1/me", raw)
    assert me.status_code == 200
    body = me.json()
    assert body["email"] == "analyst@openiom.test"
    assert body["agency"]["code"] == "csp"
    assert body["roles"] == [{"code": "analyst", "name": "Analyst"}]
    assert "cohort_run" in body["capabilities"]


def test_no_token_bad_token_and_revoked_token_are_refused(partnership) -> None:
    token, raw = create_api_token(user=partnership["analyst"], name="t")
    assert _get("/api/v1/me").status_code == 401
    assert _get("/api/v1/me", "oiom_not-a-real-token").json() == {"message": "A valid API token is required"}
    revoke_api_token(token=token)
    assert _get("/api/v1/me", raw).status_code == 401


def test_token_of_a_closed_account_stops_working(partnership) -> None:
    user = partnership["analyst"]
    _token, raw = create_api_token(user=user, name="t")
    user.is_active = False
    user.save()
    assert _get("/api/v1/me", raw).status_code == 401


def test_agencies_list(partnership) -> None:
    _token, raw = create_api_token(user=partnership["strategic_member"], name="t")
    body = _get("/api/v1/agencies", raw).json()
    assert len(body) == 11
    assert {"code": "police", "name": "Riverside Police", "agency_type": "police"}.items() <= body[7].items() or any(
        a["code"] == "police" and a["agency_type"] == "police" for a in body
    )


def test_openapi_document_is_published(db: None) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "OpenIOM API"
    assert "/api/v1/me" in schema["paths"]
    assert "/api/v1/agencies" in schema["paths"]


def test_unknown_api_path_is_json_404(partnership) -> None:
    _token, raw = create_api_token(user=partnership["analyst"], name="t")
    response = _get("/api/v1/nothing-here", raw)
    assert response.status_code == 404


def test_account_page_creates_and_revokes_tokens(client_for, partnership) -> None:
    client = client_for("police_officer")
    page = client.post("/account/", {"name": "Records system export", "scopes": ["read"]})
    raw = page.context["new_token"]
    assert raw.startswith("oiom_")
    assert _get("/api/v1/me", raw).status_code == 200
    token = ApiToken.objects.get(user=partnership["police_officer"])
    client.post(f"/account/tokens/{token.pk}/revoke/")
    assert _get("/api/v1/me", raw).status_code == 401
    # Nobody can revoke someone else's token.
    other_token, _ = create_api_token(user=partnership["analyst"], name="x")
    assert client.post(f"/account/tokens/{other_token.pk}/revoke/").status_code == 404
