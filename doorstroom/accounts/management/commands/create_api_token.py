"""``manage.py create_api_token <email> [--name NAME]``: print a new personal API token."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from doorstroom.accounts.models import User
from doorstroom.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Create a personal API token for a user and print it (shown only once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", default="command line")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user with e-mail address {options['email']}.")
        _token, key = api_token_create(user, name=options["name"], by=user)
        self.stdout.write(key)
