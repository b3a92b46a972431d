"""Start-up checks: refuse to run with rule-set files that do not load."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

from doorstroom.rules import RuleSetError


@register()
def rulesets_load(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    from doorstroom.core.regulation import rulesets

    rulesets.cache_clear()
    try:
        rulesets()
    except (RuleSetError, OSError) as exc:
        return [
            Error(
                f"The rule sets do not load: {exc}",
                hint="Fix or remove the file named "
                "(see DOORSTROOM_RULESETS_DIR and docs/rules.md).",
                id="doorstroom.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def security_contact_set(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """An installation going live publishes where to report a vulnerability (issue 10)."""
    if settings.DOORSTROOM_SECURITY_CONTACT:
        return []
    return [
        Warning(
            "No security contact: /.well-known/security.txt answers 404.",
            hint="Set DOORSTROOM_SECURITY_CONTACT, e.g. mailto:security@your-ocmw.be "
            "(docs/security.md, 'Reporting a vulnerability').",
            id="doorstroom.W001",
        )
    ]
