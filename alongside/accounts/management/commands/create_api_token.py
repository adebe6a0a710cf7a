from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.accounts.models import User
from alongside.accounts.tokens import token_create


class Command(BaseCommand):
    help = (
        "Create an API token acting as USERNAME and print its secret. The secret is shown "
        "only once; only a hash of it is stored."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="What the token is for.")
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Expire after this many days (default: until revoked).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist:
            raise CommandError(f"No user named {options['username']!r}.") from None
        if not user.is_active:
            raise CommandError(f"{user.username} is not active.")
        try:
            token, secret = token_create(user=user, name=options["name"], days=options["days"])
        except ValidationError as error:
            messages = "; ".join(m for ms in error.message_dict.values() for m in ms)
            raise CommandError(messages) from None
        expiry = (
            f"expires {token.expires_at:%Y-%m-%d %H:%M %Z}"
            if token.expires_at
            else ("does not expire")
        )
        self.stderr.write(f"Token {token.name!r} for {user.username} ({expiry}).")
        self.stderr.write("Store this secret now; it will not be shown again:")
        self.stdout.write(secret)
