"""Check constraints read in Python (lib.conditions)."""

from django.db.models import Q
from django.test import SimpleTestCase

from anjian.lib.conditions import UnsupportedCondition, holds


class HoldsTests(SimpleTestCase):
    def test_and_or_not_exact_isnull_and_in(self) -> None:
        condition = Q(kind="0") | Q(day__isnull=False) | ~Q(state__in=["a", "b"])
        self.assertTrue(holds(condition, {"kind": "0", "day": None, "state": "a"}))
        self.assertTrue(holds(condition, {"kind": "1", "day": 1, "state": "a"}))
        self.assertTrue(holds(condition, {"kind": "1", "day": None, "state": "c"}))
        self.assertFalse(holds(condition, {"kind": "1", "day": None, "state": "b"}))
        self.assertFalse(holds(Q(kind="0", day__isnull=True), {"kind": "0", "day": 1}))

    def test_a_lookup_or_column_it_cannot_read_is_refused_not_passed(self) -> None:
        with self.assertRaises(UnsupportedCondition):
            holds(Q(day__gt=1), {"day": 2})
        with self.assertRaises(UnsupportedCondition):
            holds(Q(day=1), {})
