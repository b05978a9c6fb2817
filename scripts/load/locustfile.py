"""The load test: OpenIOM's people at work on a force-sized database, as a browser and an API client.

Run by `scripts/bench_load.sh` (which starts the server in production mode); by hand:

    OPENIOM_LOAD_LOGINS=var/load/logins-openiom_load.json .venv/bin/locust -f scripts/load/locustfile.py \
        --headless --host http://127.0.0.1:8765 -u 16 -r 1 -t 10m --max-requests 20000 --csv var/load/run

Personas (each locust user signs in once as its own real user, through the sign-in page and the
two-factor page with a TOTP code computed from the device the prepare script enrolled):
- caseworker: offender managers and police officers. My cases, a case and its tabs, the person,
  My actions, the case list, and recording a contact (a write).
- coordinator: person search by name and by identifier, a person, panels, meetings, referrals,
  cohort runs and their results, and one new cohort selection run, polled until it finishes.
- analyst: the report pages (outcomes, profile, targets, Deter Young Offenders).
- api: a records system reading the API with a read-only token (cases, a case, people search, a
  person and their offences).
- reference: the trivial page (the accessibility statement, signed in and verified, through every
  middleware, no data work) and /health, at a steady pace, for comparison.

The server is in production mode behind a (pretend) TLS proxy: every request says
`X-Forwarded-Proto: https`, so cookies are Secure and this client keeps and sends them itself (a
cookie jar will not send Secure cookies over plain http). Requests are named by page, not by
address, so ids do not split the statistics. Every request's time is also written, exactly, to
`<csv>_requests.csv` for the percentiles in the report.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import itertools
import json
import os
import random
import re
import struct
import time
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task
from locust.exception import StopUser

LOGINS = json.loads(Path(os.environ.get("OPENIOM_LOAD_LOGINS", "var/load/logins-openiom_load.json")).read_text())
TRIVIAL = "trivial: accessibility statement (signed in)"
SELECTION_RUNS_WANTED = int(os.environ.get("OPENIOM_LOAD_SELECTION_RUNS", "1"))
_pools = {persona: itertools.count() for persona in ("caseworker", "coordinator", "analyst", "api")}
_runs_started = itertools.count()
pick = random.Random()  # noqa: S311 (which page a simulated user opens next, not security)


# ---- two-factor codes (RFC 6238, as django_otp's TOTPDevice: SHA-1, 6 digits, 30 s steps) ----------------
def totp(key_hex: str, at: float | None = None, step: int = 30) -> tuple[str, int]:
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{number:06d}", counter


# A code is accepted once (django_otp refuses a time step at or before the last one used), so a user who
# signed in during the last run's final 30 seconds waits for the next step, as a person would.
STEPS_FILE = Path(os.environ.get("OPENIOM_LOAD_STEPS", "var/load/totp-steps.json"))
_steps: dict[str, int] = json.loads(STEPS_FILE.read_text()) if STEPS_FILE.exists() else {}


def fresh_code(login: dict[str, str]) -> tuple[str, int]:
    code, step = totp(login["totp_key"])
    while step <= _steps.get(login["email"], -1):
        time.sleep(30 - time.time() % 30 + 0.5)
        code, step = totp(login["totp_key"])
    return code, step


def used_step(login: dict[str, str], step: int) -> None:
    _steps[login["email"]] = step
    STEPS_FILE.write_text(json.dumps(_steps))


# ---- forms, as a browser sends them ---------------------------------------------------------------------
class _Forms(HTMLParser):
    """Each form's action and the fields a browser would submit with nothing changed."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "method": a.get("method", "get").lower(), "fields": []})
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    fields.append((name, a.get("value", "on")))
            elif kind not in ("submit", "button", "image", "file"):
                fields.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                fields.append((self._select, value))
                self._select_chosen = True
        elif tag == "textarea" and name:
            self._textarea = name
            fields.append((name, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None:
            if not self._select_chosen and self._select_first is not None:
                self.forms[-1]["fields"].append((self._select, self._select_first))
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None and self.forms:
            fields = self.forms[-1]["fields"]
            name, value = fields[-1]
            fields[-1] = (name, value + data)


def form_fields(html: str, has_field: str) -> list[tuple[str, str]]:
    """The fields of the first form on the page that has a field called `has_field`."""
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        if any(name == has_field for name, _ in form["fields"]):
            return list(form["fields"])
    raise ValueError(f"no form with a {has_field!r} field")


def with_values(fields: list[tuple[str, str]], **values: str) -> list[tuple[str, str]]:
    kept = [(k, v) for k, v in fields if k not in values]
    return kept + list(values.items())


def ids(html: str, pattern: str) -> list[str]:
    return sorted(set(re.findall(pattern, html)))


# ---- a signed-in browser --------------------------------------------------------------------------------
class Browser(HttpUser):
    abstract = True
    persona = ""
    wait_time = between(1, 3)

    def on_start(self) -> None:
        entries = LOGINS["logins"][self.persona]
        index = next(_pools[self.persona])
        if index >= len(entries):
            raise StopUser(f"only {len(entries)} {self.persona} logins: start fewer users")
        self.login = entries[index]
        self.cookies: dict[str, str] = {}
        self.client.cookies.clear()
        self.sign_in()

    # Requests: Secure cookies sent by hand, the proxy's header, CSRF's Origin and Referer on a POST.
    def _send(self, method: str, path: str, name: str, expect: int = 200, **kwargs: Any) -> Any:
        base = self.host.replace("http://", "https://", 1)
        headers = {"X-Forwarded-Proto": "https", **kwargs.pop("headers", {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers |= {"Origin": base, "Referer": base + path}
        with self.client.request(
            method, path, name=name, headers=headers, allow_redirects=False, catch_response=True, **kwargs
        ) as response:
            for cookie in response.cookies:
                self.cookies[cookie.name] = cookie.value or ""
            location = response.headers.get("Location", "")
            if response.status_code != expect:
                response.failure(f"{response.status_code} (wanted {expect}) {location}".strip())
            elif expect == 200 and "<h1" not in response.text:
                response.failure("no <h1> on the page")
            else:
                response.success()
            return response

    def page(self, path: str, name: str, **kwargs: Any) -> str:
        response = self._send("GET", path, name, **kwargs)
        return response.text if response.status_code == 200 else ""

    def submit(self, path: str, fields: list[tuple[str, str]], name: str, expect: int = 302) -> Any:
        return self._send("POST", path, name, expect=expect, data=fields)

    def sign_in(self) -> None:
        html = self.page("/sign-in/", "sign in: page")
        fields = with_values(form_fields(html, "username"), username=self.login["email"], password=LOGINS["password"])
        response = self.submit("/sign-in/", fields, "sign in: password")
        if response.status_code != 302 or "/sign-in/" in response.headers.get("Location", "/sign-in/"):
            raise StopUser("the password was not accepted")
        # Signed in with a password only: every page sends the user to the two-factor page first.
        response = self._send("GET", "/", "sign in: home before two-factor", expect=302)
        verify = response.headers.get("Location", "")
        if "/account/two-factor/verify/" not in verify:
            raise StopUser(f"expected the two-factor page, was sent to {verify!r}")
        html = self.page(verify, "sign in: two-factor page")
        code, step = fresh_code(self.login)
        fields = with_values(form_fields(html, "code"), code=code)
        response = self.submit("/account/two-factor/verify/", fields, "sign in: two-factor code")
        if response.status_code != 302:
            raise StopUser("the two-factor code was not accepted")
        used_step(self.login, step)
        self.page(response.headers["Location"], "home")


class Caseworker(Browser):
    """Offender managers and police officers: their caseload, one case at a time, and a contact recorded."""

    persona = "caseworker"
    weight = 6

    def on_start(self) -> None:
        super().on_start()
        self.cases: list[str] = []
        self.my_cases()

    @task(4)
    def my_cases(self) -> None:
        html = self.page("/cases/mine/", "My cases")
        self.cases = ids(html, r'href="/cases/(\d+)/"') or self.cases

    @task(10)
    def a_case(self) -> None:
        if not self.cases:
            return
        case = pick.choice(self.cases)
        html = self.page(f"/cases/{case}/", "case: overview")
        tabs = ids(html, rf'href="/cases/{case}/(timeline|needs|contacts|victims)/"')  # the tabs this user is shown
        for tab in pick.sample(tabs, k=min(2, len(tabs))):
            self.page(f"/cases/{case}/{tab}/", f"case: {tab}")
        people = ids(html, r'href="/people/(\d+)/"')
        if people and pick.random() < 0.3:
            self.page(f"/people/{people[0]}/", "person")

    @task(3)
    def record_contact(self) -> None:
        if not self.cases:
            return
        case = pick.choice(self.cases)
        html = self.page(f"/cases/{case}/contacts/add/", "contact: form")
        if not html:
            return
        today = date.today()
        fields = with_values(
            form_fields(html, "kind"),
            kind=pick.choice(("office", "phone", "home_visit")),
            day_0=str(today.day),
            day_1=str(today.month),
            day_2=str(today.year),
            at=f"{pick.randint(9, 16)}:{pick.choice(('00', '30'))}",
            outcome=pick.choice(("attended", "attended", "late", "missed")),
            notes="Load test: went through the plan.",
        )
        self.submit(f"/cases/{case}/contacts/add/", fields, "contact: record (POST)")

    @task(2)
    def my_actions(self) -> None:
        self.page("/cases/actions/", "My actions")

    @task(2)
    def case_list(self) -> None:
        query = pick.choice(("", "?tier=2", "?sort=name", "?status=all&sort=opened", "?page=3"))
        self.page(f"/cases/{query}", "case list")

    @task(1)
    def home(self) -> None:
        self.page("/", "home")


class Coordinator(Browser):
    """The IOM co-ordinator: finding people, panels and referrals, cohort selection."""

    persona = "coordinator"
    fixed_count = 2

    @task(4)
    def search_by_name(self) -> None:
        html = self.page("/people/", "person search: page")
        fields = with_values(form_fields(html, "name"), name=pick.choice(LOGINS["search"]["names"]))
        found = self.submit("/people/", fields, "person search: by name (POST)", expect=200)
        people = ids(found.text, r'href="/people/(\d+)/"')
        if people:
            self.page(f"/people/{pick.choice(people)}/", "person")

    @task(2)
    def search_by_identifier(self) -> None:
        html = self.page("/people/", "person search: page")
        identifier = pick.choice(LOGINS["search"]["identifiers"])
        fields = with_values(form_fields(html, "identifier"), identifier=identifier)
        self.submit("/people/", fields, "person search: by id (POST)", expect=200)

    @task(3)
    def panels(self) -> None:
        html = self.page("/panels/", "panels")
        meetings = ids(html, r'href="/panels/meetings/(\d+)/"')
        if meetings:
            meeting = pick.choice(meetings)
            self.page(f"/panels/meetings/{meeting}/", "panel: meeting")
            if pick.random() < 0.3:
                self.page(f"/panels/meetings/{meeting}/minutes/", "panel: minutes")

    @task(3)
    def referrals(self) -> None:
        html = self.page("/panels/referrals/", "panel: referrals")
        referrals = ids(html, r'href="/panels/referrals/(\d+)/"')
        if referrals:
            self.page(f"/panels/referrals/{pick.choice(referrals)}/", "panel: referral")

    @task(2)
    def cohort(self) -> None:
        html = self.page("/cohort/", "cohort: runs")
        runs = ids(html, r'href="/cohort/runs/(\d+)/"')
        if runs:
            self.page(f"/cohort/runs/{max(runs, key=int)}/", "cohort: run results")

    @task(2)
    def caseloads(self) -> None:
        self.page("/cases/caseloads/", "caseloads")

    @task(1)
    def selection_run(self) -> None:
        if next(_runs_started) >= SELECTION_RUNS_WANTED:
            return
        html = self.page("/cohort/runs/new/", "cohort: new run form")
        fields = with_values(form_fields(html, "label"), label="Load test run")
        response = self.submit("/cohort/runs/new/", fields, "cohort: start a run (POST)")
        run_page = response.headers.get("Location", "")
        if not run_page:
            return
        html = self.page(run_page, "cohort: run page")
        jobs = re.findall(r'href="(/jobs/[0-9a-f-]{36}/)"', html)
        if not jobs:
            return
        started, status = time.monotonic(), ""
        while time.monotonic() - started < 900:
            found = re.search(r'id="job-status">([^<]+)<', self.page(jobs[0], "job: progress page"))
            status = found.group(1).strip() if found else ""
            if status not in ("", "Waiting to start", "Running"):
                break
            time.sleep(3)
        events.request.fire(
            request_type="JOB", name="cohort: run, start to finish", response_time=(time.monotonic() - started) * 1000,
            response_length=0, exception=None if status == "Finished" else Exception(f"the run ended: {status!r}"),
            context={},
        )  # fmt: skip


class Analyst(Browser):
    """The community safety analyst: the reports."""

    persona = "analyst"
    fixed_count = 2

    @task(3)
    def outcomes(self) -> None:
        self.page("/reports/outcomes/", "report: outcomes")

    @task(2)
    def profile(self) -> None:
        self.page("/reports/profile/", "report: profile")

    @task(2)
    def targets(self) -> None:
        self.page("/reports/targets/", "report: targets")

    @task(1)
    def dyo(self) -> None:
        self.page("/reports/dyo/", "report: Deter Young Offenders")

    @task(1)
    def index(self) -> None:
        self.page("/reports/", "reports")


class ApiClient(HttpUser):
    """A records system reading the API with a read-only bearer token."""

    fixed_count = 2
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        tokens = LOGINS["api_tokens"]
        self.token = tokens[next(_pools["api"]) % len(tokens)]["token"]
        self.case_ids: list[int] = []

    def call(self, method: str, path: str, name: str, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.token}", "X-Forwarded-Proto": "https"}
        with self.client.request(
            method, path, name=name, headers=headers, catch_response=True, allow_redirects=False, **kwargs
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
                return None
            response.success()
            return response.json()

    @task(3)
    def cases(self) -> None:
        found = self.call("GET", f"/api/v1/cases?limit=50&offset={pick.choice((0, 50, 100))}", "api: cases")
        if found:
            self.case_ids = [c["id"] for c in found["results"]] or self.case_ids

    @task(4)
    def a_case(self) -> None:
        if self.case_ids:
            self.call("GET", f"/api/v1/cases/{pick.choice(self.case_ids)}", "api: a case")

    @task(3)
    def people(self) -> None:
        payload = {"name": pick.choice(LOGINS["search"]["names"])}
        found = self.call("POST", "/api/v1/people/search", "api: people search (POST)", json=payload)
        if found and found["results"]:
            person = pick.choice(found["results"])["id"]
            self.call("GET", f"/api/v1/people/{person}", "api: a person")
            self.call("GET", f"/api/v1/people/{person}/offences", "api: a person's offences")


class Reference(Browser):
    """The trivial page, signed in and verified, and /health: the yardstick for every other page."""

    persona = "caseworker"
    fixed_count = 1
    wait_time = between(0.5, 1.0)

    @task(3)
    def trivial(self) -> None:
        self.page("/accessibility/", TRIVIAL)

    @task(1)
    def health(self) -> None:
        with self.client.get(
            "/health", name="health (no session)", headers={"X-Forwarded-Proto": "https"}, catch_response=True
        ) as response:
            if response.status_code != 200 or response.json().get("status") != "ok":
                response.failure(f"{response.status_code}")


# ---- bounds and the exact timings -----------------------------------------------------------------------
@events.init_command_line_parser.add_listener
def _arguments(parser: Any) -> None:
    parser.add_argument("--max-requests", type=int, default=0, help="Stop after this many requests (0: no limit)")


_log: dict[str, Any] = {}


@events.test_start.add_listener
def _open_log(environment: Any, **_kwargs: Any) -> None:
    prefix = environment.parsed_options.csv_prefix if environment.parsed_options else None
    if prefix:
        handle = Path(f"{prefix}_requests.csv").open("w", newline="")  # noqa: SIM115 (open for the whole test)
        _log["handle"], _log["writer"] = handle, csv.writer(handle)
        _log["writer"].writerow(["type", "name", "ms", "ok", "at"])
    _log["count"], _log["environment"] = 0, environment


@events.request.add_listener
def _record(request_type: str, name: str, response_time: float, exception: Any, **_kwargs: Any) -> None:
    writer = _log.get("writer")
    if writer is not None:
        writer.writerow([request_type, name, f"{response_time:.1f}", int(exception is None), f"{time.time():.3f}"])
    _log["count"] = _log.get("count", 0) + 1
    environment = _log.get("environment")
    limit = environment.parsed_options.max_requests if environment and environment.parsed_options else 0
    if limit and _log["count"] == limit and environment.runner is not None:
        environment.runner.quit()


@events.test_stop.add_listener
def _close_log(**_kwargs: Any) -> None:
    handle = _log.pop("handle", None)
    if handle is not None:
        handle.close()
        _log.pop("writer", None)


__all__ = ["Analyst", "ApiClient", "Caseworker", "Coordinator", "Reference", "totp"]
