"""`__in_literal`: IN with the codes written into the SQL (lib.lookups)."""

from __future__ import annotations

from django.db import connection
from django.db.models import Q
from django.test import TestCase

from anjian.enterprises.models import Enterprise
from anjian.hazards.models import OPEN, Hazard
from anjian.hazards.tests.factories import HazardWorld, general
from anjian.hazards.workflow import register_hazard


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


class InSubqueryOnceTests(HazardWorld):
    """`fk__in_once=<ids>`: the rows of `fk__in`, written as PostgreSQL can index inside an
    OR (`= ANY(ARRAY(SELECT ...))`), as a plain IN on SQLite."""

    def test_the_same_rows_as_in(self) -> None:
        made = [
            register_hazard(self.ea, general(name="甲"), by=self.li),
            register_hazard(self.ea2, general(name="乙"), by=self.li),
            register_hazard(self.eb, general(name="丙"), by=self.chen),
        ]
        for names in ([self.ea.name], [self.ea.name, self.eb.name], ["无此企业"]):
            ids = Enterprise.objects.filter(name__in=names).values("id")
            with self.subTest(names=names):
                once = set(
                    Hazard.objects.filter(enterprise__in_once=ids).values_list("pk", flat=True)
                )
                plain = set(Hazard.objects.filter(enterprise__in=ids).values_list("pk", flat=True))
                self.assertEqual(once, plain)
        self.assertEqual(
            set(Hazard.objects.filter(
                Q(name="丙") | Q(enterprise__in_once=Enterprise.objects.filter(pk=self.ea.pk).values("id"))
            ).values_list("pk", flat=True)),
            {made[0].pk, made[2].pk},
        )  # fmt: skip

    def test_the_sql_per_engine_without_an_ordered_subquery(self) -> None:
        ids = Enterprise.objects.filter(name__contains="杨桥").values("id")
        sql = str(Hazard.objects.filter(enterprise__in_once=ids).values("pk").query)
        written = "= ANY(ARRAY(SELECT" if connection.vendor == "postgresql" else "IN (SELECT"
        self.assertIn(f'"hazards_hazard"."enterprise_id" {written}', sql)
        self.assertEqual(sql.count("ORDER BY"), 1)  # the outer query's only

    def test_anything_but_a_queryset_is_refused(self) -> None:
        with self.assertRaises(TypeError):
            Hazard.objects.filter(enterprise__in_once=[self.ea.pk])
