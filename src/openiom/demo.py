"""The demo partnership: one borough's agencies and one user per persona.

Everything here is fictional. `seed_partnership` is idempotent: running it
again updates the same agencies and users and creates no duplicates.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from openiom.accounts.constants import AgencyType
from openiom.accounts.models import Agency, Role, User
from openiom.accounts.services import reconcile_roles

DEMO_PASSWORD = "OpenIOM-demo-2026"
DEMO_DOMAIN = "openiom.test"
BOROUGH = "Riverside"

# The agencies the Richmond upon Thames IOM model names for one borough, in a fictional borough.
AGENCIES: tuple[tuple[str, str, AgencyType], ...] = (
    ("police", f"{BOROUGH} Police", AgencyType.POLICE),
    ("probation", f"Probation Service – {BOROUGH}", AgencyType.PROBATION),
    ("yot", f"{BOROUGH} Youth Offending Team", AgencyType.YOUTH_OFFENDING),
    ("csp", f"{BOROUGH} Community Safety Partnership Team", AgencyType.COMMUNITY_SAFETY),
    ("housing", f"{BOROUGH} Housing Partnership", AgencyType.HOUSING),
    ("substance", f"{BOROUGH} Substance Misuse Service", AgencyType.SUBSTANCE_MISUSE),
    ("mental-health", f"{BOROUGH} Mental Health Trust", AgencyType.MENTAL_HEALTH),
    ("prison", f"HMP {BOROUGH}", AgencyType.PRISON),
    ("jobcentre", f"Jobcentre Plus {BOROUGH}", AgencyType.JOBCENTRE),
    ("victim-support", f"Victim Support {BOROUGH}", AgencyType.VICTIM_SERVICES),
    ("care-farm", f"{BOROUGH} Care Farm", AgencyType.VOLUNTARY),
)


@dataclass(frozen=True)
class DemoUser:
    email: str
    full_name: str
    job_title: str
    agency_code: str
    role_code: str


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser(f"coordinator@{DEMO_DOMAIN}", "Cora Ainsworth", "IOM co-ordinator", "csp", "iom_coordinator"),
    DemoUser(f"police.officer@{DEMO_DOMAIN}", "PC Dev Patel", "IOM police officer", "police", "police_officer"),
    DemoUser(
        f"offender.manager@{DEMO_DOMAIN}", "Olu Mensah", "Probation offender manager", "probation", "offender_manager"
    ),
    DemoUser(f"yot.worker@{DEMO_DOMAIN}", "Yasmin Hart", "YOT case manager", "yot", "yot_worker"),
    DemoUser(
        f"practitioner@{DEMO_DOMAIN}", "Priya Shah", "Housing resettlement officer", "housing", "partner_practitioner"
    ),
    DemoUser(
        f"panel.chair@{DEMO_DOMAIN}",
        "Chris Okafor",
        "Senior probation officer, IOM panel chair",
        "probation",
        "panel_chair",
    ),
    DemoUser(f"analyst@{DEMO_DOMAIN}", "Ana Lindqvist", "Community safety analyst", "csp", "analyst"),
    DemoUser(f"strategic@{DEMO_DOMAIN}", "Sam Whitfield", "Head of community safety", "csp", "strategic_member"),
    DemoUser(f"admin@{DEMO_DOMAIN}", "Alex Morgan", "System administrator", "csp", "administrator"),
)


@transaction.atomic
def seed_partnership(password: str = DEMO_PASSWORD) -> list[DemoUser]:
    reconcile_roles()
    agencies: dict[str, Agency] = {}
    for code, name, agency_type in AGENCIES:
        agency, _ = Agency.objects.update_or_create(code=code, defaults={"name": name, "agency_type": agency_type})
        agencies[code] = agency
    roles = {r.code: r for r in Role.objects.all()}
    for demo in DEMO_USERS:
        user = User.objects.filter(email=demo.email).first()
        if user is None:
            user = User(email=demo.email)
        user.full_name, user.job_title, user.agency = demo.full_name, demo.job_title, agencies[demo.agency_code]
        user.is_active = True
        user.set_password(password)
        user.save()
        user.roles.set([roles[demo.role_code]])
    from openiom.panels.seed import seed_panels

    seed_panels(coordinator_email=f"coordinator@{DEMO_DOMAIN}")
    _seat_demo_users()
    return list(DEMO_USERS)


# Demo users who hold a seat on a panel (panel code, agency code, post, e-mail), so that the
# papers and minutes reach someone in the demo.
DEMO_SEATS = (
    ("iom", "probation", "Senior Probation Officer", f"panel.chair@{DEMO_DOMAIN}"),
    ("iom", "police", "PPO Officer", f"police.officer@{DEMO_DOMAIN}"),
    ("iom", "csp", "Community Safety Data Analyst", f"analyst@{DEMO_DOMAIN}"),
    ("iom", "housing", "Head of Housing Operations", f"practitioner@{DEMO_DOMAIN}"),
    ("dyo", "yot", "YOT Assistant Manager/Manager", f"yot.worker@{DEMO_DOMAIN}"),
    ("dyo", "csp", "IOM Co-ordinator", f"coordinator@{DEMO_DOMAIN}"),
)


def _seat_demo_users() -> None:
    from openiom.panels.models import PanelMember

    for panel, agency, post, email in DEMO_SEATS:
        PanelMember.objects.filter(panel__code=panel, agency__code=agency, post=post, user=None).update(
            user=User.objects.get(email=email)
        )


DEMO_PEOPLE = 3000
DEMO_SEED = 2026


def load_demo_data(folder: Path, *, people: int = DEMO_PEOPLE, seed: int = DEMO_SEED) -> dict[str, object]:
    """Generate a borough-sized synthetic data set, import it and link its records.

    Idempotent: a second run finds the delivery already imported and changes nothing.
    """
    from openiom.datastandard import files_from_dir
    from openiom.imports.constants import DeliveryStatus, Origin
    from openiom.imports.models import Delivery
    from openiom.imports.services import import_files
    from openiom.people.linking import run_linkage
    from openiom.synthetic.cli import main as generate

    if not (folder / "ground_truth.csv").exists():
        code = generate(["--people", str(people), "--years", "10", "--seed", str(seed), "--out", str(folder)])
        if code != 0:
            raise RuntimeError(f"the synthetic data generator failed with exit code {code}")
    files = files_from_dir(folder)
    delivery = import_files(files, origin=Origin.COMMAND, command_user="demo")
    if delivery.status != DeliveryStatus.IMPORTED:
        raise RuntimeError(f"the demo data did not import: {delivery.errors[:3]}")
    created = sum(c["created"] for c in delivery.changes.values())
    linkage: dict[str, object] = {}
    if created:  # a fresh import: link the new records
        linkage = run_linkage()
    return {
        "delivery": delivery.pk,
        "rows": delivery.row_counts,
        "created": created,
        "deliveries": Delivery.objects.count(),
        "linkage": linkage,
    }


DEMO_RUN_LABEL = "Demo selection"


def load_demo_selection() -> dict[str, object]:
    """One cohort selection run on the demo data, so the Cohort section is not empty.

    As of the latest outcome in the data (the extract date), with the default settings, started
    by the demo co-ordinator. Idempotent: set up again, the demo keeps its first run.
    """
    from django.db.models import Max
    from django.utils import timezone

    from openiom.cohort.models import SelectionRun
    from openiom.cohort.services import start_selection_run
    from openiom.offending.models import Offence

    existing = SelectionRun.objects.filter(label=DEMO_RUN_LABEL).order_by("pk").first()
    if existing is not None:
        return {"run": existing.pk, "created": False, "status": existing.status, "nominated": existing.nominated}
    latest = Offence.objects.aggregate(latest=Max("outcome_date"))["latest"]
    as_of = min(latest or timezone.localdate(), timezone.localdate())
    coordinator = User.objects.get(email=next(u.email for u in DEMO_USERS if u.role_code == "iom_coordinator"))
    run = start_selection_run(user=coordinator, as_of=as_of, config={}, label=DEMO_RUN_LABEL, in_background=False)
    return {"run": run.pk, "created": True, "status": run.status, "nominated": run.nominated}
