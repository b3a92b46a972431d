"""The one domain error type that services raise, and its stale-edit variant."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A rule refused the action; ``field`` names the form field it concerns, if any."""

    def __init__(
        self, message: str | Promise, *, field: str | None = None, code: str = "invalid"
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code

    def __str__(self) -> str:
        return str(self.message)


class StaleEditError(DomainError):
    """Someone else saved the record after it was opened (optimistic locking)."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Someone else changed this record after you opened it. "
                "Reload the page to see their changes, then make yours again."
            ),
            code="stale",
        )
