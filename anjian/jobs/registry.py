"""Which function runs each kind of job.

    @handler("hazards.import")
    def run(job: Job, progress: Progress) -> dict: ...

The function's return value is stored as the job's result (JSON). It reports how far it got
with `progress(done, total, message)`; raising fails the job with the exception's text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from anjian.jobs.models import Job


class Progress(Protocol):
    def __call__(self, done: int, total: int, message: str = "") -> None: ...


Handler = Callable[["Job", Progress], dict[str, Any]]

HANDLERS: dict[str, Handler] = {}
LABELS: dict[str, Any] = {}


def handler(kind: str, label: Any = None) -> Callable[[Handler], Handler]:
    """Register the function that runs jobs of `kind`; `label` names the kind on pages."""

    def register(fn: Handler) -> Handler:
        if label is not None:
            LABELS[kind] = label
        known = HANDLERS.get(kind)
        if known is not None and (known.__module__, known.__qualname__) != (
            fn.__module__,
            fn.__qualname__,
        ):
            raise ValueError(f"two handlers for job kind {kind!r}")
        HANDLERS[kind] = fn
        return fn

    return register


def path_of(kind: str) -> str:
    """Where the handler of `kind` lives, so another process can import it."""
    try:
        fn = HANDLERS[kind]
    except KeyError:
        raise LookupError(f"no handler registered for job kind {kind!r}") from None
    return fn.__module__


def lookup(kind: str, module: str) -> Handler:
    if kind not in HANDLERS:
        __import__(module)
    return HANDLERS[kind]
