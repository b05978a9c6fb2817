"""One step of building the force-sized load-test database; `prepare.sh` runs them in order.

    .venv/bin/python scripts/load/seed_force.py STEP --people N [--out FILE]

Steps: link (record linkage), select (a cohort selection run), staff, cases (open cases),
history (closed cases of earlier years), panels, targets, logins (the load test's accounts).
Sizes follow the number of people: about one open case per 200 people known to the agencies
(500 for 100,000), at least 40. Synthetic data only; every change goes through the services.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openiom.settings")

STEPS = ("link", "select", "staff", "cases", "history", "panels", "targets", "logins")


def sizes(people: int) -> dict[str, int]:
    open_cases = max(40, people // 200)
    return {
        "open_cases": open_cases,
        "young": max(4, open_cases // 10),  # Deter Young Offenders: about a tenth of the cohort
        "history_adults": max(4, open_cases // 16),  # adults entering each quarter in earlier years
        "history_young_january": max(2, open_cases // 60),
        "history_young_july": max(1, open_cases // 250),
        "referrals_per_meeting": max(4, open_cases // 40),
    }


def select(size: dict[str, int]) -> str:
    """The co-ordinator's selection run as `openiom.demo.load_demo_selection` starts it (as of the data's
    extract date, default settings), asking for enough nominations to fill a force's caseload and
    six months of panel referrals."""
    import time

    from django.db.models import Max
    from django.utils import timezone

    from openiom.accounts.models import User
    from openiom.cohort.models import SelectionRun
    from openiom.cohort.services import start_selection_run
    from openiom.offending.models import Offence

    if SelectionRun.objects.filter(label=RUN_LABEL).exists():
        return "kept from an earlier set-up"
    started = time.perf_counter()
    latest = Offence.objects.aggregate(latest=Max("outcome_date"))["latest"]
    as_of = min(latest or timezone.localdate(), timezone.localdate())
    coordinator = User.objects.get(email="coordinator@openiom.test")
    wanted = {
        "nominations_wanted": (size["open_cases"] - size["young"]) + 8 * size["referrals_per_meeting"],
        "dyo_nominations_wanted": 3 * size["young"],
    }
    run = start_selection_run(user=coordinator, as_of=as_of, config=wanted, label=RUN_LABEL, in_background=False)
    return (
        f"run {run.pk} as of {as_of:%-d %B %Y}: {run.status}, {run.nominated} nominated "
        f"(asked for {wanted['nominations_wanted']} adults and {wanted['dyo_nominations_wanted']} young people), "
        f"in {time.perf_counter() - started:.0f} s"
    )


RUN_LABEL = "Force selection"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", choices=STEPS)
    parser.add_argument("--people", type=int, required=True, help="People in the generated delivery (sets the sizes)")
    parser.add_argument("--out", type=Path, default=Path("var/load/logins.json"), help="logins: where to write them")
    args = parser.parse_args(argv)
    if args.people < 100:
        parser.error("--people must be at least 100")
    import django

    django.setup()
    size = sizes(args.people)
    from force_staff import load_staff

    if args.step == "link":
        from openiom.people.linking import run_linkage

        print(f"Record linkage: {run_linkage()}")
    elif args.step == "select":
        print(f"Cohort selection: {select(size)}")
    elif args.step == "staff":
        from force_staff import seed_staff

        staff = seed_staff(size["open_cases"])
        print("Staff: " + ", ".join(f"{len(m)} {team}" for team, m in staff.teams.items()))
    elif args.step == "cases":
        from force_cases import seed_open_cases

        adults = size["open_cases"] - size["young"]
        print(f"Open cases: {seed_open_cases(load_staff(), adults=adults, young=size['young'])}")
    elif args.step == "history":
        from force_cases import seed_history

        summary = seed_history(
            load_staff(),
            adults=size["history_adults"],
            young_january=size["history_young_january"],
            young_july=size["history_young_july"],
        )
        print(f"Case history: {summary}")
    elif args.step == "panels":
        from force_panels import seed_panels

        print(f"Panels: {seed_panels(load_staff(), referrals_per_meeting=size['referrals_per_meeting'])}")
    elif args.step == "targets":
        from openiom.evaluation.demo import seed_demo_targets

        print(f"Targets: {seed_demo_targets(load_staff().team('analyst')[0])} created")
    elif args.step == "logins":
        from force_staff import seed_logins

        print(f"Load-test logins written to {args.out}: {seed_logins(args.out)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
