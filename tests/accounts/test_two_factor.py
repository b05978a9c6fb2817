from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from openiom.demo import DEMO_PASSWORD

EMAIL = "police.officer@openiom.test"


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _sign_in(client: Client) -> None:
    response = client.post("/sign-in/", {"username": EMAIL, "password": DEMO_PASSWORD})
    assert response.status_code == 302


@pytest.fixture
def require_2fa(settings):
    settings.REQUIRE_TWO_FACTOR = True


def test_two_factor_required_sends_unenrolled_user_to_setup(partnership, require_2fa) -> None:
    client = Client()
    _sign_in(client)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/two-factor/setup/")
    # No page with data is reachable before enrolment, including the API-less pages.
    assert client.get("/sections/cases/").status_code == 302


def test_enrolment_with_a_valid_code_then_access(partnership, require_2fa) -> None:
    client = Client()
    _sign_in(client)
    page = client.get("/account/two-factor/setup/")
    assert page.status_code == 200
    assert "<svg" in page.content.decode()  # the QR code
    device = TOTPDevice.objects.get(user=partnership["police_officer"], confirmed=False)

    wrong = client.post("/account/two-factor/setup/", {"code": "000000" if _code(device) != "000000" else "111111"})
    assert "The code is not correct" in wrong.content.decode()

    with time_machine.travel(timezone.now() + timedelta(seconds=5)):  # past the throttle a wrong code sets
        done = client.post("/account/two-factor/setup/", {"code": _code(device)})
    assert done.status_code == 200
    assert "backup codes" in done.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert StaticDevice.objects.get(user=partnership["police_officer"]).token_set.count() == 10
    assert client.get("/").status_code == 200


def test_enrolled_user_must_enter_code_after_password(partnership) -> None:
    # Even when 2FA is optional (the demo), a user who enrolled is always asked for a code.
    device = TOTPDevice.objects.create(user=partnership["police_officer"], name="app", confirmed=True)
    client = Client()
    _sign_in(client)
    response = client.get("/")
    assert response["Location"].startswith("/account/two-factor/verify/")
    bad = client.post("/account/two-factor/verify/", {"code": "12345", "next": "/"})
    assert "The code is not correct" in bad.content.decode()
    # A wrong code throttles the device for a moment: the right code is refused until then.
    assert client.post("/account/two-factor/verify/", {"code": _code(device), "next": "/"}).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        good = client.post("/account/two-factor/verify/", {"code": _code(device), "next": "/"})
    assert good.status_code == 302
    assert client.get("/").status_code == 200


def test_verify_refuses_open_redirects(partnership) -> None:
    device = TOTPDevice.objects.create(user=partnership["police_officer"], name="app", confirmed=True)
    client = Client()
    _sign_in(client)
    response = client.post("/account/two-factor/verify/", {"code": _code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_two_factor_optional_in_demo_mode(partnership) -> None:
    client = Client()
    _sign_in(client)
    assert client.get("/").status_code == 200


def test_administrator_can_reset_a_users_two_factor(partnership, client_for) -> None:
    officer = partnership["police_officer"]
    TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    response = client_for("administrator").post(f"/administration/users/{officer.pk}/reset-two-factor/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()
