"""The tables' versions move with every write, whoever makes it, and an answer kept under
them is served only while they stand (statistics.versions)."""

from __future__ import annotations

import datetime
import threading
import time
import unittest
from collections.abc import Sequence
from typing import Any

from django.core.cache import cache
from django.db import OperationalError, connection, transaction
from django.test import TestCase, TransactionTestCase
from django.test.utils import CaptureQueriesContext

from anjian.accounts.models import Role, User
from anjian.coverage.tests.test_coverage import visit
from anjian.enterprises.models import Enterprise
from anjian.fieldwork.models import Visit
from anjian.hazards.models import Hazard
from anjian.races import run_together
from anjian.regions.models import Grid, Region, RegionLevel
from anjian.statistics import tallies, versions
from anjian.statistics.models import TableVersion, VisitTally
from anjian.test import make_enterprise, make_grid, make_region, make_user

ENTERPRISES = Enterprise._meta.db_table
VISITS = Visit._meta.db_table
HAZARDS = Hazard._meta.db_table
GRIDS = Grid._meta.db_table
COUNT = f'SELECT COUNT(*) FROM "{ENTERPRISES}" WHERE "{ENTERPRISES}"."status" = %s'


def kept() -> dict[str, tuple[int, ...]]:
    """Each name's version: its row and, on PostgreSQL, the rows each server process keeps
    for it ("name:pid")."""
    out: dict[str, list[int]] = {}
    for name, n in TableVersion.objects.order_by("name").values_list("name", "n"):
        out.setdefault(name.split(":", 1)[0], []).append(n)
    return {name: tuple(ns) for name, ns in out.items()}


def version(table: str) -> tuple[int, ...]:
    return kept()[table]


def count_operating() -> tuple[int, int]:
    """The count through the cache, and how many statements it took."""
    with CaptureQueriesContext(connection) as ran:
        ((n,),) = versions.fetch(COUNT, ["operating"])
    return n, len(ran)


class World:
    def make_world(self) -> None:
        self.zone = zone = make_region("示范区", RegionLevel.ZONE, code="01")
        office = make_region("东城办事处", RegionLevel.OFFICE, zone, code="01")
        self.village = make_region("杨桥村", RegionLevel.VILLAGE, office, code="001")
        self.grid = make_grid(self.village, "杨桥第一网格", "GA")
        self.enterprise = make_enterprise(self.grid)

    def make_officer(self) -> User:
        """An officer of the enterprise's office, to record its visits."""
        return make_user("li", Role.OFFICER, region=self.enterprise.office, certificate_no="执01")

    def make_west(self) -> tuple[Region, Enterprise]:
        """A second office of the zone, and an enterprise in it."""
        west = make_region("西城办事处", RegionLevel.OFFICE, self.zone, code="02")
        village = make_region("柳村", RegionLevel.VILLAGE, west, code="002")
        return west, make_enterprise(make_grid(village, "柳村网格", "GB"))


class VersionTests(World, TestCase):
    def setUp(self) -> None:
        cache.clear()
        self.make_world()

    def test_every_watched_table_has_a_version_and_its_triggers(self) -> None:
        d = versions.dialect(connection.vendor)
        assert d is not None
        with connection.cursor() as cursor:
            self.assertEqual(d.existing(cursor), d.triggers())
        names = set(kept())
        generations = {versions.generation(t) for t in versions.PARTITIONED}
        self.assertEqual(names, set(versions.WATCHED) | generations)
        for table in ("hazards_hazard", "fieldwork_visit", ENTERPRISES, "fieldwork_visit_people"):
            self.assertIn(table, versions.WATCHED)

    def test_the_tables_a_statement_names_quoted_or_not(self) -> None:
        self.assertEqual(
            versions.tables_named(
                f'SELECT 1 FROM "{ENTERPRISES}" JOIN regions_grid ON x WHERE "status" = %s'
            ),
            {ENTERPRISES, GRIDS},
        )
        self.assertEqual(versions.tables_named("SELECT 1"), set())

    def test_an_answer_follows_every_write_and_a_rollback(self) -> None:
        self.assertEqual(count_operating()[0], 1)
        make_enterprise(self.grid)
        self.assertEqual(count_operating()[0], 2)
        Enterprise.objects.filter(pk=self.enterprise.pk).update(status="closed")
        self.assertEqual(count_operating()[0], 1)
        try:
            with transaction.atomic():
                Enterprise.objects.all().delete()
                self.assertEqual(count_operating()[0], 0)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        self.assertEqual(count_operating()[0], 1)
        self.assertEqual(Enterprise.objects.filter(status="operating").count(), 1)

    @unittest.skipUnless(connection.vendor == "sqlite", "SQLite's versions move as it writes")
    def test_sqlite_keeps_an_answer_until_a_table_it_names_is_written(self) -> None:
        before = version(ENTERPRISES)
        self.assertEqual(count_operating(), (1, 3))  # versions, the count, versions again
        self.assertEqual(count_operating(), (1, 1))  # versions alone: from the cache
        # A write elsewhere leaves it; one to the table it names moves it.
        make_region("西城办事处", RegionLevel.OFFICE, self.zone)
        self.assertEqual(count_operating(), (1, 1))
        make_enterprise(self.grid, status="closed")
        self.assertNotEqual(version(ENTERPRISES), before)
        self.assertEqual(count_operating(), (1, 3))

    @unittest.skipUnless(connection.vendor == "postgresql", "PostgreSQL's move at commit")
    def test_postgresql_reads_around_the_cache_while_its_own_writes_are_uncommitted(
        self,
    ) -> None:
        # This test's transaction has written: every answer is counted, none kept.
        self.assertEqual(count_operating(), (1, 2))  # versions (and our writes), the count
        self.assertEqual(count_operating(), (1, 2))

    def test_a_statement_on_a_table_not_watched_is_simply_run(self) -> None:
        sql = 'SELECT COUNT(*) FROM "audit_entry"'
        for _ in range(2):
            with CaptureQueriesContext(connection) as ran:
                versions.fetch(sql)
            self.assertEqual(len(ran), 1)

    def test_a_migrate_that_applied_nothing_keeps_every_version(self) -> None:
        before = kept()
        versions.ensure(plan=[])  # as post_migrate sends it when nothing was migrated
        self.assertEqual(kept(), before)
        versions.ensure(plan=[(object(), False)])  # a migration ran: everything renewed
        after = kept()
        self.assertEqual(set(after), set(before))
        self.assertTrue(all(after[t] != before[t] for t in versions.WATCHED))

    def test_tallies_counted_afresh_renew_the_versions_of_what_they_count(self) -> None:
        before = kept()
        tallies.rebuild()
        after = kept()
        for table in (HAZARDS, VISITS):
            self.assertNotEqual(after[table], before[table])
        self.assertEqual(after[ENTERPRISES], before[ENTERPRISES])

    def test_ensure_puts_back_a_dropped_trigger_and_renews_every_version(self) -> None:
        d = versions.dialect(connection.vendor)
        assert d is not None
        before = kept()
        name, (table, _definition) = next(iter(d.triggers().items()))
        with connection.cursor() as cursor:
            for sql in d.drop(name, table):
                cursor.execute(sql)
            self.assertNotIn(name, d.existing(cursor))
        # (Logged as with DEBUG on, which formats each statement with its parameters.)
        with CaptureQueriesContext(connection):
            versions.ensure()
        with connection.cursor() as cursor:
            self.assertEqual(d.existing(cursor), d.triggers())
        after = kept()
        self.assertEqual(set(after), set(before))
        self.assertTrue(all(after[t] != before[t] for t in before))


class CommittedVersionTests(World, TransactionTestCase):
    """Writes that really commit, on both engines (PostgreSQL moves a version at commit)."""

    def setUp(self) -> None:
        cache.clear()
        self.make_world()

    def test_a_committed_write_moves_the_version_and_the_answer(self) -> None:
        before = version(ENTERPRISES)
        self.assertEqual(count_operating(), (1, 3))
        self.assertEqual(count_operating(), (1, 1))
        make_enterprise(self.grid)  # autocommit
        self.assertNotEqual(version(ENTERPRISES), before)
        self.assertEqual(count_operating(), (2, 3))
        moved = version(ENTERPRISES)
        with transaction.atomic():
            Enterprise.objects.filter(pk=self.enterprise.pk).update(status="closed")
            Grid.objects.filter(pk=self.grid.pk).update(name="杨桥网格")
            self.assertEqual(count_operating()[0], 1)
        self.assertNotEqual(version(ENTERPRISES), moved)
        # (SQLite kept the answer counted inside the transaction: its versions were the
        # ones it committed. PostgreSQL counted around the cache then, and counts now.)
        self.assertEqual(count_operating()[0], 1)
        self.assertEqual(count_operating(), (1, 1))

    def test_a_rolled_back_write_leaves_the_version(self) -> None:
        before = version(ENTERPRISES)
        try:
            with transaction.atomic():
                make_enterprise(self.grid)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        self.assertEqual(version(ENTERPRISES), before)

    def test_two_commits_writing_the_same_tables_in_opposite_orders_both_land(self) -> None:
        if connection.vendor != "postgresql":
            self.skipTest("SQLite's writers take turns: there is no order to get wrong")
        other = make_enterprise(make_grid(self.village, "杨桥第二网格", "GB"))
        both_wrote = threading.Barrier(2, timeout=10)

        def write(first: Any, then: Any) -> str:
            with transaction.atomic():
                first()
                both_wrote.wait()  # each holds its first table's row as the other writes
                then()
            return "ok"

        results = run_together(
            lambda: write(
                lambda: Enterprise.objects.filter(pk=self.enterprise.pk).update(name="甲"),
                lambda: Grid.objects.filter(pk=self.grid.pk).update(name="甲网格"),
            ),
            lambda: write(
                lambda: Grid.objects.filter(pk=other.grid_id).update(name="乙网格"),
                lambda: Enterprise.objects.filter(pk=other.pk).update(name="乙"),
            ),
        )
        self.assertEqual(results, ["ok", "ok"])

    def test_a_visit_moves_the_versions_of_its_parts_and_no_other(self) -> None:
        officer = self.make_officer()
        o = self.enterprise.office_id
        west, there = self.make_west()

        def parts() -> dict[str, tuple[int, ...]]:
            return {name: v for name, v in kept().items() if "@" in name}

        visit(self.enterprise, officer, "2024-05-06")
        v = visit(self.enterprise, officer, "2025-03-10")
        before = parts()
        self.assertEqual(
            set(before),
            {f"{VISITS}@{p}" for p in ("2024-05", "2025-03", f"2024/o{o}", f"2025/o{o}")},
        )
        Visit.objects.filter(pk=v.pk).update(visited_on=datetime.date(2026, 1, 2))
        after = parts()
        for same in ("2024-05", f"2024/o{o}"):
            self.assertEqual(after[f"{VISITS}@{same}"], before[f"{VISITS}@{same}"])
        for written in ("2025-03", f"2025/o{o}"):
            self.assertNotEqual(after[f"{VISITS}@{written}"], before[f"{VISITS}@{written}"])
        self.assertIn(f"{VISITS}@2026-01", after)
        self.assertIn(f"{VISITS}@2026/o{o}", after)
        # Given to an enterprise of another office: both offices' parts move.
        Visit.objects.filter(pk=v.pk).update(enterprise=there)
        moved = parts()
        self.assertNotEqual(moved[f"{VISITS}@2026/o{o}"], after[f"{VISITS}@2026/o{o}"])
        self.assertIn(f"{VISITS}@2026/o{west.pk}", moved)
        Visit.objects.filter(pk=v.pk).delete()
        gone = parts()
        self.assertNotEqual(gone[f"{VISITS}@2026-01"], moved[f"{VISITS}@2026-01"])
        self.assertNotEqual(gone[f"{VISITS}@2026/o{west.pk}"], moved[f"{VISITS}@2026/o{west.pk}"])
        self.assertEqual(gone[f"{VISITS}@2024-05"], before[f"{VISITS}@2024-05"])
        self.assertEqual(gone[f"{VISITS}@2024/o{o}"], before[f"{VISITS}@2024/o{o}"])

    def test_a_split_answer_counts_again_only_the_offices_written(self) -> None:
        officer = self.make_officer()
        east = self.enterprise.office_id
        west, there = self.make_west()
        offices = [east, west.pk]
        # Each office's visits in 2026, one row per office.
        base = (
            f'SELECT e."office_id", COUNT(v."id") FROM "{ENTERPRISES}" e '
            f'LEFT JOIN "{VISITS}" v ON v."enterprise_id" = e."id" '
            f'AND v."visited_on" BETWEEN %s AND %s'
        )

        def statement(some: Sequence[int] | None) -> tuple[str, Sequence[Any]]:
            chosen = offices if some is None else some
            marks = ", ".join(["%s"] * len(chosen))
            return (
                f'{base} WHERE e."office_id" IN ({marks}) GROUP BY e."office_id"',
                ["2026-01-01", "2026-12-31", *chosen],
            )

        def counted() -> tuple[dict[int, int], list[str]]:
            with CaptureQueriesContext(connection) as ran:
                rows = versions.fetch_split(
                    statement,
                    VISITS,
                    versions.office_years(
                        offices, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
                    ),
                    office_of=lambda r: r[0],
                )
            run = [q["sql"] for q in ran if versions.VERSIONS not in q["sql"]]
            return dict(rows), run

        self.assertEqual(counted()[0], {east: 0, west.pk: 0})
        self.assertEqual(counted()[1], [], "kept: nothing run but the versions' read")
        visit(there, officer, "2026-06-01")
        rows, run = counted()
        self.assertEqual(rows, {east: 0, west.pk: 1})
        (narrowed,) = run
        self.assertIn(f'"office_id" IN ({west.pk}) GROUP BY', narrowed)
        visit(self.enterprise, officer, "2025-12-31")  # last year: nothing counted again
        self.assertEqual(counted(), ({east: 0, west.pk: 1}, []))
        visit(self.enterprise, officer, "2026-12-31")
        visit(there, officer, "2026-02-01")  # both offices: the whole statement again
        rows, (whole,) = counted()
        self.assertEqual(rows, {east: 1, west.pk: 2})
        self.assertIn(f'"office_id" IN ({east}, {west.pk}) GROUP BY', whole)
        self.assertEqual(counted()[1], [])
        # An enterprise written (its table's version): every office counted again.
        Enterprise.objects.filter(pk=there.pk).update(name="乙")
        rows, (whole,) = counted()
        self.assertEqual(rows, {east: 1, west.pk: 2})
        self.assertIn(f'"office_id" IN ({east}, {west.pk}) GROUP BY', whole)

    def test_last_years_answer_outlives_this_years_visits(self) -> None:
        officer = self.make_officer()
        visit(self.enterprise, officer, "2025-06-01")
        sql = f'SELECT COUNT(*) FROM "{VISITS}" WHERE "visited_on" BETWEEN %s AND %s'
        year = {VISITS: versions.months_of(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))}

        def last_year() -> tuple[int, int]:
            with CaptureQueriesContext(connection) as ran:
                ((n,),) = versions.fetch(sql, ["2025-01-01", "2025-12-31"], parts=year)
            return n, len(ran)

        self.assertEqual(last_year(), (1, 3))
        self.assertEqual(last_year(), (1, 1))
        visit(self.enterprise, officer, "2026-12-01")  # this year: last year's answer stands
        self.assertEqual(last_year(), (1, 1))
        visit(self.enterprise, officer, "2025-12-31")  # last year: counted again
        self.assertEqual(last_year(), (2, 3))
        # A new generation (after a migrate, or a table emptied) counts again whatever the
        # months' versions were.
        versions.ensure()
        self.assertFalse(TableVersion.objects.filter(name__contains="@").exists())
        self.assertEqual(last_year(), (2, 3))

    def test_a_new_generation_counts_again_what_was_written_unseen(self) -> None:
        # A SQLite table rebuilt by a migration loses its triggers: what is written then moves
        # no version, not even a month's. ensure() after the migrate starts a new generation,
        # which every key that reads months holds, so nothing is answered from before it.
        officer = self.make_officer()
        sql = f'SELECT COUNT(*) FROM "{VISITS}" WHERE "visited_on" BETWEEN %s AND %s'
        year = {VISITS: versions.months_of(datetime.date(2023, 1, 1), datetime.date(2023, 12, 31))}

        def count() -> tuple[int, int]:
            with CaptureQueriesContext(connection) as ran:
                ((n,),) = versions.fetch(sql, ["2023-01-01", "2023-12-31"], parts=year)
            return n, len(ran)

        self.assertEqual(count(), (0, 3))
        self.assertEqual(count(), (0, 1))
        d = versions.dialect(connection.vendor)
        assert d is not None
        with connection.cursor() as cursor:
            for name, (table, _definition) in d.existing(cursor).items():
                if table == VISITS:
                    for statement in d.drop(name, table):
                        cursor.execute(statement)
        visit(self.enterprise, officer, "2023-05-06")
        self.assertEqual(count(), (0, 1), "no trigger saw it: the cache still answers")
        versions.ensure()
        self.assertEqual(count(), (1, 3))

    def test_a_tallys_answer_follows_the_table_it_counts(self) -> None:
        officer = self.make_officer()
        sql = f'SELECT COALESCE(SUM("n"), 0) FROM "{VisitTally._meta.db_table}"'

        def tallied() -> int:
            ((n,),) = versions.fetch(sql)
            return int(n)

        self.assertEqual((tallied(), tallied()), (0, 0))
        visit(self.enterprise, officer, "2026-03-02")
        self.assertEqual(tallied(), 1)

    def test_a_commit_waiting_on_a_foreign_key_holds_nothing_another_commit_needs(self) -> None:
        # PostgreSQL checks foreign keys at commit too. Here the first transaction's check
        # waits on a grid the second holds FOR UPDATE, and the second then commits a write to
        # the same table: were the versions rows both had to lock, each would wait on the
        # other (a deadlock); each process moves only its own.
        if connection.vendor != "postgresql":
            self.skipTest("SQLite's writers take turns")
        second = make_enterprise(self.grid)
        other_grid = make_grid(self.village, "杨桥第二网格", "GB")
        third = make_enterprise(other_grid)
        ready = threading.Barrier(2, timeout=10)

        def first() -> str:
            with transaction.atomic():
                Enterprise.objects.filter(pk=second.pk).update(name="甲")
                make_enterprise(other_grid)  # its grid is checked at commit
                ready.wait()
            return "ok"

        def holder() -> str:
            with transaction.atomic():
                Grid.objects.select_for_update().get(pk=other_grid.pk)
                Enterprise.objects.filter(pk=third.pk).update(name="乙")
                ready.wait()
                time.sleep(0.5)  # the first is committing, waiting on this grid
            return "ok"

        self.assertEqual(run_together(first, holder), ["ok", "ok"])

    def test_the_rows_of_processes_gone_are_dropped_and_their_tables_move(self) -> None:
        if connection.vendor != "postgresql":
            self.skipTest("SQLite keeps one row per table")
        make_enterprise(self.grid)  # this process's own row for the table
        TableVersion.objects.create(name=f"{ENTERPRISES}:999999999", n=1)  # no such process
        mine = f"{ENTERPRISES}:{connection.connection.info.backend_pid}"
        before = dict(TableVersion.objects.values_list("name", "n"))
        self.assertIn(mine, before)
        versions.prune()  # what the commit trigger runs now and then
        after = dict(TableVersion.objects.values_list("name", "n"))
        self.assertNotIn(f"{ENTERPRISES}:999999999", after)
        self.assertEqual(after[mine], before[mine])
        self.assertNotEqual(after[ENTERPRISES], before[ENTERPRISES])
        self.assertEqual(after[GRIDS], before[GRIDS])

    def test_a_part_pruned_never_returns_to_a_version_it_had(self) -> None:
        # A part's rows are all its processes' own: dropping a gone process's row must not
        # leave the set it had before that process wrote (answers kept under it).
        if connection.vendor != "postgresql":
            self.skipTest("SQLite keeps one row per name")
        part = f"{VISITS}@2026/o{self.enterprise.office_id}"
        TableVersion.objects.create(name=f"{part}:1", n=1)  # (pid 1: never a backend)
        earlier = versions._versions(connection, [], [part])
        TableVersion.objects.create(name=f"{part}:999999999", n=2)  # a process since gone
        versions.prune()
        self.assertNotEqual(versions._versions(connection, [], [part]), earlier)
        self.assertTrue(TableVersion.objects.filter(name=part).exists())

    def test_a_visit_being_written_holds_its_enterprise_in_its_office(self) -> None:
        # The visit's parts name its enterprise's office when it is written; a move of the
        # enterprise to another office waits until the visit lands (else the new office's
        # rows could be kept without the visit, under versions the visit never moves).
        if connection.vendor != "postgresql":
            self.skipTest("SQLite's writers take turns")
        officer = self.make_officer()
        written = threading.Event()
        done = threading.Event()

        def writer() -> str:
            with transaction.atomic():
                visit(self.enterprise, officer, "2026-05-06")
                written.set()
                done.wait(10)
            return "written"

        def mover() -> str:
            written.wait(10)
            try:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '300ms'")
                    cursor.execute(
                        f'UPDATE "{ENTERPRISES}" SET "name" = %s WHERE "id" = %s',
                        ["乙", self.enterprise.pk],
                    )
                return "moved"
            except OperationalError:
                return "waited"
            finally:
                done.set()

        self.assertEqual(run_together(writer, mover), ["written", "waited"])
