"""The page matrix: every persona x every page, API endpoint, export and document -> the expected answer.

`MATRIX` below is the access decision for every address of OpenIOM, written as a table. Each row is
(method, address, who gets through, what everyone else gets):

- **who gets through** is a set of the personas of `tests/conftest.py` (the demo partnership's nine
  users). For a GET they get 200; for a POST, PATCH or PUT anything but a refusal (200, 201, 302,
  400, 409 or 422: the row sends an empty or harmless body, and each request runs in a savepoint
  that is rolled back, so the world stays as built). `FILE` rows are downloads: the personas who
  get through receive the file (not an HTML page); `POST FILE` is a download asked for by POST.
- **everyone else** gets 403 unless the row says otherwise. 404 is written where the product
  deliberately hides that a thing exists (another user's job or API token, a section page that
  no longer exists): the same answer as an id that was never issued.
- **anonymous** (no session, no token) is always refused: pages redirect to the sign-in page with
  `?next=`, the API's operations answer 401. Only rows that include `ANONYMOUS` are public; the
  API's root, which does not exist, is 404 for everyone.
- A refused request gets no file, shows none of the world's people, and changes nothing in the
  database (compared table by table before and after the refused requests of a row).

The world (`conftest.py`) has one of everything: Robin Sharefield's PPO case led by probation,
with the police and housing involved (so the YOT worker sees only the minimal view), a selection
run, a panel meeting with a referral, minutes and an action, a service, a target, a delivery, a
possible match and a merge, a break-glass grant, an audit export job, an API token per persona.

`test_every_address_has_a_row` walks every URL pattern of the project and every operation of
the API, and fails naming any that has no row: a new page needs an access decision here before
it can be merged. The exceptions (`NOT_IN_THE_MATRIX`) are listed with the reason.

Who may do what in the special categories (health, victims, MAPPA...) on a page they reach is
`tests/sharing/test_permission_matrix.py`; this table decides who reaches the page at all.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver

from openiom.api import api
from tests.conftest import PERSONAS
from tests.security.conftest import API_BODIES, MatrixWorld

ANONYMOUS = "anonymous"

# ---- who: the personas, grouped as the roles give them access (written out, not read from the code) -
SIGNED_IN = frozenset(PERSONAS)
PUBLIC = SIGNED_IN | {ANONYMOUS}
NOBODY: frozenset[str] = frozenset()
COORDINATOR, POLICE, OM, YOT = "iom_coordinator", "police_officer", "offender_manager", "yot_worker"
PRACTITIONER, CHAIR, ANALYST, STRATEGIC, ADMIN = (
    "partner_practitioner",
    "panel_chair",
    "analyst",
    "strategic_member",
    "administrator",
)
PEOPLE = frozenset({COORDINATOR, POLICE, OM, YOT, CHAIR})  # people's records
DATA = frozenset({COORDINATOR, ANALYST})  # imports and record linkage
COHORT = frozenset({COORDINATOR, POLICE, ANALYST})  # selection runs
COHORT_RUN = frozenset({COORDINATOR, ANALYST})
PANELS = frozenset({COORDINATOR, POLICE, OM, YOT, CHAIR})
PANEL_MANAGERS = frozenset({COORDINATOR, CHAIR})
TERMS = frozenset({COORDINATOR, CHAIR, ADMIN})  # panel terms of reference and membership
REFERRERS = frozenset({COORDINATOR, POLICE, OM, YOT, PRACTITIONER, CHAIR})
CASES = frozenset({COORDINATOR, POLICE, OM, YOT, PRACTITIONER, CHAIR})  # the case lists
CASE_MANAGERS = frozenset({COORDINATOR, POLICE, OM, YOT, PRACTITIONER})
# Robin's case: the co-ordinator sees every case; probation leads; police and housing are involved.
# The YOT worker (not involved) gets the minimal view of the overview and nothing else.
FULL = frozenset({COORDINATOR, POLICE, OM, PRACTITIONER, CHAIR})
WORKERS = frozenset({COORDINATOR, POLICE, OM, PRACTITIONER})  # full view and may manage cases
VICTIMS = frozenset({POLICE, OM, CHAIR})  # the sharing matrix: victim details to police and probation
VICTIM_WRITERS = frozenset({POLICE, OM})
SERVICES = frozenset({COORDINATOR, POLICE, OM, YOT, PRACTITIONER, CHAIR, ANALYST})
SERVICE_MANAGERS = frozenset({COORDINATOR})
REPORTS = frozenset({COORDINATOR, POLICE, OM, YOT, CHAIR, ANALYST, STRATEGIC})
REPORT_MANAGERS = frozenset({COORDINATOR, ANALYST})
REVIEWERS = frozenset({COORDINATOR, ADMIN})  # break-glass review
ADMINS = frozenset({ADMIN})

HIDDEN = 404  # the product answers "not found" rather than "not yours"

# ---- the table -------------------------------------------------------------------------------------
# (method, address, who gets through[, what the others get]). Placeholders are ids in the world.
MATRIX: list[tuple[Any, ...]] = [
    # -- the site ---------------------------------------------------------------------------------------
    ("GET", "/", SIGNED_IN),
    ("GET", "/sections/{section}/", NOBODY, HIDDEN),  # every section has a page of its own now
    ("GET", "/accessibility/", PUBLIC),
    ("GET", "/privacy/", PUBLIC),
    ("GET", "/signed-out/", PUBLIC),
    # -- your account -------------------------------------------------------------------------------
    ("GET", "/account/", SIGNED_IN),
    ("POST", "/account/", SIGNED_IN),
    ("GET", "/account/password/", SIGNED_IN),
    ("POST", "/account/password/", SIGNED_IN),
    ("POST", "/account/tokens/{coordinator_token}/revoke/", {COORDINATOR}, HIDDEN),  # another's token
    ("GET", "/jobs/", SIGNED_IN),  # each sees only their own
    ("GET", "/jobs/{job}/", ADMINS, HIDDEN),  # the administrator's audit export
    ("FILE", "/jobs/{job}/download/", ADMINS, HIDDEN),
    ("POST", "/jobs/{job}/run-again/", ADMINS, HIDDEN),  # the owner is told it cannot be run again
    # -- administration -----------------------------------------------------------------------------
    ("GET", "/administration/", ADMINS),
    ("GET", "/administration/agencies/", ADMINS),
    ("GET", "/administration/agencies/add/", ADMINS),
    ("POST", "/administration/agencies/add/", ADMINS),
    ("GET", "/administration/agencies/{agency}/", ADMINS),
    ("POST", "/administration/agencies/{agency}/", ADMINS),
    ("GET", "/administration/users/", ADMINS),
    ("GET", "/administration/users/add/", ADMINS),
    ("POST", "/administration/users/add/", ADMINS),
    ("GET", "/administration/users/{user}/", ADMINS),
    ("GET", "/administration/users/{user}/change/", ADMINS),
    ("POST", "/administration/users/{user}/change/", ADMINS),
    ("POST", "/administration/users/{user}/reset-two-factor/", ADMINS),
    ("GET", "/administration/roles/", ADMINS),
    ("GET", "/administration/roles/add/", ADMINS),
    ("POST", "/administration/roles/add/", ADMINS),
    ("GET", "/administration/roles/{role}/", ADMINS),
    ("POST", "/administration/roles/{role}/", ADMINS),
    ("GET", "/administration/tiers/", ADMINS),
    ("GET", "/administration/tiers/add/", ADMINS),
    ("POST", "/administration/tiers/add/", ADMINS),
    ("GET", "/administration/tiers/{tier}/", ADMINS),
    ("POST", "/administration/tiers/{tier}/", ADMINS),
    ("GET", "/administration/sharing/", ADMINS),
    ("GET", "/administration/sharing/{category}/", ADMINS),
    ("POST", "/administration/sharing/{category}/", ADMINS),
    ("GET", "/administration/audit/", ADMINS),
    ("POST", "/administration/audit/export/", ADMINS),  # starts a job (the file comes from /jobs/)
    ("GET", "/administration/audit/subject-access/", ADMINS),
    ("POST FILE", "/administration/audit/subject-access/?person={person}&format=json", ADMINS),
    ("GET", "/administration/retention/", ADMINS),
    ("GET", "/administration/retention/actions/", ADMINS),
    ("GET", "/administration/retention/periods/{rule}/", ADMINS),
    ("POST", "/administration/retention/periods/{rule}/", ADMINS),
    ("GET", "/administration/retention/{record_type}/{record}/", ADMINS),
    ("POST", "/administration/retention/{record_type}/{record}/", ADMINS),
    # -- people and record linkage ------------------------------------------------------------------
    ("GET", "/people/", PEOPLE),
    ("GET", "/people/{person}/", PEOPLE),
    ("GET", "/people/matches/", DATA),
    ("POST", "/people/matches/run/", DATA),
    ("GET", "/people/matches/{candidate}/", DATA),
    ("POST", "/people/matches/{candidate}/", DATA),
    ("GET", "/people/merges/", DATA),
    ("POST", "/people/merges/{merge}/undo/", DATA),
    # -- data deliveries ----------------------------------------------------------------------------
    ("GET", "/imports/", DATA),
    ("GET", "/imports/upload/", DATA),
    ("POST", "/imports/upload/", DATA),
    ("GET", "/imports/{delivery}/", DATA),
    # -- cohort selection ---------------------------------------------------------------------------
    ("GET", "/cohort/", COHORT),
    ("GET", "/cohort/runs/new/", COHORT_RUN),
    ("POST", "/cohort/runs/new/", COHORT_RUN),
    ("GET", "/cohort/runs/{run}/", COHORT),
    ("GET", "/cohort/runs/{run}/exclusions/", COHORT),
    ("GET", "/cohort/runs/{run}/fairness/", COHORT),
    ("GET", "/cohort/runs/{run}/settings/", COHORT),
    ("GET", "/cohort/runs/{run}/people/{run_person}/", COHORT),
    ("GET", "/cohort/compare/", COHORT),
    ("POST FILE", "/cohort/runs/{run}/export/?export=all", COHORT_RUN),
    ("POST", "/cohort/runs/{run}/refer/", COHORT_RUN & REFERRERS),  # as the run page offers it
    # -- panels -------------------------------------------------------------------------------------
    ("GET", "/panels/", PANELS),
    ("FILE", "/panels/calendar.ics", PANELS),
    ("GET", "/panels/terms/", TERMS),
    ("GET", "/panels/{panel}/terms/", TERMS),
    ("POST", "/panels/{panel}/terms/", TERMS),
    ("GET", "/panels/{panel}/members/", TERMS),
    ("POST", "/panels/{panel}/members/", TERMS),
    ("POST", "/panels/members/{member}/remove/", TERMS),
    ("GET", "/panels/{panel}/schedule/series/", PANEL_MANAGERS),
    ("POST", "/panels/{panel}/schedule/series/", PANEL_MANAGERS),
    ("GET", "/panels/{panel}/schedule/meeting/", PANEL_MANAGERS),
    ("POST", "/panels/{panel}/schedule/meeting/", PANEL_MANAGERS),
    ("GET", "/panels/my-actions/", SIGNED_IN),  # each sees their own
    ("POST", "/panels/actions/{panel_action}/done/", {POLICE} | PANEL_MANAGERS),  # the owner, or a manager
    ("GET", "/panels/meetings/{meeting}/", PANELS),
    ("POST", "/panels/meetings/{meeting}/agenda/build/", PANEL_MANAGERS),
    ("FILE", "/panels/meetings/{meeting}/papers.pdf", PANELS),
    ("POST", "/panels/meetings/{meeting}/papers/circulate/", PANEL_MANAGERS),
    ("GET", "/panels/meetings/{meeting}/attendance/", PANELS),
    ("POST", "/panels/meetings/{meeting}/attendance/", PANEL_MANAGERS),
    ("POST", "/panels/attendance/{attendance}/remove/", PANEL_MANAGERS),
    ("GET", "/panels/items/{item}/decision/", PANEL_MANAGERS),
    ("POST", "/panels/items/{item}/decision/", PANEL_MANAGERS),
    ("GET", "/panels/meetings/{meeting}/actions/", PANELS),
    ("POST", "/panels/meetings/{meeting}/actions/", PANEL_MANAGERS),
    ("GET", "/panels/meetings/{meeting}/minutes/", PANELS),
    ("POST", "/panels/meetings/{meeting}/minutes/", PANEL_MANAGERS),
    ("POST", "/panels/meetings/{meeting}/minutes/draft/", PANEL_MANAGERS),
    ("POST", "/panels/meetings/{meeting}/minutes/approve/", {CHAIR}),
    ("FILE", "/panels/meetings/{meeting}/minutes.pdf", PANELS),
    ("POST", "/panels/meetings/{meeting}/minutes/circulate/", PANEL_MANAGERS),
    ("GET", "/panels/referrals/", PANELS),
    ("GET", "/panels/referrals/new/", REFERRERS),
    ("POST", "/panels/referrals/new/", REFERRERS),
    ("GET", "/panels/referrals/{referral}/", PANELS),  # and whoever referred or nominated
    ("FILE", "/panels/referrals/{referral}/acknowledgement.pdf", PANELS),
    ("POST", "/panels/referrals/{referral}/acknowledgement/send/", PANEL_MANAGERS),
    # -- cases: the lists -----------------------------------------------------------------------------
    ("GET", "/cases/", CASES),
    ("POST", "/cases/search/", CASES),
    ("GET", "/cases/mine/", CASES),
    ("GET", "/cases/actions/", CASES),
    ("GET", "/cases/caseloads/", CASE_MANAGERS),
    # -- cases: Robin's case ----------------------------------------------------------------------------
    ("GET", "/cases/{case}/", FULL | {YOT}),  # the YOT worker: the minimal view
    ("GET", "/cases/{case}/timeline/", FULL),
    ("GET", "/cases/{case}/needs/", FULL),
    ("GET", "/cases/{case}/contacts/", FULL),
    ("GET", "/cases/{case}/victims/", VICTIMS),
    ("GET", "/cases/{case}/tier/", WORKERS),
    ("POST", "/cases/{case}/tier/", WORKERS),
    ("GET", "/cases/{case}/reviews/{prompt}/", WORKERS),
    ("POST", "/cases/{case}/reviews/{prompt}/", WORKERS),
    ("GET", "/cases/{case}/details/", WORKERS),
    ("POST", "/cases/{case}/details/", WORKERS),
    ("GET", "/cases/{case}/lead/", WORKERS),
    ("POST", "/cases/{case}/lead/", WORKERS),
    ("GET", "/cases/{case}/agencies/add/", WORKERS),
    ("POST", "/cases/{case}/agencies/add/", WORKERS),
    ("GET", "/cases/{case}/agencies/{involvement}/end/", WORKERS),
    ("POST", "/cases/{case}/agencies/{involvement}/end/", WORKERS),
    ("GET", "/cases/{case}/cohorts/add/", WORKERS),
    ("POST", "/cases/{case}/cohorts/add/", WORKERS),
    ("GET", "/cases/{case}/cohorts/{membership}/end/", WORKERS),
    ("POST", "/cases/{case}/cohorts/{membership}/end/", WORKERS),
    ("GET", "/cases/{case}/assessments/new/", WORKERS),
    ("POST", "/cases/{case}/assessments/new/", WORKERS),
    ("GET", "/cases/{case}/actions/add/", WORKERS),
    ("POST", "/cases/{case}/actions/add/", WORKERS),
    ("GET", "/cases/{case}/actions/{plan_action}/edit/", WORKERS),
    ("POST", "/cases/{case}/actions/{plan_action}/edit/", WORKERS),
    ("GET", "/cases/{case}/actions/{plan_action}/status/", WORKERS),
    ("POST", "/cases/{case}/actions/{plan_action}/status/", WORKERS),
    ("GET", "/cases/{case}/interventions/refer/", WORKERS),
    ("POST", "/cases/{case}/interventions/refer/", WORKERS),
    ("GET", "/cases/{case}/interventions/{intervention}/status/", WORKERS),
    ("POST", "/cases/{case}/interventions/{intervention}/status/", WORKERS),
    ("GET", "/cases/{case}/interventions/{intervention}/sessions/", WORKERS),
    ("POST", "/cases/{case}/interventions/{intervention}/sessions/", WORKERS),
    ("GET", "/cases/{case}/contacts/add/", WORKERS),
    ("POST", "/cases/{case}/contacts/add/", WORKERS),
    ("GET", "/cases/{case}/contacts/{contact}/outcome/", WORKERS),
    ("POST", "/cases/{case}/contacts/{contact}/outcome/", WORKERS),
    ("GET", "/cases/{case}/enforcement/add/", WORKERS),
    ("POST", "/cases/{case}/enforcement/add/", WORKERS),
    ("GET", "/cases/{case}/tasks/{task}/finish/", WORKERS),
    ("POST", "/cases/{case}/tasks/{task}/finish/", WORKERS),
    ("GET", "/cases/{case}/victims/add/", VICTIM_WRITERS),
    ("POST", "/cases/{case}/victims/add/", VICTIM_WRITERS),
    ("GET", "/cases/{case}/victims/{victim}/edit/", VICTIM_WRITERS),
    ("POST", "/cases/{case}/victims/{victim}/edit/", VICTIM_WRITERS),
    ("GET", "/cases/{case}/victims/{victim}/victim-support/", VICTIM_WRITERS),
    ("POST", "/cases/{case}/victims/{victim}/victim-support/", VICTIM_WRITERS),
    ("GET", "/sharing/cases/{case}/consent/", FULL),
    ("POST", "/sharing/cases/{case}/consent/", WORKERS),
    ("GET", "/sharing/cases/{case}/consent/{consent}/withdraw/", WORKERS),
    ("POST", "/sharing/cases/{case}/consent/{consent}/withdraw/", WORKERS),
    # -- break-glass ------------------------------------------------------------------------------------
    ("GET", "/break-glass/", REVIEWERS),
    ("GET", "/break-glass/mine/", SIGNED_IN),  # each sees their own grants
    ("GET", "/break-glass/{grant}/", REVIEWERS),
    ("POST", "/break-glass/{grant}/", REVIEWERS),
    ("POST", "/break-glass/{grant}/end/", REVIEWERS | {PRACTITIONER}),  # or the holder
    ("GET", "/break-glass/cases/{case}/", {YOT}),  # only who sees the case in the minimal view may ask
    ("POST", "/break-glass/cases/{case}/", {YOT}),
    # -- the service directory ----------------------------------------------------------------------
    ("GET", "/services/", SERVICES),
    ("GET", "/services/new/", SERVICE_MANAGERS),
    ("POST", "/services/new/", SERVICE_MANAGERS),
    ("GET", "/services/import/", SERVICE_MANAGERS),
    ("POST", "/services/import/", SERVICE_MANAGERS),
    ("FILE", "/services/import/example.csv", SERVICE_MANAGERS),
    ("GET", "/services/gaps/", SERVICES),
    ("GET", "/services/{service}/", SERVICES),
    ("GET", "/services/{service}/edit/", SERVICE_MANAGERS),
    ("POST", "/services/{service}/edit/", SERVICE_MANAGERS),
    ("POST", "/services/{service}/deactivate/", SERVICE_MANAGERS),
    ("POST", "/services/{service}/reactivate/", SERVICE_MANAGERS),
    # -- reports (figures only) -----------------------------------------------------------------------
    ("GET", "/reports/", REPORTS),
    ("GET", "/reports/definitions/", SIGNED_IN),  # how each figure is worked out: no data
    ("GET", "/reports/outcomes/", REPORTS),
    ("GET", "/reports/dyo/", REPORTS),
    ("FILE", "/reports/dyo/?format=xlsx", REPORTS),  # every report downloads the same way
    ("FILE", "/reports/dyo/?format=pdf", REPORTS),
    ("GET", "/reports/impact/", REPORTS),
    ("GET", "/reports/profile/", REPORTS),
    ("FILE", "/reports/pack/", REPORTS),  # the strategic group's pack, a PDF (or ?format=xlsx)
    ("GET", "/reports/targets/", REPORTS),
    ("GET", "/reports/targets/add/", REPORT_MANAGERS),
    ("POST", "/reports/targets/add/", REPORT_MANAGERS),
    ("GET", "/reports/targets/{target}/", REPORT_MANAGERS),
    ("POST", "/reports/targets/{target}/", REPORT_MANAGERS),
    ("POST", "/reports/targets/{target}/stop/", REPORT_MANAGERS),
    # -- the API (a bearer token per persona; anonymous is 401) ---------------------------------------
    ("GET", "/api/v1/", NOBODY, HIDDEN),  # no index: the operations are listed in the OpenAPI document
    ("GET", "/api/v1/openapi.json", PUBLIC),  # the description of the API, no data
    ("GET", "/api/v1/me", SIGNED_IN),
    ("GET", "/api/v1/agencies", SIGNED_IN),
    ("POST", "/api/v1/people/search", PEOPLE),
    ("GET", "/api/v1/people/{person}", PEOPLE),
    ("GET", "/api/v1/people/{person}/offences", PEOPLE),
    ("POST", "/api/v1/deliveries", DATA),
    ("GET", "/api/v1/deliveries/{delivery}", DATA),
    ("GET", "/api/v1/selection-runs", COHORT),
    ("POST", "/api/v1/selection-runs", COHORT_RUN),
    ("GET", "/api/v1/selection-runs/{run}", COHORT),
    ("GET", "/api/v1/selection-runs/{run}/nominations", COHORT),
    ("GET", "/api/v1/selection-runs/{run}/people/{run_person}/explanation", COHORT),
    ("GET", "/api/v1/panels", PANELS),
    ("POST", "/api/v1/panels/{panel}/meetings", PANEL_MANAGERS),
    ("GET", "/api/v1/meetings/{meeting}", PANELS),
    ("POST", "/api/v1/meetings/{meeting}/attendance", PANEL_MANAGERS),
    ("POST", "/api/v1/agenda-items/{item}/decision", PANEL_MANAGERS),
    ("POST", "/api/v1/referrals", REFERRERS & PEOPLE),  # an existing person: as on the page
    ("GET", "/api/v1/referrals/{referral}", PANELS),
    ("GET", "/api/v1/cases", CASES),
    ("POST", "/api/v1/cases/search", CASES),
    ("GET", "/api/v1/tiers", CASES),
    ("GET", "/api/v1/cases/{case}", FULL | {YOT}),  # the YOT worker: the minimal view
    ("PATCH", "/api/v1/cases/{case}", WORKERS),
    ("GET", "/api/v1/cases/{case}/tier-changes", FULL),
    ("POST", "/api/v1/cases/{case}/tier", WORKERS),
    ("GET", "/api/v1/cases/{case}/assessments", FULL),
    ("POST", "/api/v1/cases/{case}/assessments", WORKERS),
    ("GET", "/api/v1/cases/{case}/actions", FULL),
    ("POST", "/api/v1/cases/{case}/actions", WORKERS),
    ("PATCH", "/api/v1/actions/{plan_action}", WORKERS),
    ("POST", "/api/v1/actions/{plan_action}/status", WORKERS),
    ("GET", "/api/v1/cases/{case}/interventions", FULL),
    ("POST", "/api/v1/cases/{case}/interventions", WORKERS),
    ("POST", "/api/v1/interventions/{intervention}/move", WORKERS),
    ("POST", "/api/v1/interventions/{intervention}/sessions", WORKERS),
    ("GET", "/api/v1/cases/{case}/contacts", FULL),
    ("POST", "/api/v1/cases/{case}/contacts", WORKERS),
    ("POST", "/api/v1/contacts/{contact}/outcome", WORKERS),
    ("GET", "/api/v1/cases/{case}/tasks", FULL),
    ("POST", "/api/v1/tasks/{task}/finish", WORKERS),
    ("GET", "/api/v1/services", SERVICES),
    ("POST", "/api/v1/services", SERVICE_MANAGERS),
    ("GET", "/api/v1/services/gaps", SERVICES),
    ("GET", "/api/v1/services/{service}", SERVICES),
    ("PUT", "/api/v1/services/{service}", SERVICE_MANAGERS),
    ("POST", "/api/v1/services/{service}/deactivate", SERVICE_MANAGERS),
    ("POST", "/api/v1/services/{service}/reactivate", SERVICE_MANAGERS),
]

# Addresses with no row, and why.
NOT_IN_THE_MATRIX = {
    "/django-admin/": "developers only: not routed when OPENIOM_PRODUCTION is on",
    "/health": "the load balancer's check: no session, no data",
    "/sign-in/": "the sign-in flow (tests/accounts, tests/security/test_passwords_and_sessions.py)",
    "/sign-out/": "the sign-in flow",
    "/account/two-factor/setup/": "the sign-in flow (tests/accounts/test_two_factor.py)",
    "/account/two-factor/verify/": "the sign-in flow",
}

# Text of the world's people that no refused request may show.
SECRETS = ("Sharefield", "Quill", "Testperson", "Brakeman")
PASSED = {200, 201, 204, 302, 400, 409, 422}  # a write that got past the role check
# Rows that change with every request (sessions, the access log, last-used times), not data.
VOLATILE_MODELS = {
    "sessions.session",
    "auditlog.logentry",
    "audit.auditseal",
    "audit.auditchainhead",
    "axes.accessattempt",
    "axes.accessfailurelog",
    "axes.accesslog",
    "axes.accessattemptexpiration",
    "django_tasks_database.dbtaskresult",
}
VOLATILE_FIELDS = {"accounts.user": {"last_login"}, "accounts.apitoken": {"last_used_at", "last_used_ip"}}


def _row_id(row: tuple[Any, ...]) -> str:
    return f"{row[0]} {row[1]}"


def _expand(row: tuple[Any, ...]) -> tuple[str, str, frozenset[str], int]:
    method, address, allowed = row[0], row[1], frozenset(row[2])
    denied = row[3] if len(row) > 3 else 403
    return method, address, allowed, denied


# ---- completeness -----------------------------------------------------------------------------------
def _shape(address: str) -> str:
    """An address with its placeholders blanked and its query dropped, to compare with a URL pattern."""
    return re.sub(r"\{[^}]+\}", "{}", address.split("?")[0])


def _django_routes(patterns: list[Any], prefix: str = "/") -> Iterator[str]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _django_routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def _route_shape(route: str) -> str:
    return re.sub(r"<[^>]+>", "{}", route)


def _api_operations() -> Iterator[tuple[str, str]]:
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    yield method, _shape(f"/api/v1/{prefix}{path}".replace("//", "/"))


API_OPERATIONS = set(_api_operations())


def test_every_address_has_a_row() -> None:
    shapes = {_shape(row[1]) for row in MATRIX}
    exempt = tuple(NOT_IN_THE_MATRIX)
    missing = sorted(
        {
            _route_shape(route)
            for route in _django_routes(get_resolver().url_patterns)
            if not route.startswith(exempt) and _route_shape(route) not in shapes
        }
    )
    assert not missing, f"URL patterns with no access decision in MATRIX: {missing}"
    api_rows = {(row[0], _shape(row[1])) for row in MATRIX if row[1].startswith("/api/v1/")}
    missing_api = sorted(API_OPERATIONS - api_rows)
    assert not missing_api, f"API operations with no access decision in MATRIX: {missing_api}"


def test_every_row_is_an_address_of_the_project() -> None:
    """A row left behind by a page that was removed (or a typo) would test nothing."""
    routes = {_route_shape(r) for r in _django_routes(get_resolver().url_patterns)}
    stale = sorted(_row_id(row) for row in MATRIX if _shape(row[1]) not in routes)
    assert not stale, f"MATRIX rows for addresses the project does not have: {stale}"
    operations = {*API_OPERATIONS, ("GET", "/api/v1/"), ("GET", "/api/v1/openapi.json")}
    stale_api = sorted(
        _row_id(row) for row in MATRIX if row[1].startswith("/api/v1/") and (row[0], _shape(row[1])) not in operations
    )
    assert not stale_api, f"MATRIX rows for API operations the project does not have: {stale_api}"
    assert len({_row_id(row) for row in MATRIX}) == len(MATRIX), "a row appears twice"


# ---- the requests -----------------------------------------------------------------------------------
def _fill(value: Any, world: MatrixWorld) -> Any:
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return world.ids[value[1:-1]]
    if isinstance(value, dict):
        return {k: _fill(v, world) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, world) for v in value]
    return value


def _request(world: MatrixWorld, persona: str, method: str, address: str) -> Any:
    verb = method.split()[0]
    url = world.address(address)
    if address.startswith("/api/v1/"):
        client = world.api_client(persona)
        if address == "/api/v1/deliveries":
            return client.post(url, {})  # multipart with no files: a rejected delivery
        body = json.dumps(_fill(API_BODIES.get(address, {}), world)) if verb != "GET" else ""
        return client.generic(verb, url, body, content_type="application/json")
    client = world.client(persona)
    if verb == "POST":
        path, _, query = url.partition("?")
        return client.post(path, dict(pair.split("=", 1) for pair in query.split("&")) if query else {})
    return client.get(url)


def _fingerprint() -> dict[str, str]:
    """A digest of every table's rows (without the volatile ones): equal digests, unchanged data."""
    quote = connection.ops.quote_name
    digests = {}
    with connection.cursor() as cursor:
        for model in apps.get_models():
            label = model._meta.label_lower
            if label in VOLATILE_MODELS:
                continue
            skip = VOLATILE_FIELDS.get(label, set())
            columns = ", ".join(quote(str(f.column)) for f in model._meta.concrete_fields if f.attname not in skip)
            table, key = quote(model._meta.db_table), quote(str(model._meta.pk.column))
            cursor.execute(f"SELECT {columns} FROM {table} ORDER BY {key}")  # noqa: S608 - names from the models
            digests[label] = hashlib.sha256(repr(cursor.fetchall()).encode()).hexdigest()
    return digests


def _is_file(response: Any) -> bool:
    """A download: an attachment, or anything but a page or an API answer."""
    if response.status_code != 200:
        return False
    content_type = response.get("Content-Type", "")
    return "attachment" in response.get("Content-Disposition", "") or not content_type.startswith(
        ("text/html", "application/json")
    )


def _problem(row: tuple[Any, ...], persona: str, response: Any, allowed: frozenset[str], denied: int) -> str | None:
    method, address = row[0], row[1]
    status = response.status_code
    is_api = address.startswith("/api/v1/")
    if persona in allowed:
        if status == 302 and response["Location"].startswith("/sign-in/"):
            return "sent to sign in"
        if method in ("GET", "FILE"):
            if status != 200:
                return f"expected 200, got {status}"
        elif status not in PASSED:
            return f"expected to get through, got {status}"
        if "FILE" in method and not _is_file(response):
            return f"expected a file, got {status} {response.get('Content-Type')}"
        return None
    if persona == ANONYMOUS and (not is_api or (method.split()[0], _shape(address)) in API_OPERATIONS):
        to_sign_in = status == 302 and response["Location"].startswith("/sign-in/?next=")
        if (status != 401) if is_api else not to_sign_in:
            return f"expected {'401' if is_api else 'a redirect to sign in'}, got {status}"
    elif status != denied:
        return f"expected {denied}, got {status}"
    if response.has_header("Content-Disposition") or _is_file(response):
        return "a refused request got a file"
    body = response.content.decode(errors="replace")
    leaked = [s for s in SECRETS if s in body]
    if leaked:
        return f"a refused request shows {leaked}"
    return None


@pytest.mark.parametrize("row", MATRIX, ids=[_row_id(r) for r in MATRIX])
def test_each_persona_gets_what_the_matrix_says(db: None, matrix_world: MatrixWorld, row: tuple[Any, ...]) -> None:
    method, address, allowed, denied = _expand(row)
    refused = [p for p in [*PERSONAS, ANONYMOUS] if p not in allowed]
    problems: list[str] = []
    writes = method.split()[0] != "GET" and method != "FILE"
    before = _fingerprint() if writes else None
    for persona in refused:
        response = _request(matrix_world, persona, method, address)
        problem = _problem(row, persona, response, allowed, denied)
        if problem:
            problems.append(f"{persona}: {problem}")
    if before is not None:
        after = _fingerprint()
        changed = sorted(label for label in before if before[label] != after[label])
        if changed:
            problems.append(f"refused requests changed {changed}")
    for persona in sorted(allowed):
        with transaction.atomic():  # an allowed write is undone before the next persona's turn
            response = _request(matrix_world, persona, method, address)
            transaction.set_rollback(True)
        problem = _problem(row, persona, response, allowed, denied)
        if problem:
            problems.append(f"{persona}: {problem}")
    assert not problems, f"{method} {address}:\n  " + "\n  ".join(problems)
