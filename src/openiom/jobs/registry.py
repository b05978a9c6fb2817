"""Job handlers by kind. An app registers its handler with `@job_handler("kind")`.

A handler may also say what to tidy up when a job of its kind was stopped part way
(`on_interrupted`, e.g. mark the import's delivery as interrupted) and whether such a
job can be run again (`can_rerun`, e.g. only while the uploaded files are still there).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from .models import Job


class Progress(Protocol):
    def __call__(self, done: int, total: int, message: str = "") -> None: ...


Handler = Callable[[Job, Progress], None]
JobHook = Callable[[Job], None]
JobCheck = Callable[[Job], bool]


@dataclass(frozen=True)
class _Registration:
    handler: Handler
    on_interrupted: JobHook | None = None
    can_rerun: JobCheck | None = None


_HANDLERS: dict[str, _Registration] = {}


def job_handler(
    kind: str, *, on_interrupted: JobHook | None = None, can_rerun: JobCheck | None = None
) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        if kind in _HANDLERS and _HANDLERS[kind].handler is not func:
            raise RuntimeError(f"A job handler for {kind!r} is already registered")
        _HANDLERS[kind] = _Registration(func, on_interrupted, can_rerun)
        return func

    return register


def _registration(kind: str) -> _Registration:
    try:
        return _HANDLERS[kind]
    except KeyError:
        raise LookupError(f"No job handler is registered for {kind!r}") from None


def handler_for(kind: str) -> Handler:
    return _registration(kind).handler


def tidy_interrupted(job: Job) -> None:
    """Run the kind's clean-up for a job that was stopped part way (nothing if it has none)."""
    hook = _HANDLERS[job.kind].on_interrupted if job.kind in _HANDLERS else None
    if hook:
        hook(job)


def can_rerun(job: Job) -> bool:
    if job.kind not in _HANDLERS:
        return False
    check = _HANDLERS[job.kind].can_rerun
    return True if check is None else check(job)
