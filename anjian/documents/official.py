"""The official elements every document prints the same way: the date in Chinese, the
issuing body's closing with its seal, the sign-for line (签收) and the copies line."""

from __future__ import annotations

import datetime


def chinese_date(d: datetime.date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def received_line(label: str, received_by: str, served_on: datetime.date | None) -> str:
    """The sign-for line: who signed and when, or blanks to sign on paper."""
    if received_by:
        return f"{label}（签收）：{received_by}　　{chinese_date(served_on)}"
    return f"{label}（签收）：　　　　　　　　年　　月　　日"


def closing(authority: str, issued_on: datetime.date) -> list[str]:
    """The issuing body (where its seal goes) and the date of issue, right-aligned."""
    return [f"{authority}（印章）", chinese_date(issued_on)]


def copies_line(authority: str, recipient: str = "被检查单位") -> str:
    return f"本文书一式两份：一份由{authority}存档，一份交{recipient}。"
