"""Writes on users and organisations (one transaction, audited)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from doorstroom.accounts.models import User
from doorstroom.core.audit import audit
from doorstroom.core.errors import DomainError


def user_set_language(*, user: User, language: str, by: User) -> None:
    """Store the user's interface language."""
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise DomainError("Unknown language.", field="language")
    if user.language == language:
        return
    with transaction.atomic():
        old = user.language
        user.language = language
        user.save(update_fields=["language"])
        audit(by, "accounts.user.language_changed", user, {"language": [old, language]})
