"""How a figure reads in the API: the dashboard's and the breakdown's answers."""

from __future__ import annotations

import builtins

from pydantic import BaseModel


class FigureOut(BaseModel):
    key: str
    label: str
    value: float | int | None
    list: str | None
    # A rate or an average: the keys of the figures it is computed from.
    of: builtins.list[str] | None = None
    unit: str | None = None
