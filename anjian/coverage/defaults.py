"""The default coverage policy rows (RULES.md §2.7, local practice [L]), as plain data, and
the functions the data migration loads them with (given the migration's app registry).

Every enterprise in a grid once a quarter (苏州横泾: "full quarterly coverage"); the key
industries and the red-risk enterprises once a month (永仁县: grid chiefs visit their key
enterprises at least monthly). The high-risk sectors are those of Safety Law art. 24 that a
zone's registry holds: hazardous chemicals, fireworks and metal smelting (metallurgy).
"""

from __future__ import annotations

from typing import Any

QUARTERLY = "RULES.md §2.7: full quarterly coverage of the enterprises in a grid (Suzhou Hengjing)"
MONTHLY = "RULES.md §2.7: key enterprises visited at least monthly (Yongren County)"

DEFAULTS: list[dict[str, Any]] = [
    {"sector": "", "risk_class": "", "visits": 1, "period": "quarter", "source": QUARTERLY},
    {"sector": "hazardous_chemicals", "risk_class": "", "visits": 1, "period": "month", "source": MONTHLY},
    {"sector": "fireworks", "risk_class": "", "visits": 1, "period": "month", "source": MONTHLY},
    {"sector": "metallurgy", "risk_class": "", "visits": 1, "period": "month", "source": MONTHLY},
    {"sector": "", "risk_class": "red", "visits": 1, "period": "month", "source": MONTHLY},
]  # fmt: skip


def load(apps: Any) -> None:
    Policy = apps.get_model("fieldwork", "CoveragePolicy")
    for row in DEFAULTS:
        Policy.objects.get_or_create(
            zone=None,
            sector=row["sector"],
            risk_class=row["risk_class"],
            standardization_grade="",
            defaults={
                "visits": row["visits"],
                "period": row["period"],
                "source_tag": "L",
                "source": row["source"],
            },
        )


def unload(apps: Any) -> None:
    apps.get_model("fieldwork", "CoveragePolicy").objects.filter(zone=None).delete()
