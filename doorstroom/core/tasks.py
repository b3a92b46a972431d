"""Background tasks (Django tasks API; the database backend's worker runs them)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task


@task()
def send_email(*, subject: str, body: str, to: list[str]) -> int:
    """Send one plain-text e-mail."""
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
