"""The registry filters (one class for page, export and API) and keyset paging through them."""

from __future__ import annotations

from typing import Any

from anjian.enterprises.models import Enterprise, EnterpriseTag, Status
from anjian.enterprises.tests.helpers import EnglishWorld, sheet_rows
from anjian.test import error_fields, make_enterprise


class FilterTests(EnglishWorld):
    weave: Enterprise
    shop: Enterprise

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.weave = make_enterprise(
            cls.grid_a,
            "东方纺织印染有限公司",
            sector="textile",
            risk_class="red",
            scale="above",
            address="杨桥纬三路18号",
        )
        EnterpriseTag.objects.create(enterprise=cls.weave, tag="dust_explosion")
        EnterpriseTag.objects.create(enterprise=cls.weave, tag="confined_space")
        cls.shop = make_enterprise(
            cls.grid_b, "石塘百货商店", sector="commerce", risk_class="blue", scale="below"
        )
        Enterprise.objects.filter(pk=cls.shop.pk).update(status=Status.SHUT)

    def page(self, query: str, user: Any = None) -> set[Enterprise]:
        self.client.force_login(user or self.chen)
        r = self.client.get("/enterprises/?" + query)
        self.assertEqual(r.status_code, 200)
        self.assertFalse(r.context["filter"].errors)
        return set(r.context["page"].items)

    def api(self, query: str, user: Any = None) -> set[Enterprise]:
        self.client.force_login(user or self.chen)
        r = self.client.get("/api/v1/enterprises?limit=200&" + query)
        self.assertEqual(r.status_code, 200, r.content)
        ids = [item["id"] for item in r.json()["items"]]
        self.assertEqual(len(ids), len(set(ids)))
        return set(Enterprise.objects.filter(pk__in=ids))

    def assert_filter(self, query: str, expected: set[Enterprise], user: Any = None) -> None:
        with self.subTest(query=query):
            self.assertEqual(self.page(query, user), expected)
            self.assertEqual(self.api(query, user), expected)

    def test_no_filter_is_the_whole_scope(self) -> None:
        self.assert_filter("", {self.ea, self.ea2, self.eb, self.weave, self.shop})

    def test_area_filters(self) -> None:
        self.assert_filter(f"office={self.o1.pk}", {self.ea, self.ea2, self.weave})
        self.assert_filter(f"village={self.v2.pk}", {self.eb, self.shop})
        self.assert_filter(f"grid={self.grid_a.pk}", {self.ea, self.weave})
        self.assert_filter(f"grid={self.grid_a2.pk}", {self.ea2})

    def test_choice_filters(self) -> None:
        self.assert_filter("sector=textile", {self.weave})
        self.assert_filter("sector=machinery", {self.ea, self.ea2, self.eb})
        self.assert_filter("risk_class=red", {self.weave})
        self.assert_filter("risk_class=blue", {self.shop})
        self.assert_filter("status=shut", {self.shop})
        self.assert_filter("status=operating", {self.ea, self.ea2, self.eb, self.weave})
        self.assert_filter("scale=above", {self.weave})
        self.assert_filter("scale=below", {self.shop})

    def test_tag_filter_matches_once_per_enterprise(self) -> None:
        self.assert_filter("tag=dust_explosion", {self.weave})
        self.assert_filter("tag=confined_space", {self.weave})
        self.assert_filter("tag=gas_use", set())

    def test_free_text_searches_name_credit_code_and_address(self) -> None:
        self.assert_filter("q=纺织", {self.eb, self.weave})
        self.assert_filter("q=纬三路", {self.weave})
        self.assert_filter(f"q={self.ea2.uscc[-8:].lower()}", {self.ea2})
        self.assert_filter(f"q=+{self.ea2.uscc}+", {self.ea2})
        self.assert_filter("q=没有这样的企业", set())

    def test_filters_combine(self) -> None:
        self.assert_filter(f"q=纺织&office={self.o2.pk}", {self.eb})
        self.assert_filter(f"sector=textile&grid={self.grid_a2.pk}", set())

    def test_filters_never_widen_the_scope(self) -> None:
        self.assert_filter("q=石塘", set(), self.li)
        self.assert_filter("q=纺织", {self.weave}, self.li)
        self.assert_filter("sector=commerce", set(), self.zhang)

    def test_a_filter_outside_the_users_area_is_an_error(self) -> None:
        self.client.force_login(self.li)
        r = self.client.get(f"/api/v1/enterprises?grid={self.grid_b.pk}")
        self.assertEqual(r.status_code, 422)
        self.assertEqual([e["field"] for e in r.json()["errors"]], ["grid"])

    def test_every_face_answers_as_the_api_does_for_each_persona(self) -> None:
        """EnterpriseFilter is the one declaration behind the page, the API and both
        exports: a query lists the same enterprises everywhere (on the page in the API's
        order), or is refused on the same fields."""
        queries = [
            "",
            "sector=machinery",
            f"office={self.o1.pk}&q=杨桥",
            f"grid={self.grid_b.pk}",
            "status=shut&risk_class=blue",
            f"village={self.v1.pk}&tag=dust_explosion",
        ]
        users = (self.chen, self.li, self.zhang, self.wang)
        self.assert_faces_agree(users, queries, self.assert_same_answer)

    def assert_same_answer(self, query: str) -> str:
        api = self.client.get(f"/api/v1/enterprises?limit=200&{query}")
        page = self.client.get(f"/enterprises/?{query}")
        api_export = self.client.get(f"/api/v1/enterprises/export?{query}")
        if api.status_code == 422:
            refused = error_fields(api)
            self.assertEqual(set(page.context["filter"].errors), refused)
            self.assertEqual(error_fields(api_export), refused)
            return "refused"
        ids = [item["id"] for item in api.json()["items"]]
        self.assertEqual([e.pk for e in page.context["page"].items], ids)
        names = set(Enterprise.objects.filter(pk__in=ids).values_list("name", flat=True))
        page_export = self.client.get(f"/enterprises/export.xlsx?{query}")
        for export in (api_export, page_export):
            self.assertEqual({row[0] for row in sheet_rows(export.content)[1:]}, names)
        return "rows" if ids else "none"


class PagePagingTests(EnglishWorld):
    def test_next_page_links_walk_every_row_once(self) -> None:
        for i in range(60):
            make_enterprise(self.grid_a, f"企业{i % 7}")  # repeated names: ties broken by id
        self.client.force_login(self.li)
        seen: list[int] = []
        url = "/enterprises/?grid=" + str(self.grid_a.pk)
        pages = 0
        while url:
            r = self.client.get(url)
            page = r.context["page"]
            self.assertEqual(page.count, 61)
            seen += [e.pk for e in page.items]
            pages += 1
            url = f"/enterprises/?grid={self.grid_a.pk}&cursor={page.next}" if page.next else ""
            if page.next:
                self.assertContains(r, f"cursor={page.next}")
        expected = list(
            Enterprise.objects.filter(grid=self.grid_a)
            .order_by("name", "id")
            .values_list("id", flat=True)
        )
        self.assertEqual(seen, expected)
        self.assertEqual(pages, 2)
