"""The staff of a force-sized partnership (synthetic), and the accounts the load test signs in with.

A force of 100,000 people known to its agencies runs an IOM cohort of several hundred: a team of
offender managers and police IOM officers, YOT workers for the young people, partner
practitioners, two co-ordinators and two analysts. `seed_staff(open_cases)` sizes the team to the
caseload (about 30 cases per lead professional) on top of the demo partnership's users.

`seed_logins(out)` gives the users the load test plays a password and a confirmed TOTP device (as
they would have after enrolling), creates read-only API tokens for two records systems, and writes
what locust needs to sign in to a JSON file readable by its owner only. Every name is fictional.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from openiom.accounts.models import Agency, Role, User
from openiom.accounts.services import create_api_token
from openiom.demo import DEMO_DOMAIN, DEMO_USERS

GIVEN = ("Amira", "Ben", "Carys", "Dan", "Efe", "Fiona", "Gareth", "Hana", "Idris", "Jo", "Kofi", "Lena",
         "Mo", "Nia", "Owen", "Pia", "Rhys", "Sana", "Theo", "Una", "Vik", "Wren", "Yusuf", "Zoe")  # fmt: skip
FAMILY = ("Abbott", "Bello", "Carver", "Dlamini", "Evans", "Fox", "Gill", "Hughes", "Iqbal", "Jones", "Khan", "Lowe",
          "Mills", "Nash", "Okoro", "Price", "Quinn", "Rossi", "Shah", "Tate", "Umar", "Vance", "Webb")  # fmt: skip

# team code: (agency code, role code, job title, how many per 100 open cases, at least)
TEAMS: dict[str, tuple[str, str, str, float, int]] = {
    "om": ("probation", "offender_manager", "Probation offender manager", 2.8, 3),
    "po": ("police", "police_officer", "IOM police officer", 1.4, 2),
    "yot": ("yot", "yot_worker", "YOT case manager", 0.6, 1),
    "housing": ("housing", "partner_practitioner", "Housing resettlement officer", 0.4, 1),
    "drugs": ("substance", "partner_practitioner", "Criminal justice drug worker", 0.4, 1),
    "mh": ("mental-health", "partner_practitioner", "Liaison and diversion nurse", 0.2, 1),
    "coord": ("csp", "iom_coordinator", "IOM co-ordinator", 0.0, 2),
    "analyst": ("csp", "analyst", "Community safety analyst", 0.0, 2),
    "api": ("police", "police_officer", "Police records system (API client)", 0.0, 2),
}
# The demo users who belong to each team (they come first).
DEMO_IN_TEAM = {
    "om": "offender_manager", "po": "police_officer", "yot": "yot_worker", "housing": "partner_practitioner",
    "coord": "iom_coordinator", "analyst": "analyst",
}  # fmt: skip


@dataclass
class Staff:
    teams: dict[str, list[User]] = field(default_factory=dict)

    def team(self, code: str) -> list[User]:
        return self.teams.get(code, [])


def _size(code: str, open_cases: int) -> int:
    _agency, _role, _title, per_hundred, least = TEAMS[code]
    return max(least, round(open_cases * per_hundred / 100))


@transaction.atomic
def seed_staff(open_cases: int) -> Staff:
    """The force's team for `open_cases` open cases. Idempotent: users are found by e-mail."""
    roles = {r.code: r for r in Role.objects.all()}
    agencies = {a.code: a for a in Agency.objects.all()}
    demo = {u.role_code: User.objects.get(email=u.email) for u in DEMO_USERS}
    staff = Staff()
    serial = 0
    for code, (agency_code, role_code, title, _per, _least) in TEAMS.items():
        members: list[User] = []
        if code in DEMO_IN_TEAM:
            members.append(demo[DEMO_IN_TEAM[code]])
        number = 0
        while len(members) < _size(code, open_cases):
            number += 1
            email = f"{code}{number:02d}@{DEMO_DOMAIN}"
            user = User.objects.filter(email=email).first()
            if user is None:
                serial += 1
                given, family = GIVEN[serial % len(GIVEN)], FAMILY[(serial * 7) % len(FAMILY)]
                name = f"{given} {family}" if code != "api" else f"Records system {number}"
                user = User.objects.create_user(
                    email, None, full_name=name, job_title=title, agency=agencies[agency_code]
                )  # no password until seed_logins gives the load test's users one
            user.roles.set([roles[role_code]])
            members.append(user)
        staff.teams[code] = members
    return staff


def load_staff() -> Staff:
    """The team as seed_staff left it (demo users first, then by e-mail)."""
    staff = Staff()
    demo = {u.role_code: u.email for u in DEMO_USERS}
    for code, (_agency, role_code, _title, _per, _least) in TEAMS.items():
        members = list(User.objects.filter(email__regex=rf"^{code}[0-9]+@").order_by("email"))
        if code in DEMO_IN_TEAM:
            members.insert(0, User.objects.get(email=demo[DEMO_IN_TEAM[code]]))
        staff.teams[code] = [u for u in members if u.roles.filter(code=role_code).exists()]
    return staff


# The locust personas and the teams whose members play them.
PERSONAS = {"caseworker": ("om", "po"), "coordinator": ("coord",), "analyst": ("analyst",)}


@transaction.atomic
def seed_logins(out: Path) -> dict[str, int]:
    """Passwords, TOTP devices and API tokens for the load test; written to `out` (mode 0600)."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    staff = load_staff()
    password = f"Load-{secrets.token_urlsafe(18)}"
    logins: dict[str, list[dict[str, str]]] = {}
    for persona, teams in PERSONAS.items():
        # Interleave the teams (an offender manager, a police officer, ...) so any number of locust users mixes them.
        members = [u for group in _interleave([staff.team(t) for t in teams]) for u in group]
        entries = []
        for user in members:
            user.set_password(password)
            user.save(update_fields=["password"])
            TOTPDevice.objects.filter(user=user).delete()
            StaticDevice.objects.filter(user=user).delete()
            device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
            entries.append({"email": user.email, "totp_key": device.key, "team": user.job_title})
        logins[persona] = entries
    tokens = []
    for user in staff.team("api"):
        user.api_tokens.all().delete()
        _token, raw = create_api_token(user=user, name="Load test", scopes=["read"], via="scripts/load")
        tokens.append({"email": user.email, "token": raw})
    data = {"password": password, "logins": logins, "api_tokens": tokens, "search": search_terms()}
    out.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        json.dump(data, handle, indent=1)
    return {persona: len(entries) for persona, entries in logins.items()} | {"api tokens": len(tokens)}


def search_terms(count: int = 200) -> dict[str, list[str]]:
    """What the co-ordinator types into person search: names (a family name, or given and family) and
    identifiers (PNC ids and agencies' own ids) of people picked at random from the records."""
    import random

    from openiom.people.models import PersonRecord

    rng = random.Random(5)  # noqa: S311 (which synthetic records to search for, not security)
    last = PersonRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    picked = PersonRecord.objects.filter(pk__in=rng.sample(range(1, last + 1), min(count, last)))
    names, identifiers = [], []
    for n, (given, family, pnc, own_id) in enumerate(
        picked.values_list("given_name", "family_name", "pnc_id", "source_person_id")
    ):
        names.append(family if n % 2 else f"{given} {family}")
        identifiers.append(pnc or own_id if n % 3 else own_id)
    return {"names": names, "identifiers": [i for i in identifiers if i]}


def _interleave(groups: list[list[User]]) -> list[list[User]]:
    """[[a1, a2, a3], [b1]] -> [[a1, b1], [a2], [a3]]."""
    longest = max((len(g) for g in groups), default=0)
    return [[g[i] for g in groups if i < len(g)] for i in range(longest)]
