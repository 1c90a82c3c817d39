"""A bulk load with the statistics layer's triggers off (statistics.loading): the triggers
are back, the tallies exact and every table's version new when the block ends, and a load
that fails leaves the triggers as they were."""

from __future__ import annotations

from django.db import connection, transaction
from django.test import TransactionTestCase

from anjian.dashboard.tests.test_figures import FigureWorld
from anjian.hazards.models import Hazard, Level
from anjian.statistics import loading, tallies, versions
from anjian.statistics.models import TableVersion
from anjian.statistics.tests.test_tallies import snapshot


def triggers() -> dict[str, tuple[str, str]]:
    found = {}
    with connection.cursor() as cursor:
        for d in (tallies.dialect(connection.vendor), versions.dialect(connection.vendor)):
            assert d is not None
            found.update(d.existing(cursor))
    return found


class TriggersOffTests(FigureWorld):
    def test_rows_written_meanwhile_are_counted_and_the_triggers_come_back(self) -> None:
        before, kept = triggers(), snapshot()
        self.assertTrue(before)
        version = TableVersion.objects.get(name="hazards_hazard").n
        with transaction.atomic(), loading.triggers_off():
            self.assertEqual(triggers(), {})
            Hazard.objects.filter(pk=self.hazards[0].pk).update(office=self.o2, level=Level.MAJOR)
            self.assertEqual(snapshot(), kept, "no trigger counted the write")
            self.assertEqual(TableVersion.objects.get(name="hazards_hazard").n, version)
        self.assertEqual(triggers(), before)
        self.assertFalse(tallies.ensure(), "the triggers are exactly the code's")
        counted = snapshot()
        self.assertNotEqual(counted, kept)
        tallies.rebuild()
        self.assertEqual(snapshot(), counted, "the tallies hold the write")
        self.assertNotEqual(TableVersion.objects.get(name="hazards_hazard").n, version)

    def test_a_load_that_fails_leaves_the_triggers_as_they_were(self) -> None:
        before = triggers()
        with self.assertRaises(ValueError), transaction.atomic(), loading.triggers_off():
            Hazard.objects.filter(pk=self.hazards[0].pk).update(office=self.o2)
            raise ValueError("the load failed")
        self.assertEqual(triggers(), before)
        self.assertEqual(
            Hazard.objects.get(pk=self.hazards[0].pk).office_id, self.hazards[0].office_id
        )


class OutsideTests(TransactionTestCase):
    def test_it_refuses_to_run_outside_a_transaction(self) -> None:
        before = triggers()
        with self.assertRaises(RuntimeError), loading.triggers_off():
            pass
        self.assertEqual(triggers(), before)
