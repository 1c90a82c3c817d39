"""What happened, published by the write that made it happen; whoever cares listens.

A write function publishes an event — a small frozen dataclass of ids — inside its own
transaction. The publisher never knows its listeners: notifications, escalation rules and
statistics subscribe in their app's `AppConfig.ready()`, so a workflow does not import
every app that will ever want to hear about it (Saleor's and Zulip's "send on commit").

A listener runs either
- on commit (the default): for side effects such as telling people. Nobody hears of a step
  that was rolled back, and a listener that fails never undoes the step (it is logged);
- at once, inside the publisher's transaction (`at_once=True`): for what must stay true
  with the write, such as an enterprise's open hazards moving with it. If it fails, the
  write fails.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from django.db import transaction

E = TypeVar("E")
Listener = Callable[[Any], Any]


@dataclass(frozen=True)
class _Subscription:
    listener: Listener
    at_once: bool


_SUBSCRIPTIONS: dict[type, list[_Subscription]] = {}


def listen(event_type: type[E], *, at_once: bool = False) -> Callable[[Callable[[E], Any]], Any]:
    """Register the decorated function for events of `event_type` (once per function)."""

    def register(fn: Callable[[E], Any]) -> Callable[[E], Any]:
        subscriptions = _SUBSCRIPTIONS.setdefault(event_type, [])
        if not any(s.listener is fn for s in subscriptions):
            subscriptions.append(_Subscription(fn, at_once))
        return fn

    return register


def publish(event: object) -> None:
    """Hand `event` to its listeners: those registered at_once now, the others on commit."""
    for subscription in _SUBSCRIPTIONS.get(type(event), []):
        if subscription.at_once:
            subscription.listener(event)
        else:
            transaction.on_commit(partial(subscription.listener, event), robust=True)


def listeners_of(event_type: type) -> list[Listener]:
    """Who listens to `event_type` (for tests that pin the wiring)."""
    return [s.listener for s in _SUBSCRIPTIONS.get(event_type, [])]
