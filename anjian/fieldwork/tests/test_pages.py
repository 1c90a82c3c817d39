"""The field page, what it reads (enterprises near or by name, applicable checklists), what
it sends (the API contract its script relies on), and the page of one visit."""

from __future__ import annotations

import datetime
import json
import re
import uuid
from decimal import Decimal
from typing import Any

from django.utils import timezone

from anjian.accounts.models import Role, User
from anjian.checklists.models import Determination, VersionStatus
from anjian.draws import services as draws
from anjian.enterprises.models import Enterprise, EnterpriseTag
from anjian.fieldwork.models import Outcome, Result, Visit, VisitKind
from anjian.fieldwork.schemas import VisitIn
from anjian.fieldwork.services import record_visit
from anjian.fieldwork.views import distance_m
from anjian.hazards.models import Hazard, Level, RectifyType, Status
from anjian.hazards.tests.factories import JPEG, HazardWorld, days, make_checklist, make_photo
from anjian.test import make_enterprise, make_user

FIELD = "/field/"
CHOICES = "/field/enterprises/"


def place(enterprise: Enterprise, lat: str, lon: str) -> None:
    Enterprise.objects.filter(pk=enterprise.pk).update(
        latitude=Decimal(lat), longitude=Decimal(lon)
    )


class FieldPageTests(HazardWorld):
    def get(self, user: User, query: str = "") -> Any:
        self.client.force_login(user)
        return self.client.get(FIELD + query)

    def config(self, r: Any) -> dict[str, Any]:
        return dict(r.context["config"])

    def test_anonymous_is_sent_to_login(self) -> None:
        r = self.client.get(FIELD)
        self.assertRedirects(r, f"/login/?next={FIELD}", fetch_redirect_response=False)

    def test_the_phone_page_signs_out_with_the_main_layouts_form(self) -> None:
        r = self.get(self.zhang)
        form = re.search(
            r'<form action="([^"]+)" method="post" id="sign-out">(.*?)</form>',
            r.content.decode(),
            re.S,
        )
        assert form is not None, "no sign-out on the field page"
        self.assertEqual(form[1], "/accounts/logout/")
        self.assertIn("csrfmiddlewaretoken", form[2])
        self.assertIn("<button", form[2])
        out = self.client.post(form[1])
        self.assertRedirects(out, "/login/", fetch_redirect_response=False)
        self.assertRedirects(
            self.client.get(FIELD), f"/login/?next={FIELD}", fetch_redirect_response=False
        )

    def test_roles_without_a_kind_of_visit_are_refused(self) -> None:
        for user in (self.wu, self.nobody):
            with self.subTest(user=user.username):
                self.assertEqual(self.get(user).status_code, 403)

    def test_each_role_records_its_own_kind_of_visit(self) -> None:
        kinds = {
            self.zhang: VisitKind.PATROL,
            self.li: VisitKind.INSPECTION,
            self.chen: VisitKind.INSPECTION,
            self.sun: VisitKind.EXPERT_CHECK,
            self.zhao: VisitKind.SELF_INSPECTION,
            self.zhou: VisitKind.LIAISON,
        }
        for user, kind in kinds.items():
            with self.subTest(user=user.username):
                r = self.get(user)
                self.assertEqual(r.status_code, 200)
                self.assertEqual(self.config(r)["kind"], kind)

    def test_enterprise_user_starts_at_its_own_enterprise(self) -> None:
        r = self.get(self.zhao)
        self.assertEqual(self.config(r)["enterprise"], {"id": self.ea.pk, "name": self.ea.name})

    def test_a_link_from_an_enterprise_page_preselects_it_within_scope_only(self) -> None:
        r = self.get(self.zhang, f"?enterprise={self.ea.pk}")
        self.assertEqual(self.config(r)["enterprise"]["id"], self.ea.pk)
        r = self.get(self.zhang, f"?enterprise={self.eb.pk}")
        self.assertIsNone(self.config(r)["enterprise"])
        self.assertNotContains(r, self.eb.name)

    def test_ids_that_are_digits_but_not_numbers_are_ignored_not_a_500(self) -> None:
        # "²".isdigit() is true, int("²") fails: ids are read with isdecimal().
        r = self.get(self.zhang, "?enterprise=%C2%B2")
        self.assertIsNone(self.config(r)["enterprise"])
        r = self.get(self.li, "?draw_item=%C2%B2")
        self.assertEqual(r.status_code, 200)
        self.client.force_login(self.chen)
        self.assertEqual(self.client.get("/checklists/new/?from=%C2%B2").status_code, 200)
        self.assertEqual(self.client.get("/hazards/?office=%C2%B2").status_code, 200)
        self.assertEqual(self.client.get("/enterprises/?office=%C2%B2").status_code, 200)
        notice = self.client.get("/notices/new/?visit=%C2%B2&hazard=%C2%B2")
        self.assertEqual(notice.status_code, 404)  # no visit or hazard named: not found

    def test_officers_may_leave_the_deadline_for_later_and_grid_workers_may_not(self) -> None:
        self.assertFalse(self.config(self.get(self.li))["deadlineRequired"])
        self.assertTrue(self.config(self.get(self.zhang))["deadlineRequired"])

    def test_a_drawn_officer_inspects_the_drawn_enterprise_once_the_draw_is_published(
        self,
    ) -> None:
        make_user("li2", Role.OFFICER, region=self.o1, certificate_no="执03")
        draw = draws.create_draw(title="2026年第一批", criteria={}, size=1, by=self.li)
        item = draw.items.get()
        query = f"?draw_item={item.pk}"
        self.assertIsNone(self.config(self.get(self.li, query))["drawItem"])
        draws.publish_draw(draw, by=self.li)
        config = self.config(self.get(self.li, query))
        self.assertEqual((config["kind"], config["drawItem"]), (VisitKind.DOUBLE_RANDOM, item.pk))
        self.assertEqual(config["enterprise"]["id"], item.enterprise_id)
        for user in (self.qian, self.zhang):
            with self.subTest(user=user.username):
                self.assertIsNone(self.config(self.get(user, query))["drawItem"])

    def test_page_loads_the_light_stylesheet_and_the_camera(self) -> None:
        r = self.get(self.zhang)
        self.assertContains(r, "bootstrap-reboot.min.css")
        self.assertNotContains(r, "bootstrap.min.css")
        self.assertContains(r, "anjian/field.js")
        self.assertContains(r, 'capture="environment"', count=4)
        self.assertContains(r, 'id="field-config"')


class CompanionChoiceTests(HazardWorld):
    """The field page offers as companions exactly the people record_visit accepts."""

    def get(self, user: User) -> Any:
        self.client.force_login(user)
        return self.client.get(FIELD)

    def offered(self, user: User) -> list[int]:
        return [pk for pk, _name in self.get(user).context["companions"]]

    def test_each_kind_offers_its_own_roles_in_the_zone(self) -> None:
        make_user("gone", Role.GRID_WORKER, zone=self.zone, is_active=False)
        self.assertEqual(self.offered(self.zhang), [self.wang.pk])
        self.assertEqual(set(self.offered(self.li)), {self.chen.pk, self.qian.pk, self.sun.pk})
        self.assertEqual(set(self.offered(self.zhou)), {self.chen.pk, self.li.pk, self.qian.pk})
        colleague = make_user("zhao2", Role.ENTERPRISE, enterprise=self.ea)
        make_user("eb_user", Role.ENTERPRISE, enterprise=self.eb)
        self.assertEqual(self.offered(self.zhao), [colleague.pk])

    def test_the_companions_are_on_the_page(self) -> None:
        r = self.get(self.zhang)
        self.assertContains(r, f'class="companion" value="{self.wang.pk}"')
        self.assertContains(r, 'data-error="people"')


class OfflineTests(HazardWorld):
    def test_the_service_worker_is_served_from_the_field_page_path(self) -> None:
        r = self.client.get("/field/sw.js")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r["Content-Type"], "text/javascript")
        self.assertEqual(r["Cache-Control"], "no-cache")
        self.assertIn(b'addEventListener("fetch"', r.content)

    def test_the_page_tells_its_script_where_the_service_worker_and_the_user_are(self) -> None:
        self.client.force_login(self.zhang)
        config = self.client.get(FIELD).context["config"]
        self.assertEqual((config["urls"]["sw"], config["user"]), ("/field/sw.js", self.zhang.pk))
        self.assertContains(self.client.get(FIELD), 'id="outbox"')


class EnterpriseChoiceTests(HazardWorld):
    def choices(self, user: User, query: str = "") -> list[dict[str, Any]]:
        self.client.force_login(user)
        r = self.client.get(CHOICES + query)
        self.assertEqual(r.status_code, 200, r.content)
        return list(r.json()["items"])

    def names(self, user: User, query: str = "") -> list[str]:
        return [e["name"] for e in self.choices(user, query)]

    def test_roles_without_field_work_are_refused(self) -> None:
        self.client.force_login(self.wu)
        self.assertEqual(self.client.get(CHOICES).status_code, 403)
        self.client.logout()
        r = self.client.get(CHOICES)
        self.assertRedirects(r, f"/login/?next={CHOICES}", fetch_redirect_response=False)

    def test_each_person_chooses_within_scope(self) -> None:
        self.assertEqual(self.names(self.zhang), [self.ea.name])
        self.assertEqual(self.names(self.wang), [self.eb.name])
        self.assertEqual(sorted(self.names(self.li)), sorted([self.ea.name, self.ea2.name]))
        self.assertEqual(self.names(self.sun), [])

    def test_search_by_name_credit_code_or_address(self) -> None:
        make_enterprise(self.grid_a, "杨桥包装厂", address="杨桥路8号")
        self.assertEqual(self.names(self.li, "?q=精密"), [self.ea.name])
        self.assertEqual(self.names(self.li, f"?q={self.ea2.uscc.lower()}"), [self.ea2.name])
        self.assertEqual(self.names(self.li, "?q=杨桥路"), ["杨桥包装厂"])
        self.assertEqual(self.names(self.wang, "?q=杨桥"), [])

    def test_nearest_are_closest_first_and_only_those_with_a_position(self) -> None:
        place(self.ea, "31.300000", "120.600000")
        place(self.ea2, "31.310000", "120.600000")
        place(self.eb, "31.300500", "120.600000")
        make_enterprise(self.grid_a, "无坐标企业")
        got = self.choices(self.chen, "?lat=31.300100&lon=120.600000")
        self.assertEqual([e["id"] for e in got], [self.ea.pk, self.eb.pk, self.ea2.pk])
        self.assertEqual(got[0]["distance_m"], 11)
        self.assertEqual(got[2]["distance_m"], round(distance_m(31.3001, 120.6, 31.31, 120.6)))

    def test_nearest_are_at_most_ten_and_found_beyond_the_first_box(self) -> None:
        for i in range(12):
            place(make_enterprise(self.grid_a, f"近处{i:02d}"), f"31.{300 + i:03d}000", "120.6")
        far = make_enterprise(self.grid_a, "远处")
        place(far, "32.500000", "121.500000")
        got = self.choices(self.li, "?lat=31.3&lon=120.6")
        self.assertEqual([e["name"] for e in got], [f"近处{i:02d}" for i in range(10)])
        alone = self.choices(self.li, "?lat=33.0&lon=122.0")
        self.assertEqual(alone[0]["name"], "远处")

    def test_nearest_stays_in_scope(self) -> None:
        place(self.ea, "31.3", "120.6")
        place(self.eb, "31.3", "120.6")
        self.assertEqual(
            [e["id"] for e in self.choices(self.wang, "?lat=31.3&lon=120.6")], [self.eb.pk]
        )

    def test_a_bad_position_is_named(self) -> None:
        self.client.force_login(self.zhang)
        for query, field in (
            ("?lat=north&lon=120", "lat"),
            ("?lat=31&lon=720", "lon"),
            ("?lat=31", "lon"),
        ):
            with self.subTest(query=query):
                r = self.client.get(CHOICES + query)
                self.assertEqual(r.status_code, 400)
                self.assertEqual(r.json()["errors"][0]["field"], field)


class ChecklistChoiceTests(HazardWorld):
    def url(self, enterprise: Enterprise) -> str:
        return f"/field/enterprises/{enterprise.pk}/checklists/"

    def offered(self, user: User, enterprise: Enterprise) -> dict[int, dict[str, Any]]:
        """Version id → what the page gets (the seeded national checklists come along)."""
        self.client.force_login(user)
        r = self.client.get(self.url(enterprise))
        self.assertEqual(r.status_code, 200)
        return {v["id"]: v for v in r.json()["items"]}

    def codes(self, version_id: int) -> list[str]:
        return [i["code"] for i in self.offered(self.zhang, self.ea)[version_id]["items"]]

    def test_published_checklists_with_their_items_in_order(self) -> None:
        version = make_checklist([("1", Determination.GENERAL), ("2", Determination.MAJOR_DIRECT)])
        draft = make_checklist(status=VersionStatus.DRAFT)
        offered = self.offered(self.zhang, self.ea)
        self.assertNotIn(draft.pk, offered)
        got = offered[version.pk]
        self.assertEqual(
            [(i["code"], i["major"]) for i in got["items"]], [("1", False), ("2", True)]
        )

    def test_items_for_tags_the_enterprise_lacks_are_left_out(self) -> None:
        version = make_checklist([("1", Determination.GENERAL), ("2", Determination.GENERAL)])
        version.items.filter(code="2").update(tags=["dust_explosion"])
        self.assertEqual(self.codes(version.pk), ["1"])
        EnterpriseTag.objects.create(enterprise=self.ea, tag="dust_explosion")
        self.assertEqual(self.codes(version.pk), ["1", "2"])

    def test_out_of_scope_enterprise_is_not_found(self) -> None:
        make_checklist()
        self.client.force_login(self.wang)
        self.assertEqual(self.client.get(self.url(self.ea)).status_code, 404)
        self.client.force_login(self.wu)
        self.assertEqual(self.client.get(self.url(self.ea)).status_code, 403)


class WhatThePageSendsTests(HazardWorld):
    """The payloads field.js builds, posted to the API it posts to (session and CSRF)."""

    def setUp(self) -> None:
        super().setUp()
        self.version = make_checklist([("1", Determination.GENERAL), ("2", Determination.GENERAL)])
        self.item1, self.item2 = self.version.items.order_by("position")

    def post(self, user: User, body: dict[str, Any]) -> Any:
        self.client.force_login(user)
        return self.client.post("/api/v1/visits", json.dumps(body), content_type="application/json")

    def body(self, **fields: Any) -> dict[str, Any]:
        return {
            "client_uuid": str(uuid.uuid4()),
            "kind": VisitKind.PATROL,
            "enterprise": self.ea.pk,
            "outcome": Outcome.INSPECTED,
            "started_at": (timezone.now() - datetime.timedelta(minutes=30)).isoformat(),
            "ended_at": timezone.now().isoformat(),
            "note": "",
            "photos": [],
            "answers": [],
            "hazards": [],
            "latitude": "31.300100",
            "longitude": "120.600000",
            **fields,
        }

    def test_a_patrol_with_a_checklist_hazard_and_a_free_one_fixed_on_the_spot(self) -> None:
        answer_photo, before, after = (make_photo(self.zhang) for _ in range(3))
        body = self.body(
            checklist_version=self.version.pk,
            answers=[
                {"item": self.item1.pk, "result": Result.COMPLIANT, "note": "", "photos": []},
                {
                    "item": self.item2.pk,
                    "result": Result.NON_COMPLIANT,
                    "note": "通道堆物",
                    "photos": [answer_photo.pk],
                    "hazard": {
                        "client_uuid": str(uuid.uuid4()),
                        "name": "安全出口被堵",
                        "location": "二号车间",
                        "description": "",
                        "level": Level.GENERAL,
                        "rectify_type": RectifyType.DEADLINE,
                        "after_photos": [],
                        "deadline": days(7).isoformat(),
                        "liable_person": "王工",
                    },
                },
            ],
            hazards=[
                {
                    "client_uuid": str(uuid.uuid4()),
                    "name": "灭火器压力不足",
                    "location": "仓库",
                    "description": "",
                    "level": Level.GENERAL,
                    "rectify_type": RectifyType.IMMEDIATE,
                    "after_photos": [after.pk],
                    "before_photos": [before.pk],
                }
            ],
        )
        r = self.post(self.zhang, body)
        self.assertEqual(r.status_code, 201, r.content)
        visit = Visit.objects.get()
        self.assertEqual((visit.latitude, visit.answers.count()), (Decimal("31.300100"), 2))
        from_item, free = Hazard.objects.filter(visit=visit).order_by("id")
        self.assertEqual((from_item.item, from_item.status), (self.item2, Status.RECTIFYING))
        self.assertEqual((from_item.deadline, from_item.liable_person), (days(7), "王工"))
        self.assertEqual(list(from_item.before_photos.all()), [answer_photo])
        # A grid worker's fix on the spot waits for the officer (国办发〔2024〕54号).
        self.assertEqual(free.status, Status.SUBMITTED)
        self.assertEqual(list(free.after_photos.all()), [after])
        self.assertEqual(r.json()["hazard_ids"], [from_item.pk, free.pk])
        again = self.post(self.zhang, body)
        self.assertEqual(again.status_code, 200)
        self.assertEqual((Visit.objects.count(), Hazard.objects.count()), (1, 2))

    def test_a_checklist_hazard_fixed_on_the_spot_keeps_its_fix_photo(self) -> None:
        after = make_photo(self.zhang)
        body = self.body(
            checklist_version=self.version.pk,
            answers=[
                {
                    "item": self.item1.pk,
                    "result": Result.NON_COMPLIANT,
                    "hazard": {"rectify_type": RectifyType.IMMEDIATE, "after_photos": [after.pk]},
                }
            ],
        )
        r = self.post(self.zhang, body)
        self.assertEqual(r.status_code, 201, r.content)
        hazard = Hazard.objects.get()
        self.assertEqual(hazard.status, Status.SUBMITTED)
        self.assertEqual(list(hazard.after_photos.all()), [after])

    def test_a_photo_upload_answers_with_the_id_the_page_keeps(self) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        self.client.force_login(self.zhang)
        key = str(uuid.uuid4())
        first = self.client.post(
            "/api/v1/photos", {"file": SimpleUploadedFile("a.jpg", JPEG), "client_uuid": key}
        )
        again = self.client.post(
            "/api/v1/photos", {"file": SimpleUploadedFile("a.jpg", JPEG), "client_uuid": key}
        )
        self.assertEqual((first.status_code, again.status_code), (201, 200))
        self.assertEqual(first.json()["id"], again.json()["id"])


class VisitPageTests(HazardWorld):
    def setUp(self) -> None:
        super().setUp()
        self.photo = make_photo(self.zhang)
        self.visit, _created = record_visit(
            VisitIn(
                client_uuid=uuid.uuid4(),
                kind=VisitKind.PATROL,
                enterprise=self.ea.pk,
                outcome=Outcome.INSPECTED,
                started_at=timezone.now(),
                note="例行巡查",
                photos=[self.photo.pk],
            ),
            by=self.zhang,
        )
        self.url = f"/field/visits/{self.visit.pk}/"

    def get(self, user: User, url: str = "") -> Any:
        self.client.force_login(user)
        return self.client.get(url or self.url)

    def test_ladder(self) -> None:
        r = self.client.get(self.url)
        self.assertRedirects(r, f"/login/?next={self.url}", fetch_redirect_response=False)
        self.assertEqual(self.get(self.nobody).status_code, 403)
        for user in (self.wang, self.qian, self.sun):
            with self.subTest(user=user.username):
                self.assertEqual(self.get(user).status_code, 404)
        for user in (self.zhang, self.li, self.zhao, self.wu):
            with self.subTest(user=user.username):
                r = self.get(user)
                self.assertEqual(r.status_code, 200)
                self.assertContains(r, "例行巡查")

    def test_photo_is_served_in_scope_only(self) -> None:
        url = f"{self.url}photos/{self.photo.pk}/"
        r = self.get(self.li, url)
        self.assertEqual((r.status_code, r["Content-Type"]), (200, "image/jpeg"))
        self.assertEqual(self.get(self.wang, url).status_code, 404)
        stranger = make_photo(self.zhang)
        self.assertEqual(self.get(self.li, f"{self.url}photos/{stranger.pk}/").status_code, 404)

    def test_enterprise_page_lists_the_visit_and_offers_a_new_one(self) -> None:
        r = self.get(self.zhang, f"/enterprises/{self.ea.pk}/")
        self.assertContains(r, f'data-visit="{self.visit.pk}"')
        self.assertContains(r, f"/field/?enterprise={self.ea.pk}")
        self.assertNotContains(
            self.get(self.wu, f"/enterprises/{self.ea.pk}/"), "/field/?enterprise="
        )
