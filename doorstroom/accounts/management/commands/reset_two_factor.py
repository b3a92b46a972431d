"""``manage.py reset_two_factor <email>``: remove a user's second factor (lost phone and codes)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from doorstroom.accounts.models import User
from doorstroom.accounts.two_factor import two_factor_reset


class Command(BaseCommand):
    help = (
        "Remove a user's two-factor authentication after checking who they are; they set it up "
        "again at their next login. Audited."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"]).first()
        if user is None:
            raise CommandError(f"No user with e-mail address {options['email']}.")
        if two_factor_reset(user=user, by=None, label="manage.py reset_two_factor"):
            self.stdout.write(f"Two-factor authentication removed for {user.email}.")
        else:
            self.stdout.write(f"{user.email} had no two-factor authentication.")
