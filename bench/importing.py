"""Import of a zone's whole registry (2,500 rows): preview + commit wall time ≤ 5 s.

The file is the seeded zone's own export (the import template's columns, Chinese labels), so
it is the file a zone would really send back. The zone's enterprises are then removed, leaving
the same grids empty, and the file is previewed and committed as the zone admin would.
"""

from __future__ import annotations

from bench.common import engine, note, report, seed, stopwatch

BUDGET_S = 5.0


def _empty_the_registry() -> None:
    from anjian.accounts.models import User
    from anjian.enterprises.models import Enterprise

    User.objects.filter(enterprise__isnull=False).delete()
    Enterprise.objects.update(landlord=None)
    Enterprise.objects.all().delete()


def run(scale: str = "zone") -> bool:
    from anjian.accounts.models import User
    from anjian.enterprises import importing
    from anjian.enterprises.exporting import export_xlsx
    from anjian.enterprises.models import Enterprise

    seed("zone")
    admin = User.objects.get(username="demo-admin")
    content = export_xlsx(Enterprise.objects.all())
    expected = Enterprise.objects.count()
    _empty_the_registry()

    with stopwatch() as t_preview:
        checked = importing.preview(content, "registry.xlsx", by=admin)
    if not checked.ok:
        first = checked.errors[:5]
        report(f"import {expected} rows ({engine()})", float("inf"), BUDGET_S, "s")
        note(f"the preview refused the file: {checked.file_error or first}")
        return False
    with stopwatch() as t_commit:
        done = importing.commit(content, "registry.xlsx", by=admin, on_duplicate=None)
    total = t_preview[0] + t_commit[0]
    ok = report(f"import {done.created:,} rows, preview+commit ({engine()})", total, BUDGET_S, "s")
    note(
        f"preview {t_preview[0]:.2f} s, commit {t_commit[0]:.2f} s "
        f"(commit parses the file again); file {len(content) / 1e6:.2f} MB xlsx"
    )
    if done.created != expected:
        note(f"expected {expected} enterprises, created {done.created}")
        return False
    return ok
