"""The ledger's free text (`q`): the same rows in the same order as the plain OR of the four
`contains` filters, whichever way it is computed (hazards.filters.text_matches), and each
engine's plan through the index made for it (hazards migration 0007)."""

from __future__ import annotations

import unittest
from typing import Any

from django.db import connection
from django.db.models import Q
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from anjian.enterprises.models import Enterprise
from anjian.enterprises.services import update_enterprise
from anjian.hazards.apps import keep_engine_indexes
from anjian.hazards.filters import text_matches
from anjian.hazards.models import Hazard
from anjian.hazards.tests.factories import HazardWorld, days, general, make_photo, step
from anjian.hazards.workflow import register_hazard
from anjian.test import make_enterprise

URL = "/api/v1/hazards"


def plain_or(term: str) -> Q:
    """The filter as it was written before: every arm a LIKE, the enterprise's name joined."""
    return (
        Q(name__contains=term)
        | Q(description__contains=term)
        | Q(location__contains=term)
        | Q(enterprise__name__contains=term)
    )


class TextSearchTests(HazardWorld):
    """Terms in each column, in the enterprise's name, in a moved enterprise's name, terms
    of 2 and 3+ characters, LIKE's wildcards, FTS syntax and case."""

    moved: Enterprise
    ascii_co: Enterprise
    wide_co: Enterprise
    by_name: Hazard
    by_description: Hazard
    by_location: Hazard
    by_enterprise: Hazard
    in_moved: Hazard

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # An enterprise that moved from office 1 to office 2 after its hazard was recorded and
        # closed: the closed hazard keeps office 1 (the office of record; an open one would
        # follow the enterprise), the enterprise's name is now in office 2's registry.
        cls.moved = make_enterprise(cls.grid_a, "迁址冷链物流有限公司")
        cls.ascii_co = make_enterprise(cls.grid_a, "ABC冷链仓储有限公司")
        # Fullwidth letters: FTS5 folds their case, LIKE does not (the FTS only narrows).
        cls.wide_co = make_enterprise(cls.grid_a, "ＸＹＺ精工有限公司")
        register = [
            (cls.ea, {"name": "灭火器压力不足", "found_on": days(-9)}),
            (
                cls.ea,
                {"name": "通道堵塞", "description": "二楼灭火器被杂物遮挡", "found_on": days(-8)},
            ),
            (cls.ea2, {"name": "地面湿滑", "location": "灭火器间", "found_on": days(-8)}),
            (cls.eb, {"name": "配电箱门缺失", "description": "灭火器过期", "found_on": days(-7)}),
            (cls.moved, {"name": "冷库门报警装置失效", "found_on": days(-6)}),
            (
                cls.ascii_co,
                {"name": "叉车未年检", "description": "50%负荷_超限", "found_on": days(-5)},
            ),
            (cls.wide_co, {"name": "砂轮机防护罩缺失", "found_on": days(-4)}),
            (
                cls.ea,
                {"name": "消防通道堵塞", "description": '标识"安全出口"不亮', "found_on": days(-3)},
            ),
        ]
        made = [
            register_hazard(ent, general(**data), by=cls.chen if ent == cls.eb else cls.li)
            for ent, data in register
        ]
        cls.by_name, cls.by_description, cls.by_location = made[0], made[1], made[2]
        cls.in_moved = made[4]
        cls.by_enterprise = made[5]
        photo = make_photo(cls.li)
        for action in ("submit", "accept"):
            step(cls.in_moved, action, cls.li, photo)
        update_enterprise(cls.moved, {"grid": cls.grid_b}, by=cls.chen, version=None)

    def listed(self, user: Any, **params: Any) -> list[int]:
        self.client.force_login(user)
        r = self.client.get(URL, params)
        self.assertEqual(r.status_code, 200, r.content)
        return [row["id"] for row in r.json()["items"]]

    def expected(self, term: str, **scope: Any) -> list[int]:
        qs = Hazard.objects.filter(plain_or(term), **scope).order_by("-found_on", "-id")
        return list(qs.values_list("id", flat=True))

    def test_the_same_rows_in_the_same_order_as_the_plain_filter(self) -> None:
        terms = ["灭火器", "灭火", "冷链", "冷链物流", "迁址冷链", "叉车", "年检", "ABC", "abc",
                 "50%负荷", "%负荷", "荷_超", "_", "%", '"安全出口"', '"安全', "安全出口",
                 "ＸＹＺ", "ｘｙｚ", "OR", "NEAR(灭火器)", "灭火器*", "name : 灭火器", "不存在的词"]  # fmt: skip
        for term in terms:
            for office in (None, self.o1, self.o2):
                scope = {"office": office} if office else {}
                with self.subTest(term=term, office=office):
                    params = {"q": term, **({"office": office.pk} if office else {})}
                    self.assertEqual(self.listed(self.chen, **params), self.expected(term, **scope))

    def test_each_column_and_the_enterprise_name_are_searched(self) -> None:
        self.assertEqual(
            set(self.listed(self.chen, q="灭火器", office=self.o1.pk)),
            {self.by_name.pk, self.by_description.pk, self.by_location.pk},
        )
        self.assertEqual(self.listed(self.chen, q="ABC冷链"), [self.by_enterprise.pk])

    def test_a_moved_enterprise_is_found_by_name_in_the_office_of_its_hazard(self) -> None:
        self.assertEqual(self.in_moved.office_id, self.o1.pk)
        self.assertEqual(Enterprise.objects.get(pk=self.moved.pk).office_id, self.o2.pk)
        self.assertEqual(
            self.listed(self.chen, q="迁址冷链", office=self.o1.pk), [self.in_moved.pk]
        )
        self.assertEqual(self.listed(self.chen, q="迁址冷链", office=self.o2.pk), [])

    def test_an_officer_finds_only_the_matches_in_their_office(self) -> None:
        self.assertEqual(self.listed(self.li, q="灭火器"), self.expected("灭火器", office=self.o1))
        self.assertEqual(
            self.listed(self.qian, q="灭火器"), self.expected("灭火器", office=self.o2)
        )
        self.assertEqual(len(self.listed(self.qian, q="灭火器")), 1)

    def test_anonymous_is_401_and_another_office_is_422_naming_office(self) -> None:
        self.client.logout()
        self.assertEqual(self.client.get(URL, {"q": "灭火器"}).status_code, 401)
        self.client.force_login(self.qian)
        r = self.client.get(URL, {"q": "灭火器", "office": str(self.o1.pk)})
        self.assertEqual(r.status_code, 422)
        self.assertEqual(r.json()["errors"][0]["field"], "office")

    def test_a_term_too_long_is_422_naming_q(self) -> None:
        self.client.force_login(self.chen)
        r = self.client.get(URL, {"q": "灭" * 101})
        self.assertEqual(r.status_code, 422)
        self.assertEqual(r.json()["errors"][0]["field"], "q")

    def test_paging_through_matches_is_exact(self) -> None:
        self.client.force_login(self.chen)
        ids, cursor = [], None
        while True:
            query: dict[str, Any] = {
                "q": "灭火器",
                "limit": 1,
                **({"cursor": cursor} if cursor else {}),
            }
            body = self.client.get(URL, query).json()
            ids += [r["id"] for r in body["items"]]
            cursor = body["next"]
            if not cursor:
                break
        self.assertEqual(ids, self.expected("灭火器"))
        self.assertEqual(len(ids), 4)

    def ledger_sql(self, user: Any = None, **params: Any) -> str:
        with CaptureQueriesContext(connection) as ctx:
            self.listed(user or self.chen, **params)
        return [q["sql"] for q in ctx.captured_queries if '"hazards_hazard"' in q["sql"]][-1]

    @unittest.skipUnless(connection.vendor == "sqlite", "SQLite's planner")
    def test_sqlite_reads_an_office_through_the_index_with_the_text_columns(self) -> None:
        # The officer's own office: in a test database without statistics SQLite prefers
        # the zone's index for a zone admin's query (at city scale it is the office's).
        sql = self.ledger_sql(self.li, q="灭火器")
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        self.assertIn("hazard_office_text", plan)
        self.assertIn("enterprises_enterprise_fts", plan)  # the names' candidates
        self.assertNotIn("TEMP B-TREE", plan)  # no sort: the index is in page order

    @unittest.skipUnless(connection.vendor == "postgresql", "PostgreSQL's indexes")
    def test_postgresql_has_the_trigram_indexes_and_an_indexable_name_arm(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE indexname IN "
                "('hazard_text_trgm', 'enterprise_name_trgm')"
            )
            found = dict(cursor.fetchall())
        self.assertEqual(set(found), {"hazard_text_trgm", "enterprise_name_trgm"})
        self.assertIn("gin_trgm_ops", found["hazard_text_trgm"])
        sql = self.ledger_sql(q="灭火器", office=self.o1.pk)
        self.assertIn("= ANY(ARRAY(SELECT", sql)
        # With sequential and plain index scans ruled out, the OR can only be read from
        # indexes arm by arm (a BitmapOr): proof that every arm can use one. (On a few rows
        # the planner would rather read the office; at city scale it chooses by the term.)
        text, params = (
            Hazard.objects.filter(text_matches("灭火器")).values("id").query.sql_with_params()
        )
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute("EXPLAIN " + text, params)
            plan = " ".join(row[0] for row in cursor.fetchall())
        self.assertIn("BitmapOr", plan)
        self.assertEqual(plan.count("on hazard_text_trgm"), 3, plan)  # name, description, location

    def test_a_short_term_keeps_the_join(self) -> None:
        sql = self.ledger_sql(q="灭火", office=self.o1.pk)
        self.assertNotIn("enterprises_enterprise_fts", sql)
        self.assertNotIn("ANY(ARRAY", sql)
        self.assertEqual(
            self.listed(self.chen, q="灭火", office=self.o1.pk),
            self.expected("灭火", office=self.o1),
        )


class EngineIndexTests(TestCase):
    """Migration 0007's indexes are SQL for one engine each; a table rebuild on SQLite drops
    them, and every migrate puts them back."""

    def indexes(self) -> set[str]:
        with connection.cursor() as cursor:
            found = connection.introspection.get_constraints(cursor, "hazards_hazard")
        return {name for name, c in found.items() if c["index"]}

    def test_migrate_puts_back_what_a_rebuild_dropped(self) -> None:
        ours = {"sqlite": "hazard_office_text", "postgresql": "hazard_text_trgm"}[connection.vendor]
        with connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX {ours}")
            if connection.vendor == "sqlite":  # what Django's remake would have made
                cursor.execute(
                    "CREATE INDEX hazard_office_found ON hazards_hazard (office_id, found_on, id)"
                )
        self.assertNotIn(ours, self.indexes())
        keep_engine_indexes(using=connection.alias)
        self.assertIn(ours, self.indexes())
        if connection.vendor == "sqlite":
            self.assertNotIn("hazard_office_found", self.indexes())
        keep_engine_indexes(using=connection.alias)  # and again: nothing to do, no error
