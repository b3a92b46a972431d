"""The one way to give someone without an account a secret link (mentor, 360°, client).

``issue`` creates a link and returns the token once (to put in an e-mail); only its SHA-256 is
stored, so a database leak gives no working links. ``resolve`` answers what a token is worth:
valid, expired, already used, revoked or unknown (a tampered token is simply unknown). Pages
behind a link show a clear page for every state but "valid" and change nothing.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
import smtplib
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from doorstroom.core.errors import DomainError
from doorstroom.core.models import AccessLink
from doorstroom.core.text import short_date

TOKEN_BYTES = 32


class LinkState(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    USED = "used"
    REVOKED = "revoked"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Resolved:
    state: LinkState
    link: AccessLink | None = None

    @property
    def valid(self) -> bool:
        return self.state is LinkState.VALID


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue(
    purpose: str,
    *,
    organisation: Any,
    days: int,
    by: Any,
    name: str = "",
    email: str = "",
    single_use: bool = True,
) -> tuple[AccessLink, str]:
    """Create a link valid for ``days`` days; return it with its token (shown only now)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = AccessLink.objects.create(
        purpose=purpose,
        token_hash=_hash(token),
        name=name,
        email=email,
        organisation=organisation,
        created_by=by,
        expires_at=timezone.now() + datetime.timedelta(days=days),
        single_use=single_use,
    )
    return link, token


def resolve(token: str, purpose: str) -> Resolved:
    """Tell what ``token`` is worth for ``purpose``, without changing anything."""
    if not token or len(token) > 100:
        return Resolved(LinkState.UNKNOWN)
    link = AccessLink.objects.filter(token_hash=_hash(token), purpose=purpose).first()
    if link is None:
        return Resolved(LinkState.UNKNOWN)
    if link.revoked_at is not None:
        return Resolved(LinkState.REVOKED, link)
    if link.single_use and link.used_at is not None:
        return Resolved(LinkState.USED, link)
    if link.expires_at <= timezone.now():
        return Resolved(LinkState.EXPIRED, link)
    return Resolved(LinkState.VALID, link)


def mark_opened(link: AccessLink) -> bool:
    """Record the first opening; return True when this was the first time."""
    now = timezone.now()
    first = AccessLink.objects.filter(pk=link.pk, opened_at__isnull=True).update(opened_at=now)
    if first:
        link.opened_at = now
    return bool(first)


def mark_sent(link: AccessLink) -> None:
    link.sent_at = timezone.now()
    AccessLink.objects.filter(pk=link.pk).update(sent_at=link.sent_at)


def consume(link: AccessLink) -> bool:
    """Use a single-use link once: False when someone used it in the meantime (race-safe)."""
    now = timezone.now()
    used = AccessLink.objects.filter(
        pk=link.pk, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    if used:
        link.used_at = now
    return bool(used)


def revoke(link: AccessLink | None) -> None:
    if link is None or link.revoked_at is not None:
        return
    link.revoked_at = timezone.now()
    AccessLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
        revoked_at=link.revoked_at
    )


def email_link(link: AccessLink, url: str, template: str, context: dict[str, Any]) -> None:
    """E-mail ``url`` to ``link.email`` in Dutch (our respondents are Flemish) and record it.

    ``template`` names ``<template>_subject.txt`` and ``<template>_email.txt``; they get
    ``context`` plus ``url``, ``expires`` and ``site_name``. Raises DomainError when the mail
    server refuses, so that the caller's transaction (and the new link) is rolled back.
    """
    with translation.override(settings.LANGUAGE_CODE):
        full = {
            **context,
            "url": url,
            "expires": short_date(timezone.localtime(link.expires_at).date()),
            "site_name": settings.DOORSTROOM_SITE_NAME,
        }
        subject = render_to_string(f"{template}_subject.txt", full).strip()
        body = render_to_string(f"{template}_email.txt", full)
    try:
        EmailMessage(subject, body, to=[link.email]).send()
    except (smtplib.SMTPException, OSError) as error:
        raise DomainError(
            _("The e-mail to %(email)s could not be sent; try again later.") % {"email": link.email}
        ) from error
    mark_sent(link)
