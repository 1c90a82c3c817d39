"""The tallies stay exact whoever writes the ledger, and answer only what they hold exactly."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection
from django.test import TransactionTestCase
from django.utils import timezone

from anjian.accounts.models import Role
from anjian.coverage.tests.test_coverage import visit
from anjian.dashboard.tests.test_figures import FigureWorld
from anjian.fieldwork.models import Outcome, Visit, VisitKind
from anjian.hazards.models import Hazard, Level, Status
from anjian.lib.periods import Kind, Period
from anjian.regions.models import RegionLevel
from anjian.statistics import tallies
from anjian.statistics.figures import SOURCES, Board, condition
from anjian.statistics.models import HazardClosedTally, HazardFoundTally, VisitTally
from anjian.test import make_enterprise, make_grid, make_region, make_user


def snapshot() -> dict[str, set[tuple[Any, ...]]]:
    """Every tally row that counts something."""
    return {
        "found": set(
            HazardFoundTally.objects.exclude(n=0).values_list(
                "zone_id", "office_id", "month", "status", "level", "hazard_type", "n"
            )
        ),
        "closed": set(
            HazardClosedTally.objects.exclude(n=0).values_list(
                "zone_id", "office_id", "month", "status", "level", "on_time", "n", "days"
            )
        ),
        "visits": set(
            VisitTally.objects.exclude(n=0).values_list(
                "zone_id", "office_id", "month", "kind", "outcome", "n"
            )
        ),
    }


class TallyTests(FigureWorld):
    def assert_exact(self) -> None:
        """What the triggers kept is what counting the ledger afresh gives."""
        kept = snapshot()
        tallies.rebuild()
        self.assertEqual(kept, snapshot())

    def test_workflow_steps_and_bulk_updates_keep_the_tallies_exact(self) -> None:
        # FigureWorld walked hazards through every state and moved dates with bulk updates.
        self.assertGreater(sum(r[-1] for r in snapshot()["found"]), 10)
        self.assertTrue(snapshot()["closed"])
        self.assertTrue(snapshot()["visits"])
        self.assert_exact()

    def test_a_visit_moved_or_deleted_moves_its_count(self) -> None:
        first = Visit.objects.order_by("pk").first()
        assert first is not None
        Visit.objects.filter(pk=first.pk).update(
            visited_on=datetime.date(2024, 2, 29), outcome=Outcome.LOCKED, office=self.o2
        )
        self.assert_exact()
        Visit.objects.filter(pk=first.pk).delete()
        self.assert_exact()

    def test_a_change_of_office_level_or_deadline_and_a_delete_move_the_counts(self) -> None:
        first, second = self.hazards[0], self.hazards[5]
        Hazard.objects.filter(pk=first.pk).update(office=self.o2, level=Level.MAJOR)
        Hazard.objects.filter(pk=second.pk).update(deadline=datetime.date(2000, 1, 1))
        self.assert_exact()
        closed = Hazard.objects.filter(closed_at__isnull=False).first()
        assert closed is not None
        Hazard.objects.filter(pk=closed.pk).update(status=Status.VOID, closed_at=None)
        self.assert_exact()
        before = sum(r[-1] for r in snapshot()["found"])
        Hazard.objects.filter(pk=self.hazards[1].pk).delete()
        self.assertEqual(sum(r[-1] for r in snapshot()["found"]), before - 1)
        self.assert_exact()

    def test_closed_just_after_local_midnight_counts_in_the_new_month(self) -> None:
        # 00:30 on 1 August in Beijing is 16:30 on 31 July in UTC.
        moment = timezone.make_aware(datetime.datetime(2025, 8, 1, 0, 30))
        h = Hazard.objects.filter(status=Status.CLOSED).first()
        assert h is not None
        Hazard.objects.filter(pk=h.pk).update(
            closed_at=moment,
            found_on=datetime.date(2025, 7, 30),
            deadline=datetime.date(2025, 7, 31),
        )
        row = HazardClosedTally.objects.get(
            zone_id=h.zone_id, office_id=h.office_id, month="2025-08", status=Status.CLOSED
        )
        # Two days after it was found, and a day late: both on Beijing's calendar, not UTC's.
        self.assertEqual((row.n, row.days, row.on_time), (1, 2, False))
        self.assertFalse(HazardClosedTally.objects.filter(month="2025-07", n__gt=0).exists())
        self.assert_exact()

    def test_missing_triggers_are_put_back_and_the_tallies_counted_again(self) -> None:
        self.assertFalse(tallies.ensure())  # in place: nothing to do
        d = tallies.dialect(connection.vendor)
        assert d is not None
        with connection.cursor() as cursor:
            for name, (table, _definition) in d.existing(cursor).items():
                cursor.execute(d.drop(name, table))
        # Written while no trigger counted it (as during a table rebuild).
        Hazard.objects.filter(pk=self.hazards[0].pk).update(office=self.o2)
        self.assertTrue(tallies.ensure())
        found = snapshot()
        tallies.rebuild()
        self.assertEqual(found, snapshot())
        self.assertFalse(tallies.ensure())

    def test_a_figure_is_tallied_only_when_the_tally_holds_exactly_its_rows(self) -> None:
        year = Period(Kind.YEAR, self.today.year)
        whole: dict[str, Any] = {"found_from": year.start, "found_to": year.end}
        self.assertIsNotNone(tallies.plan("hazards", {**whole, "state": "valid"}, self.chen))
        self.assertIsNotNone(tallies.plan("hazards", {**whole, "state": "closed"}, self.li))
        self.assertIsNotNone(
            tallies.plan("hazards", {"closed_from": year.start, "on_time": "yes"}, self.chen)
        )
        # The ledger's order counts nothing; an office given as text is its id.
        sorted_by = tallies.plan("hazards", {**whole, "sort": "deadline"}, self.chen)
        self.assertIsNotNone(sorted_by)
        as_text = tallies.plan("hazards", {**whole, "office": str(self.o1.pk)}, self.chen)
        as_id = tallies.plan("hazards", {**whole, "office": self.o1.pk}, self.chen)
        assert as_text is not None and as_id is not None
        self.assertEqual(as_text.condition, as_id.condition)
        refused: list[tuple[dict[str, Any], Any]] = [
            ({**whole, "state": "overdue"}, self.chen),  # reads the deadline
            ({"found_from": year.start + datetime.timedelta(days=1)}, self.chen),
            ({"found_to": datetime.date(self.today.year, 2, 27)}, self.chen),
            ({**whole, "grid": self.grid_a.pk}, self.chen),  # no grid column
            ({**whole, "source": "1"}, self.chen),
            ({"closed_from": year.start, "hazard_type": "1"}, self.chen),
            ({**whole, "closed_from": year.start}, self.chen),  # two calendars at once
            ({**whole, "level": "9"}, self.chen),  # not a level: the form names it
            ({**whole, "office": "abc"}, self.chen),
            ({**whole, "office": "9" * 30}, self.chen),  # past the integer range
            ({**whole, "hazard_type": "Z"}, self.chen),
            ({**whole}, self.zhang),  # a grid worker's scope is grids
            ({**whole}, self.zhao),  # an enterprise's is itself
        ]
        for params, user in refused:
            with self.subTest(params=params, user=user.username):
                self.assertIsNone(tallies.plan("hazards", params, user))

    def test_tallied_and_counted_figures_agree(self) -> None:
        """The same figures counted from the tallies and from the ledger itself."""
        year = Period(Kind.YEAR, self.today.year)
        params: list[dict[str, Any]] = [
            {"found_from": year.start, "found_to": year.end, "state": "valid"},
            {
                "found_from": year.start,
                "found_to": year.end,
                "state": "closed",
                "level": Level.MAJOR,
            },
            {"closed_from": year.start, "closed_to": year.end},
            {"closed_from": year.start, "closed_to": year.end, "on_time": "no"},
            {"state": "open"},
        ]
        for user in (self.chen, self.li, self.qian):
            office = user.region_id if user is not self.chen else self.o1.pk
            board = Board(user)
            for i, p in enumerate([*params, {"state": "awaiting", "office": office}]):
                board.count(f"f{i}", "", "hazards", p)
            board.evaluate()
            tallied = {k: f.value for k, f in board.figures.items()}
            for i, p in enumerate([*params, {"state": "awaiting", "office": office}]):
                with self.subTest(user=user.username, params=p):
                    self.assertIsNotNone(tallies.plan("hazards", p, user))
                    rows = Hazard.objects.visible_to(user)
                    # The list's own condition, through its filter form.
                    expected = rows.filter(condition(SOURCES["hazards"], p, user)).count()
                    self.assertEqual(tallied[f"f{i}"], expected)

    def test_tallied_visit_figures_agree_with_the_visit_list(self) -> None:
        year = Period(Kind.YEAR, self.today.year)
        whole: dict[str, Any] = {"visited_from": year.start, "visited_to": year.end}
        params: list[dict[str, Any]] = [
            whole,
            {**whole, "outcome": "checks"},
            {**whole, "outcome": "other", "kind": VisitKind.PATROL},
            {"kind": VisitKind.INSPECTION},
        ]
        for user in (self.chen, self.li):
            board = Board(user)
            for i, p in enumerate(params):
                board.count(f"v{i}", "", "visits", p)
            board.evaluate()
            for i, p in enumerate(params):
                with self.subTest(user=user.username, params=p):
                    self.assertIsNotNone(tallies.plan("visits", p, user))
                    expected = (
                        Visit.objects.visible_to(user)
                        .filter(condition(SOURCES["visits"], p, user))
                        .count()
                    )
                    self.assertEqual(board.figures[f"v{i}"].value, expected)
        self.assertIsNone(tallies.plan("visits", {**whole, "mine": True}, self.chen))
        self.assertIsNone(tallies.plan("visits", whole, self.zhang))

    def test_the_mean_days_to_close_from_the_tally_is_the_ledgers(self) -> None:
        from anjian.statistics.hazards import _mean_days

        year = Period(Kind.YEAR, self.today.year)
        for params in (
            {"closed_from": year.start, "closed_to": year.end},
            {"closed_from": year.previous.start, "closed_to": year.previous.end},
        ):
            with self.subTest(params=params):
                p = tallies.plan("hazards", params, self.chen)
                assert p is not None
                tallied, counted = tallies.mean_days(p), _mean_days(params, self.chen)
                self.assertIsNotNone(counted)
                assert tallied is not None and counted is not None
                self.assertAlmostEqual(float(tallied), float(counted), places=6)


class CompactTests(TransactionTestCase):
    """After a bulk load the tallies keep no dead rows and every table has statistics."""

    def test_compact_leaves_statistics_and_no_dead_tally_rows(self) -> None:
        zone = make_region("示范区", RegionLevel.ZONE, code="01")
        office = make_region("东城办事处", RegionLevel.OFFICE, zone, code="01")
        grid = make_grid(make_region("杨桥村", RegionLevel.VILLAGE, office, code="001"))
        enterprise = make_enterprise(grid)
        officer = make_user("li", Role.OFFICER, region=office, certificate_no="执01")
        for day in range(1, 29):
            visit(enterprise, officer, f"2026-02-{day:02d}")  # one tally row, upserted 28 times
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT ctid::text FROM {VisitTally._meta.db_table}")
                self.assertNotEqual(cursor.fetchall(), [("(0,1)",)])
        tallies.compact()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Rewritten: the one live row, upserted 28 times, is the table's first.
                cursor.execute(f"SELECT ctid::text FROM {VisitTally._meta.db_table}")
                self.assertEqual(cursor.fetchall(), [("(0,1)",)])
                cursor.execute(
                    "SELECT count(*) FROM pg_stats WHERE tablename = %s",
                    [Visit._meta.db_table],
                )
                self.assertGreater(cursor.fetchone()[0], 0)
            else:
                cursor.execute(
                    "SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [Visit._meta.db_table]
                )
                self.assertGreater(cursor.fetchone()[0], 0)
        self.assertEqual(VisitTally.objects.get().n, 28)
