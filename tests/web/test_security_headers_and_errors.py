from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings


def test_strict_content_security_policy_with_nonce(client_for) -> None:
    response = client_for("analyst").get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp
    nonce = re.search(r"'nonce-([^']+)'", csp)
    assert nonce is not None
    # Every inline script carries the nonce.
    html = response.content.decode()
    scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert scripts
    assert all(f'nonce="{nonce.group(1)}"' in attrs for attrs in scripts)
    assert "style=" not in html


def test_personal_pages_are_not_cached(client_for) -> None:
    response = client_for("analyst").get("/")
    assert response["Cache-Control"] == "no-store"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_404_page_is_friendly_and_leaks_nothing(client_for) -> None:
    response = client_for("analyst").get("/no-such-page/Jane-Smith-1990-01-01/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in html
    assert "Jane-Smith" not in html
    assert "Traceback" not in html


@override_settings(DEBUG=False)
def test_500_page_shows_no_details(db: None) -> None:
    from django.urls import path

    from openiom import urls as root

    def boom(request):
        raise RuntimeError("secret detail: Jane Smith 1990-01-01")

    with override_settings(
        ROOT_URLCONF=type(
            "U", (), {"urlpatterns": [path("boom/", boom), *root.urlpatterns], "handler500": root.handler500}
        )
    ):
        client = Client(raise_request_exception=False)
        response = client.get("/boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in html
    assert "Jane Smith" not in html
    assert "RuntimeError" not in html


def test_health_check_answers_without_sign_in(db: None) -> None:
    response = Client().get("/health")
    assert response.json() == {"status": "ok"}


@pytest.mark.parametrize("path", ["/accessibility/", "/privacy/"])
def test_public_information_pages(db: None, path: str) -> None:
    assert Client().get(path).status_code == 200
