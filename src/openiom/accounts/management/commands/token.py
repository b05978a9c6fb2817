from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from openiom.accounts.constants import TokenScope
from openiom.accounts.models import ApiToken, User
from openiom.accounts.services import create_api_token, revoke_api_token


class Command(BaseCommand):
    help = (
        "Manage API tokens: 'token create EMAIL [--name NAME] [--scope read|write|ingest ...]' prints a new "
        "token (read-only unless scopes are given); 'token list EMAIL'; 'token revoke ID'. Creating and "
        "revoking are written to the audit trail and e-mailed to the token's owner."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token for the user and print it (shown once).")
        create.add_argument("email")
        create.add_argument("--name", default="Command-line token", help="What the token is for.")
        create.add_argument(
            "--scope",
            dest="scopes",
            action="append",
            choices=TokenScope.values,
            help="What the token may do; repeat for several (default: read only).",
        )
        listing = sub.add_parser("list", help="List a user's tokens.")
        listing.add_argument("email")
        revoke = sub.add_parser("revoke", help="Revoke a token by its id (from 'token list').")
        revoke.add_argument("token_id", type=int)

    def _user(self, email: str) -> User:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No user has the e-mail address {email!r}")
        return user

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            try:
                token, raw = create_api_token(
                    user=self._user(options["email"]),
                    name=options["name"],
                    scopes=options["scopes"] or ["read"],
                    via="openiom token command",
                )
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from None
            self.stdout.write(raw)
            self.stderr.write(f"Token {token.pk} created with the scopes: {token.scope_labels()}")
        elif action == "list":
            for token in self._user(options["email"]).api_tokens.all():
                state = "active" if token.is_usable else "revoked"
                self.stdout.write(f"{token.pk}\t{token.prefix}…\t{state}\t{token.scope_labels()}\t{token.name}")
        else:
            found = ApiToken.objects.filter(pk=options["token_id"]).first()
            if found is None:
                raise CommandError(f"No token has the id {options['token_id']}")
            if found.revoked_at is not None:
                self.stdout.write(f"Token {found.pk} was already revoked")
                return
            revoke_api_token(token=found, via="openiom token command")
            self.stdout.write(f"Token {found.pk} revoked; its owner has been e-mailed")
