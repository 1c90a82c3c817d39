"""/api/v1/hazards: the ledger with its filters and keyset paging, one hazard, its timeline,
its transitions and registration — each on the permission ladder."""

from __future__ import annotations

import datetime
import json
import uuid
from typing import Any
from unittest import mock

from anjian.accounts.models import User
from anjian.audit.models import Entry
from anjian.enterprises.models import Enterprise, EnterpriseTag, Sector, Tag
from anjian.hazards.models import (
    Hazard,
    HazardEvent,
    HazardType,
    Level,
    RectifyType,
    Source,
    Status,
)
from anjian.hazards.tests.factories import (
    HazardWorld,
    days,
    engage,
    general,
    major,
    make_photo,
    step,
    today,
)
from anjian.hazards.workflow import register_hazard
from anjian.test import error_fields

URL = "/api/v1/hazards"
# The national records, from the page's export and from the API's.
EXPORTS = ("/hazards/exports/ledger.json", f"{URL}/exports/ledger.json")
# session, user with its region (scope, accounts.backends), the page with the
# enterprise joined: the same for any number of hazards.
LIST_QUERIES = 3
# session, user with its region, the hazard, its events with their actors, their
# photos.
EVENT_QUERIES = 5


class ApiWorld(HazardWorld):
    def call(self, method: str, path: str, user: User | None = None, body: Any = None) -> Any:
        if user is not None:
            self.client.force_login(user)
        if body is not None:
            return getattr(self.client, method)(
                path, json.dumps(body, default=str), content_type="application/json"
            )
        return getattr(self.client, method)(path)

    def assert_error(self, r: Any, status: int, field: str | None = None, text: str = "") -> None:
        self.assertEqual(r.status_code, status, r.content)
        body = r.json()
        self.assertTrue(body["detail"])
        if field is not None:
            messages = {e["field"]: e["message"] for e in body["errors"]}
            self.assertIn(field, messages)
            self.assertIn(text, messages[field])

    def ids(self, user: User, query: str = "") -> list[int]:
        r = self.call("get", URL + query, user)
        self.assertEqual(r.status_code, 200, r.content)
        return [row["id"] for row in r.json()["items"]]

    def hazard(self, enterprise: Enterprise, by: User, **data: Any) -> Hazard:
        return register_hazard(enterprise, general(**data), by=by)


class LedgerLadderTests(ApiWorld):
    def test_anonymous_gets_401(self) -> None:
        self.assert_error(self.call("get", URL), 401)

    def test_each_role_lists_its_scope(self) -> None:
        engage(self.sun, self.ea2)
        a = self.hazard(self.ea, self.zhang)
        a2 = self.hazard(self.ea2, self.li)
        b = self.hazard(self.eb, self.wang)
        expected = {
            self.chen: {a, a2, b},
            self.zhou: {a, a2, b},
            self.li: {a, a2},
            self.qian: {b},
            self.zhang: {a},
            self.wang: {b},
            self.zhao: {a},
            self.wu: {a},  # the fire department: EA is referred to it
            self.sun: {a2},  # the expert: EA2 is in a running engagement
            self.nobody: set(),
        }
        for user, hazards in expected.items():
            with self.subTest(user=user.username):
                self.assertEqual(set(self.ids(user)), {h.pk for h in hazards})

    def test_row_shape_and_derived_overdue(self) -> None:
        h = self.hazard(self.ea, self.zhang, found_on=days(-40), deadline=days(-10))
        body = self.call("get", URL, self.zhang).json()
        self.assertEqual(set(body), {"items", "next"})
        row = body["items"][0]
        self.assertEqual(row["id"], h.pk)
        self.assertEqual(
            (row["enterprise_name"], row["grid_id"], row["office_id"]),
            (self.ea.name, self.grid_a.pk, self.o1.pk),
        )
        self.assertEqual((row["status"], row["overdue"]), (Status.RECTIFYING, True))
        self.assertEqual(row["deadline"], days(-10).isoformat())
        self.assertNotIn("overdue", Status.values)


class LedgerFilterTests(ApiWorld):
    late: Hazard
    major_b: Hazard
    closed_a2: Hazard
    own: Hazard

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        Enterprise.objects.filter(pk=cls.eb.pk).update(sector=Sector.TEXTILE)
        EnterpriseTag.objects.create(enterprise=cls.ea2, tag=Tag.DUST_EXPLOSION)
        photo = make_photo(cls.li)
        cls.late = register_hazard(
            cls.ea,
            general(name="配电箱前堆放杂物", found_on=days(-60), deadline=days(-30)),
            by=cls.zhang,
        )
        cls.major_b = register_hazard(
            cls.eb, major(found_on=days(-20), location="纺纱车间"), by=cls.qian
        )
        cls.closed_a2 = register_hazard(
            cls.ea2,
            general(
                name="灭火器压力不足",
                rectify_type=RectifyType.IMMEDIATE,
                deadline=None,
                hazard_type=HazardType.FIRE,
                source=Source.COMPREHENSIVE,
                found_on=days(-10),
            ),
            by=cls.li,
            after_photos=[photo],
        )
        cls.own = register_hazard(
            cls.ea,
            general(name="叉车未年检", description="叉车检验合格证过期", found_on=days(-5)),
            by=cls.zhao,
        )

    def query(self, query: str) -> set[int]:
        return set(self.ids(self.chen, query))

    def test_everything_without_filters(self) -> None:
        self.assertEqual(
            self.query(""), {self.late.pk, self.major_b.pk, self.closed_a2.pk, self.own.pk}
        )

    def test_each_filter_narrows(self) -> None:
        cases = {
            "?state=open": {self.late, self.major_b, self.own},
            "?state=overdue": {self.late},
            "?state=closed": {self.closed_a2},
            f"?state={Status.REPORTED}": {self.major_b},
            f"?level={Level.MAJOR}": {self.major_b},
            f"?level={Level.GENERAL}": {self.late, self.closed_a2, self.own},
            f"?office={self.o2.pk}": {self.major_b},
            f"?grid={self.grid_a2.pk}": {self.closed_a2},
            f"?enterprise={self.ea.pk}": {self.late, self.own},
            f"?source={Source.DAILY}": {self.own},
            f"?source={Source.COMPREHENSIVE}": {self.closed_a2},
            f"?hazard_type={HazardType.FIRE}": {self.closed_a2},
            f"?sector={Sector.TEXTILE}": {self.major_b},
            f"?tag={Tag.DUST_EXPLOSION}": {self.closed_a2},
            f"?found_from={days(-15).isoformat()}": {self.closed_a2, self.own},
            f"?found_to={days(-15).isoformat()}": {self.late, self.major_b},
            f"?found_from={days(-30).isoformat()}&found_to={days(-8).isoformat()}": {
                self.major_b,
                self.closed_a2,
            },
            f"?deadline_to={days(0).isoformat()}": {self.late},
            "?q=叉车": {self.own},
            "?q=检验合格证": {self.own},
            "?q=纺纱": {self.major_b},
            f"?q={self.ea2.name[:4]}": {self.closed_a2},
            "?state=open&level=0&enterprise=" + str(self.ea.pk): {self.late, self.own},
        }
        for query, expected in cases.items():
            with self.subTest(query=query):
                self.assertEqual(self.query(query), {h.pk for h in expected})

    def test_reversed_date_range_is_422_naming_found_to(self) -> None:
        r = self.call("get", f"{URL}?found_from={today()}&found_to={days(-1)}", self.chen)
        self.assert_error(r, 422, "found_to")

    def test_bad_filter_values_are_named(self) -> None:
        for query, field in (
            ("?state=lost", "state"),
            ("?level=7", "level"),
            ("?found_from=yesterday", "found_from"),
            (f"?office={self.o2.pk}", "office"),
            (f"?enterprise={self.eb.pk}", "enterprise"),
        ):
            with self.subTest(query=query):
                self.assert_error(self.call("get", URL + query, self.li), 422, field)

    def test_the_page_and_the_exports_answer_as_the_api_does(self) -> None:
        """HazardFilter is the one declaration behind the page, the API and both faces of
        the national export: a query lists the same hazards everywhere (on the page in the
        API's order), or is refused everywhere naming the same fields."""
        queries = [
            "",
            "?state=open&sort=deadline",
            f"?state=overdue&office={self.o1.pk}",
            f"?level={Level.MAJOR}",
            f"?grid={self.grid_a2.pk}",
            f"?enterprise={self.ea.pk}&sort=found_on",
            f"?tag={Tag.DUST_EXPLOSION}&sector={Sector.MACHINERY}",
            f"?found_from={days(-30).isoformat()}&q=叉车",
            f"?found_from={today()}&found_to={days(-1)}",
        ]
        users = (self.chen, self.li, self.zhang, self.wang, self.zhao)
        self.assert_faces_agree(users, queries, self.assert_same_answer)

    def assert_same_answer(self, query: str) -> str:
        api = self.client.get(URL + query)
        page = self.client.get("/hazards/" + query)
        exports = [self.client.get(f"{url}{query}") for url in EXPORTS]
        if api.status_code == 422:
            refused = error_fields(api)
            self.assertEqual(set(page.context["filter"].errors), refused)
            self.assertEqual([r.status_code for r in exports], [400, 422])
            self.assertEqual(error_fields(exports[1]), refused)
            return "refused"
        ids = [row["id"] for row in api.json()["items"]]
        self.assertEqual([h.pk for h in page.context["page"].items], ids)
        for export in exports:
            records = json.loads(export.getvalue())
            self.assertEqual({r["id"] for r in records}, set(ids))
        return "rows" if ids else "none"

    def test_with_count_counts_the_filtered_rows(self) -> None:
        body = self.call("get", f"{URL}?state=open&with_count=true", self.chen).json()
        self.assertEqual(body["count"], 3)
        body = self.call("get", f"{URL}?with_count=true", self.zhang).json()
        self.assertEqual(body["count"], 2)


class PagingTests(ApiWorld):
    def test_keyset_paging_walks_every_row_once_in_ledger_order(self) -> None:
        hazards = [
            self.hazard(self.ea, self.li, name=f"隐患{n}", found_on=days(-(n % 3)))
            for n in range(11)
        ]
        expected = [h.pk for h in sorted(hazards, key=lambda h: (h.found_on, h.pk), reverse=True)]
        seen: list[int] = []
        query = f"{URL}?limit=3&with_count=true"
        pages = 0
        while True:
            body = self.call("get", query, self.li).json()
            self.assertEqual(body["count"], 11)
            seen += [row["id"] for row in body["items"]]
            pages += 1
            if body["next"] is None:
                break
            query = f"{URL}?limit=3&with_count=true&cursor={body['next']}"
        self.assertEqual(seen, expected)
        self.assertEqual(pages, 4)

    def test_paging_keeps_the_filters(self) -> None:
        for n in range(5):
            self.hazard(self.ea, self.li, name=f"甲{n}", found_on=days(-n))
            self.hazard(self.eb, self.qian, name=f"乙{n}", found_on=days(-n))
        query = f"?enterprise={self.ea.pk}&limit=2"
        body = self.call("get", URL + query, self.chen).json()
        second = self.call("get", f"{URL}{query}&cursor={body['next']}", self.chen).json()
        names = [r["name"] for r in body["items"] + second["items"]]
        self.assertEqual(names, ["甲0", "甲1", "甲2", "甲3"])

    def test_bad_cursor_is_400_naming_the_cursor(self) -> None:
        self.assert_error(self.call("get", f"{URL}?cursor=rubbish", self.li), 400, "cursor")

    def test_list_query_count_does_not_grow_with_the_rows(self) -> None:
        for n in range(3):
            self.hazard(self.ea, self.li, name=f"甲{n}")
        self.client.force_login(self.li)
        with self.assertNumQueries(LIST_QUERIES):
            self.assertEqual(len(self.client.get(URL).json()["items"]), 3)
        for n in range(27):
            self.hazard(self.ea2, self.li, name=f"乙{n}")
        with self.assertNumQueries(LIST_QUERIES):
            self.assertEqual(len(self.client.get(URL).json()["items"]), 30)
        with self.assertNumQueries(LIST_QUERIES + 1):
            self.assertEqual(self.client.get(URL + "?with_count=true").json()["count"], 30)


class DetailTests(ApiWorld):
    def test_detail_ladder(self) -> None:
        h = self.hazard(self.ea, self.zhang)
        url = f"{URL}/{h.pk}"
        self.assert_error(self.call("get", url), 401)
        for user in (self.wang, self.qian, self.nobody, self.sun):
            with self.subTest(user=user.username):
                self.assert_error(self.call("get", url, user), 404)
        for user in (self.zhang, self.li, self.chen, self.zhao, self.zhou, self.wu):
            with self.subTest(user=user.username):
                r = self.call("get", url, user)
                self.assertEqual(r.status_code, 200, r.content)
                self.assertEqual(r.json()["id"], h.pk)
        self.assert_error(self.call("get", f"{URL}/999999", self.chen), 404)

    def test_detail_lists_the_actions_the_user_may_take(self) -> None:
        h = self.hazard(self.ea, self.zhang)
        body = self.call("get", f"{URL}/{h.pk}", self.zhao).json()
        self.assertEqual(body["actions"], ["submit", "request_extension"])
        self.assertEqual(body["version"], 1)
        self.assertEqual(body["danger_state"], 0)
        self.assertEqual(self.call("get", f"{URL}/{h.pk}", self.zhou).json()["actions"], [])

    def test_events_ladder_and_timeline(self) -> None:
        h = self.hazard(self.ea, self.zhang)
        photo = make_photo(self.zhao)
        step(h, "submit", self.zhao, photo, note="已清理")
        url = f"{URL}/{h.pk}/events"
        self.assert_error(self.call("get", url), 401)
        for user in (self.wang, self.qian, self.nobody):
            with self.subTest(user=user.username):
                self.assert_error(self.call("get", url, user), 404)
        events = self.call("get", url, self.li).json()
        self.assertEqual([e["action"] for e in events], ["register", "submit"])
        self.assertEqual(events[1]["actor_id"], self.zhao.pk)
        self.assertEqual(events[1]["note"], "已清理")
        self.assertEqual(events[1]["photo_ids"], [photo.pk])
        self.assertEqual(
            (events[1]["from_status"], events[1]["to_status"]),
            (Status.RECTIFYING, Status.SUBMITTED),
        )

    def test_events_query_count_does_not_grow_with_the_timeline(self) -> None:
        h = self.hazard(self.ea, self.zhang)
        self.client.force_login(self.li)
        url = f"{URL}/{h.pk}/events"
        with self.assertNumQueries(EVENT_QUERIES):
            self.assertEqual(len(self.client.get(url).json()), 1)
        photo = make_photo(self.zhao)
        for n in range(3):
            step(h, "request_extension", self.zhao, deadline=days(40 + n), note=str(n))
            step(h, "approve_extension", self.li)
        step(h, "submit", self.zhao, photo)
        with self.assertNumQueries(EVENT_QUERIES):
            self.assertEqual(len(self.client.get(url).json()), 8)


class TransitionApiTests(ApiWorld):
    def post(self, h: Hazard, user: User | None, **body: Any) -> Any:
        body.setdefault("version", Hazard.objects.get(pk=h.pk).version)
        return self.call("post", f"{URL}/{h.pk}/transitions", user, body)

    def test_transition_ladder(self) -> None:
        h = self.hazard(self.ea, self.zhang)
        step(h, "submit", self.zhao, make_photo(self.zhao))
        self.assert_error(self.post(h, None, action="accept"), 401)
        for user in (self.zhang, self.zhao, self.zhou, self.wu):
            with self.subTest(user=user.username):
                self.assert_error(self.post(h, user, action="accept"), 403)
        for user in (self.wang, self.qian, self.nobody):
            with self.subTest(user=user.username):
                self.assert_error(self.post(h, user, action="accept"), 404)
        self.assertEqual(Hazard.objects.get(pk=h.pk).status, Status.SUBMITTED)
        r = self.post(h, self.li, action="accept", note="复查合格")
        self.assertEqual(r.status_code, 200, r.content)
        body = r.json()
        self.assertEqual(
            (body["status"], body["version"], body["acceptor_id"]), (Status.CLOSED, 3, self.li.pk)
        )
        self.assertEqual(body["accept_comment"], "复查合格")
        self.assertEqual(body["actions"], [])

    def test_stale_version_is_409_and_writes_nothing(self) -> None:
        h = self.hazard(self.ea, self.zhang)
        step(h, "submit", self.zhao, make_photo(self.zhao))
        events, entries = HazardEvent.objects.count(), Entry.objects.count()
        r = self.post(h, self.li, action="accept", version=1)
        self.assert_error(r, 409, "version")
        h.refresh_from_db()
        self.assertEqual((h.status, h.version), (Status.SUBMITTED, 2))
        self.assertEqual((HazardEvent.objects.count(), Entry.objects.count()), (events, entries))

    def test_unknown_action_is_422_naming_action(self) -> None:
        h = self.hazard(self.ea, self.zhang)
        self.assert_error(self.post(h, self.li, action="teleport"), 422, "action", "teleport")

    def test_action_not_possible_now_is_422_naming_action(self) -> None:
        h = self.hazard(self.ea, self.zhang)
        self.assert_error(self.post(h, self.li, action="accept"), 422, "action", "not possible")

    def test_missing_input_is_named(self) -> None:
        h = self.hazard(self.ea, self.zhang)
        self.assert_error(self.post(h, self.li, action="void"), 422, "note")
        self.assert_error(self.post(h, self.zhao, action="submit"), 422, "photos")
        self.assert_error(
            self.post(h, self.zhao, action="request_extension", note="x"), 422, "deadline"
        )
        self.assert_error(self.post(h, self.li, action="accept", version="two"), 422, "version")

    def test_values_too_long_or_too_large_are_named(self) -> None:
        h = register_hazard(self.ea, major(), by=self.li)
        step(h, "confirm", self.li)
        plan = {
            "action": "file_plan",
            "plan_objectives": "目标",
            "plan_methods": "方法",
            "plan_funding": "经费",
            "plan_organisation": "机构",
            "plan_time_limit": "时限",
            "plan_safety_measures": "措施",
            "liable_person": "王工",
            "funds": "1000",
            "deadline": days(30).isoformat(),
        }
        for override, field in (
            ({"liable_person": "王" * 51}, "liable_person"),
            ({"funds": "1" * 13}, "funds"),
        ):
            with self.subTest(field=field):
                self.assert_error(self.post(h, self.zhao, **{**plan, **override}), 422, field)
        self.assertEqual(Hazard.objects.get(pk=h.pk).status, Status.CONFIRMED)
        r = self.post(h, self.zhao, **plan)
        self.assertEqual(r.status_code, 200, r.content)
        self.assertEqual(r.json()["status"], Status.PLAN_FILED)

    def test_transition_records_gps_and_photos_on_the_event(self) -> None:
        h = self.hazard(self.ea, self.zhang)
        photo = make_photo(self.zhang)
        r = self.post(
            h,
            self.zhang,
            action="submit",
            photos=[photo.pk],
            latitude="31.298886",
            longitude="120.585316",
            note="现场确认",
        )
        self.assertEqual(r.status_code, 200, r.content)
        event = HazardEvent.objects.filter(hazard=h).latest("id")
        self.assertEqual(
            (event.actor, event.note, str(event.latitude)), (self.zhang, "现场确认", "31.298886")
        )
        self.assertEqual(list(event.photos.all()), [photo])


class CreateHazardApiTests(ApiWorld):
    def body(self, **fields: Any) -> dict[str, Any]:
        return {
            "enterprise": self.ea.pk,
            "name": "安全出口堵塞",
            "deadline": days(7).isoformat(),
            **fields,
        }

    def test_create_ladder(self) -> None:
        self.assert_error(self.call("post", URL, None, self.body()), 401)
        self.assert_error(self.call("post", URL, self.wu, self.body()), 403)
        for user in (self.wang, self.qian, self.sun, self.nobody):
            with self.subTest(user=user.username):
                self.assert_error(self.call("post", URL, user, self.body()), 404)
        self.assertFalse(Hazard.objects.exists())
        r = self.call("post", URL, self.zhang, self.body())
        self.assertEqual(r.status_code, 201, r.content)
        body = r.json()
        self.assertEqual(
            (body["status"], body["finder"], body["source"]),
            (Status.RECTIFYING, "grid", Source.GRID_PATROL),
        )

    def test_retry_with_the_same_client_uuid_answers_200_with_the_same_hazard(self) -> None:
        body = self.body(client_uuid=str(uuid.uuid4()))
        first = self.call("post", URL, self.zhang, body)
        again = self.call("post", URL, self.zhang, body)
        self.assertEqual((first.status_code, again.status_code), (201, 200))
        self.assertEqual(first.json()["id"], again.json()["id"])
        self.assertEqual(Hazard.objects.count(), 1)

    def test_someone_elses_client_uuid_is_422_naming_it(self) -> None:
        key = str(uuid.uuid4())
        self.assertEqual(
            self.call("post", URL, self.zhang, self.body(client_uuid=key)).status_code, 201
        )
        r = self.call("post", URL, self.li, self.body(client_uuid=key, name="另一个"))
        self.assert_error(r, 422, "client_uuid")
        self.assertEqual(Hazard.objects.get().found_by, self.zhang)

    def test_bad_input_is_named(self) -> None:
        for fields, field in (
            ({"name": ""}, "name"),
            ({"level": "9"}, "level"),
            ({"source": "42"}, "source"),
            ({"hazard_type": "0"}, "hazard_type"),
            ({"deadline": None}, "deadline"),
            ({"deadline": "soon"}, "deadline"),
            ({"name": "长" * 201}, "name"),
            ({"funds": "-5"}, "funds"),
            ({"before_photos": [999999]}, "photos"),
            ({"rectify_type": RectifyType.IMMEDIATE, "deadline": None}, "after_photos"),
        ):
            with self.subTest(field=field, fields=fields):
                self.assert_error(
                    self.call("post", URL, self.zhang, self.body(**fields)), 422, field
                )
        self.assertFalse(Hazard.objects.exists())

    def test_deadline_before_today_is_named(self) -> None:
        r = self.call("post", URL, self.zhang, self.body(deadline=days(-1).isoformat()))
        self.assert_error(r, 422, "deadline")

    def test_enterprise_registers_its_own_and_may_close_it_on_the_spot(self) -> None:
        photo = make_photo(self.zhao)
        r = self.call(
            "post",
            URL,
            self.zhao,
            self.body(rectify_type=RectifyType.IMMEDIATE, deadline=None, after_photos=[photo.pk]),
        )
        self.assertEqual(r.status_code, 201, r.content)
        self.assertEqual(
            (r.json()["status"], r.json()["acceptor_id"]), (Status.CLOSED, self.zhao.pk)
        )


class HazardDateApiTests(ApiWorld):
    """Dates that make no sense are refused with the field named, and nothing is written."""

    def body(self, **fields: Any) -> dict[str, Any]:
        return {"enterprise": self.ea.pk, "name": "安全出口堵塞", "deadline": days(7), **fields}

    def test_found_in_the_future_is_refused(self) -> None:
        r = self.call("post", URL, self.zhang, self.body(found_on=days(1)))
        self.assert_error(r, 422, "found_on")
        self.assertFalse(Hazard.objects.exists())

    def test_found_earlier_or_today_is_recorded_as_given(self) -> None:
        for found in (days(-3), days(0)):
            with self.subTest(found=found):
                r = self.call("post", URL, self.zhang, self.body(found_on=found))
                self.assertEqual(r.status_code, 201, r.content)
                self.assertEqual(r.json()["found_on"], found.isoformat())

    def test_today_is_the_zones_today_not_utcs(self) -> None:
        # 01:00 in Shanghai on 11 March is still 10 March in UTC: the 11th is today.
        moment = datetime.datetime(2026, 3, 10, 17, 0, tzinfo=datetime.UTC)
        with mock.patch("django.utils.timezone.now", return_value=moment):
            ok = self.call("post", URL, self.zhang, self.body(found_on="2026-03-11"))
            late = self.call("post", URL, self.zhang, self.body(found_on="2026-03-12"))
        self.assertEqual(ok.status_code, 201, ok.content)
        self.assert_error(late, 422, "found_on")

    def test_deadline_before_the_found_day_is_refused(self) -> None:
        r = self.call(
            "post", URL, self.zhang, self.body(found_on=days(-10), deadline=days(-11).isoformat())
        )
        self.assert_error(r, 422, "deadline")

    def test_rectified_in_the_future_or_before_it_was_found_is_refused(self) -> None:
        h = register_hazard(self.ea, general(found_on=days(-5)), by=self.zhang)
        photo = make_photo(self.zhao)
        url = f"{URL}/{h.pk}/transitions"
        for when in (days(1), days(-6)):
            with self.subTest(rectified_on=when):
                body = {
                    "action": "submit",
                    "version": 1,
                    "rectified_on": when,
                    "photos": [photo.pk],
                }
                self.assert_error(self.call("post", url, self.zhao, body), 422, "rectified_on")
        self.assertEqual(Hazard.objects.get(pk=h.pk).status, Status.RECTIFYING)
        body = {"action": "submit", "version": 1, "rectified_on": days(-5), "photos": [photo.pk]}
        r = self.call("post", url, self.zhao, body)
        self.assertEqual(r.status_code, 200, r.content)
        self.assertEqual(Hazard.objects.get(pk=h.pk).rectified_on, days(-5))


class LedgerOutputTests(ApiWorld):
    """The list is sent without ninja validating it (lib.api.unchecked_json): it must still
    be exactly what the schema declares."""

    def test_the_list_is_exactly_the_declared_schema(self) -> None:
        from anjian.hazards.api import HazardRow
        from anjian.lib.api import ListOut

        late = self.hazard(self.ea, self.li, found_on=days(-40), deadline=days(-10))
        self.hazard(self.ea, self.li)
        self.client.force_login(self.chen)
        for query in ("", "?with_count=true", "?limit=1"):
            with self.subTest(query=query):
                r = self.client.get(URL + query)
                self.assertEqual(r.status_code, 200)
                self.assertEqual(r["Content-Type"], "application/json; charset=utf-8")
                body = r.json()
                ListOut[HazardRow].model_validate(body, strict=False)
                expected = {"items", "next"} | ({"count"} if "count" in query else set())
                self.assertEqual(set(body), expected)
                for item in body["items"]:
                    self.assertEqual(set(item), set(HazardRow.model_fields))
        items = {i["id"]: i for i in self.client.get(URL).json()["items"]}
        self.assertIs(items[late.pk]["overdue"], True)
        self.assertEqual(items[late.pk]["found_on"], days(-40).isoformat())
        self.assertEqual(items[late.pk]["enterprise_name"], self.ea.name)
