"""Writes on users and organisations (one transaction, audited)."""

from __future__ import annotations

import hashlib
import secrets
import unicodedata

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstroom.accounts.models import ApiToken, User
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


@transaction.atomic
def api_token_create(user: User, *, name: str, by: User) -> tuple[ApiToken, str]:
    """Create a personal API token; the key is returned once and only its hash is kept."""
    name = name.strip()
    if not name:
        raise DomainError(_("Give the token a name, e.g. the script that uses it."), field="name")
    if any(unicodedata.category(c) == "Cc" for c in name):  # e.g. NUL, refused by PostgreSQL
        raise DomainError(_("The name may not contain control characters."), field="name")
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name[:100], prefix=key[:8], key_hash=api_key_hash(key)
    )
    audit(by, "accounts.api_token.created", user, {"name": token.name, "prefix": token.prefix})
    return token, key


@transaction.atomic
def api_token_revoke(token: ApiToken, *, by: User) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit(by, "accounts.api_token.revoked", token.user, {"prefix": token.prefix})


def api_key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()
