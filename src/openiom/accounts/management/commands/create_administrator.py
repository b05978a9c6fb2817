from __future__ import annotations

import getpass
import sys
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from openiom.accounts.constants import AgencyType
from openiom.accounts.models import Agency, Role, User, code_validator
from openiom.accounts.services import reconcile_roles


class Command(BaseCommand):
    help = (
        "Create the first administrator of a new installation, and their agency if it does not exist yet. "
        "The password is asked for twice (or read from standard input with --password-stdin). The administrator "
        "then adds the partnership's agencies and users in the site; two-factor authentication is set up at the "
        "first sign-in."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", required=True, help="The administrator's full name.")
        parser.add_argument("--agency-code", required=True, help="Short code of their agency, e.g. csp.")
        parser.add_argument("--agency-name", help="The agency's name (needed when the agency is new).")
        parser.add_argument(
            "--agency-type", default=AgencyType.COMMUNITY_SAFETY, choices=AgencyType.values, help="For a new agency."
        )
        parser.add_argument("--password-stdin", action="store_true", help="Read the password from standard input.")

    def handle(self, *args: Any, **options: Any) -> None:
        email = User.objects.normalize_email(options["email"]).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"A user with the e-mail address {email} already exists.")
        code = options["agency_code"].strip().lower()
        try:
            code_validator(code)
        except ValidationError as exc:
            raise CommandError(f"--agency-code: {' '.join(exc.messages)}") from None
        agency = Agency.objects.filter(code=code).first()
        if agency is None and not (options["agency_name"] or "").strip():
            raise CommandError(f"There is no agency {code!r} yet: give its name with --agency-name.")
        password = self._password(options["password_stdin"])
        candidate = User(email=email, full_name=options["name"])
        try:
            validate_password(password, candidate)
        except ValidationError as exc:
            raise CommandError("The password was refused: " + " ".join(exc.messages)) from None
        with transaction.atomic():
            reconcile_roles()
            if agency is None:
                agency = Agency.objects.create(
                    code=code, name=options["agency_name"].strip(), agency_type=options["agency_type"]
                )
            # The audit trail records the new user (the model is registered with auditlog).
            user = User.objects.create_user(email, password, full_name=options["name"].strip(), agency=agency)
            user.roles.set([Role.objects.get(code="administrator")])
        self.stdout.write(self.style.SUCCESS(f"Administrator {email} created ({agency.name})."))

    def _password(self, from_stdin: bool) -> str:
        if from_stdin:
            return sys.stdin.readline().rstrip("\n")
        first = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != first:
            raise CommandError("The two passwords are not the same.")
        return first
