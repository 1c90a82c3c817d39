"""Places on a page that other apps fill: the enterprise page shows its hazards, visits,
checklists and notices without the registry importing any of those apps.

The page's app declares a `Slot` (in its `pages.py`); an app that has something to show
there adds a panel — a template and a function that gives its context for one record and
one viewer, or None to show nothing — from its AppConfig.ready(). The page's view renders
the slot, and its template prints the panels in order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

Context = Callable[[HttpRequest, Any], dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    template: str
    context: Context
    order: int


class Slot:
    """A named place on one kind of page."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._panels: list[Panel] = []

    def add(self, template: str, context: Context, *, order: int = 100) -> None:
        """Show `template` with `context(request, record)` here (once per template)."""
        self._panels = [p for p in self._panels if p.template != template]
        self._panels.append(Panel(template, context, order))
        self._panels.sort(key=lambda p: p.order)

    def render(self, request: HttpRequest, record: Any) -> list[SafeString]:
        """Each panel's HTML for this record and viewer, in order."""
        html = []
        for panel in self._panels:
            context = panel.context(request, record)
            if context is not None:
                html.append(SafeString(render_to_string(panel.template, context, request=request)))
        return html

    @property
    def templates(self) -> list[str]:
        return [p.template for p in self._panels]
