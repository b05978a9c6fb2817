"""Job handlers by kind. An app registers its handler with `@job_handler("kind")`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from .models import Job


class Progress(Protocol):
    def __call__(self, done: int, total: int, message: str = "") -> None: ...


Handler = Callable[[Job, Progress], None]
_HANDLERS: dict[str, Handler] = {}


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        if kind in _HANDLERS and _HANDLERS[kind] is not func:
            raise RuntimeError(f"A job handler for {kind!r} is already registered")
        _HANDLERS[kind] = func
        return func

    return register


def handler_for(kind: str) -> Handler:
    try:
        return _HANDLERS[kind]
    except KeyError:
        raise LookupError(f"No job handler is registered for {kind!r}") from None
