"""The production set-up of docs/deployment.md, run for real: production settings, collected and
compressed static files served by whitenoise, gunicorn through `openiom serve`, PostgreSQL, and
the task worker (`openiom worker`) carrying out a queued job.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from openiom.jobs.constants import JobStatus
from openiom.jobs.models import Job

OPENIOM = str(Path(sys.executable).with_name("openiom"))
START_A_JOB = (
    "from openiom.accounts.models import User; from openiom.jobs.services import start_job; "
    "print(start_job(owner=User.objects.get(email='{email}'), kind='case_reminders', title='Reminders').pk)"
)


def _request(port: int, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    conn.close()
    return response


@pytest.fixture
def production_env(transactional_db: None, tmp_path: Path) -> dict[str, str]:
    if connection.vendor != "postgresql":
        pytest.skip("production runs on PostgreSQL")
    db = connection.settings_dict
    return {
        **os.environ,
        "OPENIOM_PRODUCTION": "true",
        "OPENIOM_SECRET_KEY": secrets.token_urlsafe(64),
        "OPENIOM_ALLOWED_HOSTS": "127.0.0.1",
        "OPENIOM_BEHIND_TLS_PROXY": "true",
        "OPENIOM_STATIC_ROOT": str(tmp_path / "static"),
        "OPENIOM_TASKS_BACKEND": "database",
        "OPENIOM_CACHE": "database",
        "OPENIOM_WORKERS": "2",
        "DATABASE_URL": "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**db),
    }


def test_production_server_static_files_and_worker(production_env: dict[str, str], partnership) -> None:
    env = production_env
    run = {"env": env, "capture_output": True, "text": True, "timeout": 300, "check": False}
    collected = subprocess.run([OPENIOM, "collectstatic", "--noinput", "-v0"], **run)  # noqa: S603
    assert collected.returncode == 0, collected.stderr
    assert subprocess.run([OPENIOM, "createcachetable"], **run).returncode == 0  # noqa: S603
    check = subprocess.run([OPENIOM, "check", "--deploy", "--fail-level", "WARNING"], **run)  # noqa: S603
    assert check.returncode == 0, check.stdout + check.stderr

    with socket_port() as port:
        server = subprocess.Popen(  # noqa: S603
            [OPENIOM, "serve", "--bind", f"127.0.0.1:{port}"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
    try:
        _wait_for(port, server)
        https = {"X-Forwarded-Proto": "https"}
        # Plain HTTP is sent to HTTPS.
        plain = _request(port, "/accessibility/")
        assert plain.status == 301
        assert plain.headers["Location"] == f"https://127.0.0.1:{port}/accessibility/"
        # A page, with the production headers.
        page = _request(port, "/accessibility/", https)
        assert page.status == 200
        assert page.headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains; preload"
        assert "default-src 'self'" in page.headers["Content-Security-Policy"]
        assert page.headers["X-Frame-Options"] == "DENY"
        # Static files by their hashed names, compressed, cached for ever.
        html = page.body.decode()  # type: ignore[attr-defined]
        css = re.search(r'href="(/static/build/openiom\.[0-9a-f]{12}\.css)"', html)
        assert css, "the stylesheet is not served by its hashed name"
        static = _request(port, css.group(1), {**https, "Accept-Encoding": "gzip"})
        assert static.status == 200
        assert static.headers["Content-Encoding"] == "gzip"
        assert "immutable" in static.headers["Cache-Control"]
        unhashed = _request(port, "/static/build/openiom.css", https)  # may change: cached briefly only
        assert "immutable" not in unhashed.headers["Cache-Control"]
        # Signing in is required, and errors never show Django's debug page.
        assert _request(port, "/cases/", https).status == 302
        missing = _request(port, "/no-such-page/", https)
        assert missing.status == 404
        assert b"Traceback" not in missing.body  # type: ignore[attr-defined]
        assert _request(port, "/health", https).status == 200
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0].decode()
    assert "Booting worker" in output  # gunicorn, not the development server
    assert output.count("Booting worker") == 2  # OPENIOM_WORKERS

    # The worker carries out a queued job, after recovering any interrupted ones.
    email = partnership["iom_coordinator"].email
    started = subprocess.run([OPENIOM, "shell", "-c", START_A_JOB.format(email=email)], **run)  # noqa: S603
    assert started.returncode == 0, started.stderr
    job = Job.objects.get(pk=started.stdout.strip().splitlines()[-1])
    assert job.status == JobStatus.QUEUED
    worker = subprocess.run([OPENIOM, "worker", "--batch", "--no-startup-delay"], **run)  # noqa: S603
    assert worker.returncode == 0, worker.stderr
    assert "0 interrupted job(s) recovered" in worker.stdout
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED


class socket_port:
    """A free loopback port (released before the server binds it)."""

    def __enter__(self) -> int:
        import socket

        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        return int(self._sock.getsockname()[1])

    def __exit__(self, *exc: object) -> None:
        self._sock.close()


def _wait_for(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server stopped"
        try:
            if _request(port, "/health", {"X-Forwarded-Proto": "https"}).status == 200:
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail("the server did not answer within four minutes")
