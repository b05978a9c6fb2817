"""The demo directory: about 25 synthetic services of the fictional borough of Riverside.

`seed_demo_services()` adds the services of `data/demo_services.csv` that are not in the
directory yet (matched by name and provider) and never overwrites a service someone has edited,
so calling it again changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from .importer import read_services
from .models import Service
from .services import create_service

DEMO_FILE = Path(__file__).parent / "data" / "demo_services.csv"


@transaction.atomic
def seed_demo_services() -> list[Service]:
    """The demo services, in the file's order (created where missing)."""
    rows, problems = read_services(DEMO_FILE.read_bytes())
    if problems:  # a defect in the shipped file, not a user's mistake
        raise ValueError("The demo services file is not valid: " + "; ".join(str(p) for p in problems))
    return [row.existing or create_service(row.data, by=None) for row in rows]
