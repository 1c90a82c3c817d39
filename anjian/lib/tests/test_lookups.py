"""`__in_literal`: IN with the codes written into the SQL (lib.lookups)."""

from __future__ import annotations

from django.test import TestCase

from anjian.hazards.models import OPEN, Hazard


class InLiteralTests(TestCase):
    def test_the_codes_are_written_sorted_and_not_sent_as_parameters(self) -> None:
        sql, params = Hazard.objects.filter(status__in_literal=OPEN).query.sql_with_params()
        listed = ", ".join(f"'{code}'" for code in sorted(OPEN))
        self.assertIn(f'"hazards_hazard"."status" IN ({listed})', sql)
        self.assertEqual(params, ())

    def test_anything_but_plain_codes_is_refused(self) -> None:
        for bad in (["closed", "x') OR 1=1 --"], ["a b"], [""]):
            with self.subTest(bad=bad), self.assertRaises(ValueError):
                Hazard.objects.filter(status__in_literal=bad)

    def test_a_bare_string_is_refused(self) -> None:
        with self.assertRaises(TypeError):
            Hazard.objects.filter(status__in_literal="closed")

    def test_no_codes_match_nothing(self) -> None:
        self.assertFalse(Hazard.objects.filter(status__in_literal=[]).exists())
