"""Keyset paging: every row once, in order, whatever the ties; cursors that are not ours refused."""

from __future__ import annotations

import base64
import datetime
import json
from typing import Any

from anjian.enterprises.models import Enterprise
from anjian.lib.paging import MAX_LIMIT, BadCursor, keyset_page
from anjian.test import World, make_enterprise


def cursor_of(values: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


class KeysetPageTests(World):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # Repeated names, so that (name, id) and not name alone decides the order.
        for i in range(17):
            make_enterprise(
                cls.grid_a, f"企业{i % 4}", status_since=datetime.date(2026, 1, 1 + i % 5)
            )

    def walk(self, **kw: Any) -> tuple[list[int], int]:
        qs = Enterprise.objects.all()
        seen: list[int] = []
        cursor = None
        pages = 0
        while True:
            page = keyset_page(qs, cursor=cursor, **kw)
            seen += [e.pk for e in page.items]
            pages += 1
            if page.next is None:
                return seen, pages
            cursor = page.next

    def test_walks_every_row_once_in_name_order(self) -> None:
        seen, pages = self.walk(key="name", limit=3)
        expected = list(Enterprise.objects.order_by("name", "id").values_list("id", flat=True))
        self.assertEqual(seen, expected)
        self.assertEqual(len(seen), 20)
        self.assertEqual(pages, 7)

    def test_walks_descending(self) -> None:
        seen, _pages = self.walk(key="name", descending=True, limit=4)
        expected = list(Enterprise.objects.order_by("-name", "-id").values_list("id", flat=True))
        self.assertEqual(seen, expected)

    def test_walks_a_date_key(self) -> None:
        Enterprise.objects.filter(status_since__isnull=True).update(
            status_since=datetime.date(2026, 1, 3)
        )
        seen, _pages = self.walk(key="status_since", limit=6)
        expected = list(
            Enterprise.objects.order_by("status_since", "id").values_list("id", flat=True)
        )
        self.assertEqual(seen, expected)

    def test_exact_multiple_of_the_limit_has_no_empty_last_page(self) -> None:
        seen, pages = self.walk(key="name", limit=5)
        self.assertEqual((len(seen), pages), (20, 4))

    def test_page_size_is_clamped(self) -> None:
        qs = Enterprise.objects.all()
        self.assertEqual(len(keyset_page(qs, key="name", limit=0).items), 1)
        self.assertEqual(len(keyset_page(qs, key="name", limit=-5).items), 1)
        for i in range(MAX_LIMIT):
            make_enterprise(self.grid_b, f"批量{i:03d}")
        page = keyset_page(qs, key="name", limit=10_000)
        self.assertEqual(len(page.items), MAX_LIMIT)
        self.assertIsNotNone(page.next)

    def test_count_only_when_asked_and_for_the_whole_list(self) -> None:
        qs = Enterprise.objects.all()
        self.assertIsNone(keyset_page(qs, key="name").count)
        first = keyset_page(qs, key="name", limit=3, with_count=True)
        second = keyset_page(qs, key="name", limit=3, cursor=first.next, with_count=True)
        self.assertEqual((first.count, second.count), (20, 20))

    def test_empty_list(self) -> None:
        page = keyset_page(Enterprise.objects.none(), key="name", with_count=True)
        self.assertEqual((page.items, page.next, page.count), ([], None, 0))

    def test_cursor_keeps_the_callers_filter(self) -> None:
        qs = Enterprise.objects.filter(grid=self.grid_a)
        first = keyset_page(qs, key="name", limit=2)
        rest = keyset_page(qs, key="name", cursor=first.next, limit=100)
        self.assertEqual({e.grid_id for e in rest.items}, {self.grid_a.pk})
        self.assertEqual(len(first.items) + len(rest.items), qs.count())

    def test_cursors_that_are_not_ours_are_refused(self) -> None:
        qs = Enterprise.objects.all()
        bad = [
            "%%%",
            "bm90IGpzb24",  # "not json"
            cursor_of({"name": "x"}),
            cursor_of(["x"]),
            cursor_of(["x", 1, 2]),
            cursor_of(["x", "1"]),
            base64.urlsafe_b64encode(b"\xff\xfe").decode(),
        ]
        for cursor in bad:
            with self.subTest(cursor=cursor), self.assertRaises(BadCursor):
                keyset_page(qs, key="name", cursor=cursor)

    def test_a_cursor_we_made_by_hand_is_honoured(self) -> None:
        ordered = list(Enterprise.objects.order_by("name", "id"))
        pivot = ordered[9]
        page = keyset_page(
            Enterprise.objects.all(),
            key="name",
            cursor=cursor_of([pivot.name, pivot.pk]),
            limit=100,
        )
        self.assertEqual(page.items, ordered[10:])
