"""Double-random draws: reproducible, certified officers only, immutable once published,
carried out by visits of kind double_random; pages and API on the permission ladder."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from typing import Any

from django.http import Http404
from django.utils import timezone, translation

from anjian.accounts.models import Role, User
from anjian.audit.models import Entry
from anjian.draws import services as draws
from anjian.draws.models import Draw, DrawItem
from anjian.enterprises.models import Enterprise, Sector, Status
from anjian.enterprises.tests.helpers import EnglishWorld
from anjian.fieldwork.models import Outcome, VisitKind
from anjian.fieldwork.schemas import VisitIn
from anjian.fieldwork.services import VisitError, record_visit
from anjian.lib.errors import NotAllowed
from anjian.test import make_enterprise, make_user


class DrawWorld(EnglishWorld):
    """The personas, a second officer in each office, and a dozen more enterprises."""

    li2: User
    qian2: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.li2 = make_user("li2", Role.OFFICER, region=cls.o1, certificate_no="执03")
        cls.qian2 = make_user("qian2", Role.OFFICER, region=cls.o2, certificate_no="执04")
        make_user("gone", Role.OFFICER, region=cls.o1, certificate_no="执05", is_active=False)
        for n in range(6):
            make_enterprise(cls.grid_a, f"杨桥{n}号厂", sector=Sector.LIGHT_INDUSTRY)
            make_enterprise(cls.grid_b, f"石塘{n}号厂")
        Enterprise.objects.filter(name="杨桥5号厂").update(status=Status.CLOSED)

    def make(self, by: User | None = None, size: int = 4, **kw: Any) -> Draw:
        kw.setdefault("criteria", {})
        return draws.create_draw(
            title="2026年第三季度双随机抽查", size=size, by=by or self.chen, **kw
        )


class DrawFunctionTests(DrawWorld):
    def test_the_same_seed_and_lists_give_the_same_result(self) -> None:
        a = draws.draw_result(42, [5, 3, 9, 1, 7], [11, 12, 13], 3, 2)
        b = draws.draw_result(42, [1, 3, 5, 7, 9], [13, 12, 11], 3, 2)
        self.assertEqual(a, b)
        self.assertNotEqual(a, draws.draw_result(43, [1, 3, 5, 7, 9], [11, 12, 13], 3, 2))

    def test_each_enterprise_gets_two_different_officers_and_the_load_is_even(self) -> None:
        result = draws.draw_result(7, list(range(100)), [1, 2, 3, 4, 5], 40, 2)
        self.assertEqual(len({e for e, _t in result}), 40)
        self.assertTrue(all(len(set(team)) == 2 for _e, team in result))
        load = Counter(o for _e, team in result for o in team)
        self.assertEqual(set(load.values()), {16})

    def test_a_zone_draw_comes_from_operating_enterprises_and_certified_officers(self) -> None:
        draw = self.make()
        operating = set(Enterprise.objects.operating().values_list("id", flat=True))
        self.assertEqual(set(draw.enterprise_ids), operating)
        self.assertEqual(len(draw.enterprise_ids), 14)
        self.assertEqual(
            set(draw.officer_ids), {self.li.pk, self.li2.pk, self.qian.pk, self.qian2.pk}
        )
        self.assertIsNone(draw.office_id)
        self.assertEqual(draw.items.count(), 4)
        self.assertEqual(draws.stored_result(draw), draws.replay(draw))
        self.assertTrue(Entry.objects.filter(action="draw.create", object_id=str(draw.pk)).exists())

    def test_a_stored_seed_repeats_the_draw(self) -> None:
        first = self.make()
        second = self.make(seed=first.seed)
        self.assertEqual(draws.stored_result(first), draws.stored_result(second))

    def test_the_registry_filter_makes_the_object_list(self) -> None:
        draw = self.make(size=2, criteria={"grid": self.grid_a.pk, "sector": Sector.LIGHT_INDUSTRY})
        names = set(
            Enterprise.objects.filter(id__in=draw.enterprise_ids).values_list("name", flat=True)
        )
        self.assertEqual(names, {f"杨桥{n}号厂" for n in range(5)})
        self.assertEqual(draw.criteria, {"grid": self.grid_a.pk, "sector": "light_industry"})

    def test_asking_for_a_status_overrides_the_operating_default(self) -> None:
        draw = self.make(size=1, criteria={"status": Status.CLOSED})
        self.assertEqual(len(draw.enterprise_ids), 1)

    def test_an_office_officer_draws_from_their_office_only(self) -> None:
        draw = self.make(by=self.li, size=2)
        self.assertEqual(draw.office_id, self.o1.pk)
        offices = set(
            Enterprise.objects.filter(id__in=draw.enterprise_ids).values_list(
                "office_id", flat=True
            )
        )
        self.assertEqual(offices, {self.o1.pk})
        self.assertEqual(draw.officer_ids, sorted([self.li.pk, self.li2.pk]))

    def test_bad_input_names_its_field_and_writes_nothing(self) -> None:
        cases: list[tuple[dict[str, Any], str]] = [
            ({"size": 15}, "size"),
            ({"size": 0}, "size"),
            ({"officer_ids": [self.li.pk, self.zhang.pk]}, "officers"),
            ({"officer_ids": [self.li.pk]}, "officers"),
            ({"seed": -1}, "seed"),
            ({"criteria": {"sector": "spaceships"}}, "sector"),
            ({"criteria": {"grid": self.grid_b.pk}, "by": self.li}, "grid"),
        ]
        for kw, field in cases:
            with self.subTest(field=field), self.assertRaises(draws.DrawError) as caught:
                self.make(**kw)
            self.assertEqual(caught.exception.field, field)
        self.assertFalse(Draw.objects.exists())

    def test_an_office_with_one_officer_cannot_draw_pairs(self) -> None:
        self.li2.is_active = False
        self.li2.save()
        with translation.override("en"), self.assertRaisesMessage(draws.DrawError, "at least 2"):
            self.make(by=self.li, size=1)

    def test_leaders_and_grid_workers_cannot_draw(self) -> None:
        for user in (self.zhou, self.zhang, self.sun):
            with self.assertRaises(NotAllowed):
                self.make(by=user)

    def test_publishing_records_who_and_when_and_happens_once(self) -> None:
        draw = self.make()
        with self.assertRaises(Http404):
            # An office's officer sees a zone-wide draw only once it is published.
            draws.publish_draw(draw, by=self.li)
        draws.publish_draw(draw, by=self.chen)
        draw.refresh_from_db()
        self.assertEqual(draw.published_by, self.chen)
        self.assertIsNotNone(draw.published_at)
        for user in (self.chen, self.li):
            with self.assertRaises(draws.DrawError):
                draws.publish_draw(draw, by=user)
        draw.refresh_from_db()
        self.assertEqual(draw.published_by, self.chen)
        self.assertTrue(Entry.objects.filter(action="draw.publish").exists())

    def test_an_office_cannot_publish_another_offices_draw(self) -> None:
        draw = self.make(by=self.li, size=1)
        with self.assertRaises(Http404):
            draws.publish_draw(draw, by=self.qian)
        draw.refresh_from_db()
        self.assertFalse(draw.is_published)


class DrawVisitTests(DrawWorld):
    def visit(self, by: User, item: DrawItem, kind: str = VisitKind.DOUBLE_RANDOM) -> Any:
        return record_visit(
            VisitIn(
                client_uuid=uuid.uuid4(),
                kind=kind,
                enterprise=item.enterprise_id,
                outcome=Outcome.INSPECTED,
                started_at=timezone.now(),
                draw_item=item.pk,
            ),
            by=by,
        )

    def drawn(self) -> DrawItem:
        """A one-enterprise draw of office O1, whose two officers (Li and Li2) are both drawn."""
        item = self.make(by=self.li, size=1).items.get()
        self.assertEqual(set(item.officers.all()), {self.li, self.li2})
        return item

    def test_a_drawn_officer_records_the_inspection_against_the_draw(self) -> None:
        item = self.drawn()
        draws.publish_draw(item.draw, by=self.li)
        visit, created = self.visit(self.li2, item)
        self.assertTrue(created)
        self.assertEqual(visit.purpose, item)
        self.assertEqual(list(item.visits.all()), [visit])

    def test_an_unpublished_draw_is_not_inspected(self) -> None:
        item = self.drawn()
        with self.assertRaises(VisitError) as caught:
            self.visit(self.li, item)
        self.assertEqual(caught.exception.field, "draw_item")
        self.assertFalse(item.visits.exists())

    def test_an_officer_who_was_not_drawn_cannot_carry_it_out(self) -> None:
        item = self.drawn()
        draws.publish_draw(item.draw, by=self.li)
        self.chen.certificate_no = "执00"
        self.chen.save()
        with self.assertRaises(VisitError) as caught:
            self.visit(self.chen, item)
        self.assertEqual(caught.exception.field, "draw_item")

    def test_only_a_double_random_inspection_carries_out_a_draw(self) -> None:
        item = self.drawn()
        draws.publish_draw(item.draw, by=self.li)
        with self.assertRaises(VisitError) as caught:
            self.visit(self.li, item, kind=VisitKind.INSPECTION)
        self.assertEqual(caught.exception.field, "kind")


class DrawPageTests(DrawWorld):
    def test_anonymous_is_sent_to_login(self) -> None:
        for url in ("/fieldwork/draws/", "/fieldwork/draws/new/"):
            r = self.client.get(url)
            self.assertRedirects(r, f"/login/?next={url}", fetch_redirect_response=False)

    def test_roles_without_draws_are_refused(self) -> None:
        for user in (self.nobody, self.zhang, self.zhao, self.sun, self.wu):
            self.client.force_login(user)
            self.assertEqual(self.client.get("/fieldwork/draws/").status_code, 403)

    def test_leaders_read_but_do_not_draw(self) -> None:
        draw = self.make()
        self.client.force_login(self.zhou)
        self.assertContains(self.client.get("/fieldwork/draws/"), draw.title)
        self.assertNotContains(self.client.get("/fieldwork/draws/"), 'id="new-draw"')
        self.assertContains(self.client.get(f"/fieldwork/draws/{draw.pk}/"), str(draw.seed))
        self.assertEqual(self.client.get("/fieldwork/draws/new/").status_code, 403)
        self.assertEqual(self.client.post(f"/fieldwork/draws/{draw.pk}/publish/").status_code, 403)

    def test_another_offices_draw_is_not_found(self) -> None:
        draw = self.make(by=self.li, size=1)
        self.client.force_login(self.qian)
        self.assertEqual(self.client.get(f"/fieldwork/draws/{draw.pk}/").status_code, 404)
        self.assertNotContains(self.client.get("/fieldwork/draws/"), draw.title)
        self.client.force_login(self.li2)
        self.assertEqual(self.client.get(f"/fieldwork/draws/{draw.pk}/").status_code, 200)

    def test_office_staff_see_a_zone_wide_draw_once_published(self) -> None:
        draw = self.make()
        self.client.force_login(self.qian)
        self.assertEqual(self.client.get(f"/fieldwork/draws/{draw.pk}/").status_code, 404)
        draws.publish_draw(draw, by=self.chen)
        self.assertContains(self.client.get("/fieldwork/draws/"), draw.title)
        r = self.client.get(f"/fieldwork/draws/{draw.pk}/")
        self.assertNotContains(r, 'id="publish"')

    def test_an_officer_draws_and_publishes_from_the_page(self) -> None:
        self.client.force_login(self.li)
        r = self.client.get("/fieldwork/draws/new/")
        self.assertContains(r, 'id="draw-form"')
        r = self.client.post(
            "/fieldwork/draws/new/",
            {"title": "东城九月抽查", "size": "3", "grid": str(self.grid_a.pk), "seed": "12345"},
        )
        draw = Draw.objects.get()
        self.assertRedirects(r, f"/fieldwork/draws/{draw.pk}/")
        self.assertEqual((draw.seed, draw.size, draw.office_id), (12345, 3, self.o1.pk))
        r = self.client.get(f"/fieldwork/draws/{draw.pk}/")
        self.assertContains(r, 'id="publish"')
        self.assertContains(r, "The seed reproduces this result")
        self.client.post(f"/fieldwork/draws/{draw.pk}/publish/")
        r = self.client.get(f"/fieldwork/draws/{draw.pk}/")
        self.assertNotContains(r, 'id="publish"')
        self.assertContains(r, str(self.li))

    def test_a_draw_too_big_is_shown_on_its_field(self) -> None:
        self.client.force_login(self.li)
        r = self.client.post("/fieldwork/draws/new/", {"title": "太多", "size": "99"})
        self.assertContains(r, 'data-field="size"')
        r = self.client.post(
            "/fieldwork/draws/new/", {"title": "别处", "size": "1", "grid": str(self.grid_b.pk)}
        )
        self.assertContains(r, 'data-field="grid"')
        self.assertFalse(Draw.objects.exists())

    def test_the_list_takes_the_same_queries_for_one_and_five_draws(self) -> None:
        self.make()
        self.client.force_login(self.chen)
        # session, user with its region (scope), the page of draws with office and
        # author
        with self.assertNumQueries(3):
            self.client.get("/fieldwork/draws/")
        for _n in range(4):
            self.make()
        with self.assertNumQueries(3):
            r = self.client.get("/fieldwork/draws/")
        self.assertEqual(len(r.context["page"].items), 5)

    def test_the_detail_page_takes_the_same_queries_for_one_and_ten_items(self) -> None:
        small, big = self.make(size=1), self.make(size=10)
        self.client.force_login(self.chen)
        with self.assertNumQueries(5):
            self.client.get(f"/fieldwork/draws/{small.pk}/")
        with self.assertNumQueries(5):
            r = self.client.get(f"/fieldwork/draws/{big.pk}/")
        self.assertEqual(len(r.context["items"]), 10)


class DrawApiTests(DrawWorld):
    def post(self, path: str, user: User, body: Any = None) -> Any:
        self.client.force_login(user)
        return self.client.post(path, json.dumps(body or {}), content_type="application/json")

    def test_anonymous_gets_401_and_other_roles_403(self) -> None:
        self.assertEqual(self.client.get("/api/v1/draws").status_code, 401)
        self.client.force_login(self.zhang)
        self.assertEqual(self.client.get("/api/v1/draws").status_code, 403)
        r = self.post("/api/v1/draws", self.zhou, {"title": "x", "size": 1})
        self.assertEqual(r.status_code, 403)

    def test_create_read_and_publish(self) -> None:
        r = self.post(
            "/api/v1/draws",
            self.chen,
            {"title": "全区抽查", "size": 3, "filters": {"office": self.o2.pk}, "seed": 99},
        )
        self.assertEqual(r.status_code, 201, r.content)
        body = r.json()
        self.assertEqual((body["seed"], body["size"], body["objects"]), (99, 3, 7))
        self.assertEqual(body["office_id"], self.o2.pk)
        self.assertTrue(body["reproduced"])
        self.assertEqual(len(body["items"]), 3)
        self.assertTrue(all(len(i["officers"]) == 2 for i in body["items"]))
        self.assertIsNone(body["published_at"])
        r = self.post(f"/api/v1/draws/{body['id']}/publish", self.qian)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.json()["published_by"]["id"], self.qian.pk)
        r = self.post(f"/api/v1/draws/{body['id']}/publish", self.chen)
        self.assertEqual(r.status_code, 422)
        self.assertEqual(r.json()["errors"][0]["field"], "published")
        self.client.force_login(self.li)
        self.assertEqual(self.client.get(f"/api/v1/draws/{body['id']}").status_code, 404)
        r = self.client.get("/api/v1/draws?with_count=true")
        self.assertEqual(r.json()["count"], 0)

    def test_bad_input_is_422_naming_the_field(self) -> None:
        r = self.post("/api/v1/draws", self.li, {"title": "x", "size": 50})
        self.assertEqual(r.status_code, 422)
        self.assertEqual(r.json()["errors"][0]["field"], "size")
        r = self.post("/api/v1/draws", self.li, {"title": "x", "size": 1, "filters": {"tag": "?"}})
        self.assertEqual(r.json()["errors"][0]["field"], "filters.tag")
        r = self.post("/api/v1/draws", self.li, {"title": "x", "size": "many"})
        self.assertEqual(r.status_code, 422)
        self.assertFalse(Draw.objects.exists())

    def test_the_list_pages_newest_first(self) -> None:
        first, second, third = self.make(), self.make(), self.make()
        self.client.force_login(self.zhou)
        r = self.client.get("/api/v1/draws?limit=2").json()
        self.assertEqual([d["id"] for d in r["items"]], [third.pk, second.pk])
        r = self.client.get(f"/api/v1/draws?limit=2&cursor={r['next']}").json()
        self.assertEqual([d["id"] for d in r["items"]], [first.pk])
        self.assertIsNone(r["next"])
