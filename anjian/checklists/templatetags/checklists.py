"""Filters naming a checklist's sectors and tags in the reader's language."""

from __future__ import annotations

from typing import Any

from django import template

from anjian.enterprises.models import Sector, Tag

register = template.Library()


def _labels(choices: Any, codes: list[str]) -> str:
    known = dict(choices.choices)
    return "、".join(str(known.get(code, code)) for code in codes)


@register.filter
def sector_labels(codes: list[str]) -> str:
    return _labels(Sector, codes)


@register.filter
def tag_labels(codes: list[str]) -> str:
    return _labels(Tag, codes)
