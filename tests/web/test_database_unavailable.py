"""The database going away: a clean 'service unavailable' page, and recovery when it returns.

The PostgreSQL test runs the site as production does — gunicorn, its own worker processes and
persistent connections with health checks — with a TCP proxy between it and the database,
which the test cuts and restores.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import Client

from openiom.testing.tcpproxy import TcpProxy

UNAVAILABLE = "Sorry, the service is unavailable"


def test_a_database_error_mid_request_gives_a_clean_503_page(client_for) -> None:
    """The session and the user load; the database then fails on the caseload's own query."""
    from django.db.backends.utils import CursorWrapper

    real_execute = CursorWrapper.execute
    failed: list[str] = []

    def execute(self, sql, params=None):  # type: ignore[no-untyped-def]
        if "cases_case" in sql:
            failed.append(sql)
            raise OperationalError("server closed the connection unexpectedly (Jordan Quill)")
        return real_execute(self, sql, params)

    client = client_for("iom_coordinator")
    client.raise_request_exception = False
    with mock.patch.object(CursorWrapper, "execute", execute):
        response = client.get("/cases/")
    html = response.content.decode()
    assert failed  # it did fail part way through the page
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert UNAVAILABLE in html
    assert "Anything you had already saved has not been lost" in html
    for leak in ("Traceback", "OperationalError", "Jordan", "server closed"):
        assert leak not in html


def test_a_database_error_in_the_session_middleware_gives_the_503_page_too(client_for) -> None:
    client = client_for("iom_coordinator")
    client.raise_request_exception = False
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.load", side_effect=OperationalError("gone")):
        response = client.get("/cases/")
    assert response.status_code == 503
    assert UNAVAILABLE in response.content.decode()


def test_other_errors_still_give_the_500_page(client_for) -> None:
    client = client_for("iom_coordinator")
    client.raise_request_exception = False
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.load", side_effect=ValueError("boom")):
        response = client.get("/cases/")
    assert response.status_code == 500
    assert UNAVAILABLE not in response.content.decode()


def test_the_health_check_says_503_while_the_database_does_not_answer(db: None) -> None:
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("gone")):
        response = Client().get("/health")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "not answering"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, cookie: str = "") -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310 (loopback)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 (loopback only)
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def gunicorn_behind_proxy(transactional_db: None) -> Iterator[tuple[str, TcpProxy]]:
    if connection.vendor != "postgresql":
        pytest.skip("the database going away is tested on PostgreSQL, as in production")
    db = connection.settings_dict
    proxy = TcpProxy(db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432))
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@127.0.0.1:{proxy.port}/{db['NAME']}",
        "OPENIOM_TASKS_BACKEND": "database",
        "PYTHONUNBUFFERED": "1",
    }
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    server = subprocess.Popen(  # noqa: S603
        [gunicorn, "openiom.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "60"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _get(f"{base}/health")[0] == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None, "gunicorn did not start"
            assert time.monotonic() < deadline, "gunicorn did not answer within a minute"
            time.sleep(0.2)
        yield base, proxy
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=30)
        proxy.close()
        # The server log names no one, even while the database was away.
        assert "Jordan" not in errors.decode()


def test_the_site_says_unavailable_while_the_database_is_away_and_recovers(
    gunicorn_behind_proxy: tuple[str, TcpProxy], partnership
) -> None:
    base, proxy = gunicorn_behind_proxy
    client = Client()
    client.force_login(partnership["iom_coordinator"])  # a session in the (committed) test database
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    status, html = _get(f"{base}/cases/", cookie)
    assert status == 200, html[:500]
    assert "Sign in" not in html

    proxy.cut()  # the database goes away; the worker's open connection is broken
    for _ in range(3):
        status, html = _get(f"{base}/cases/", cookie)
        assert status == 503
        assert UNAVAILABLE in html
        assert "Traceback" not in html
    assert _get(f"{base}/health")[0] == 503

    proxy.restore()  # it comes back: the next request reconnects, with no restart
    status, html = _get(f"{base}/cases/", cookie)
    assert status == 200, html[:500]
    assert _get(f"{base}/health") == (200, '{"status": "ok"}')
