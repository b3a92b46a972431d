"""Start-up checks: refuse to run with rule-set files that do not load."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register

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
