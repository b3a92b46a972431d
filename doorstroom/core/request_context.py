"""Where the current request comes from, for the audit trail (set by middleware)."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip_address: str | None = None
    user_agent: str = ""


_NONE = RequestContext()  # frozen, so sharing it as the "outside a request" value is safe
_current: ContextVar[RequestContext | None] = ContextVar("doorstroom_request", default=None)


def current() -> RequestContext:
    return _current.get() or _NONE


def set_current(context: RequestContext) -> object:
    return _current.set(context)


def reset(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]
