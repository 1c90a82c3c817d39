"""/api/v1/enterprises on the permission ladder: list, read, create, patch, status, export."""

from __future__ import annotations

import io
import json
from typing import Any

from openpyxl import load_workbook

from anjian.accounts.services import issue_token
from anjian.audit.models import Entry
from anjian.enterprises.models import (
    Enterprise,
    EnterpriseTag,
    Kind,
    SafetyManager,
    Status,
    StatusChange,
)
from anjian.enterprises.tests.helpers import EnglishWorld
from anjian.test import make_enterprise, make_uscc

URL = "/api/v1/enterprises"
# session, user with its region (scope), count, page (grid and office joined), tags.
LIST_QUERIES = 5


class ApiTestCase(EnglishWorld):
    def call(self, method: str, path: str, user: Any = None, body: Any = None, **kw: Any) -> Any:
        if user is not None:
            self.client.force_login(user)
        send = getattr(self.client, method)
        if body is not None:
            return send(path, json.dumps(body), content_type="application/json", **kw)
        return send(path, **kw)

    def assert_error(self, r: Any, status: int, field: str | None = None, text: str = "") -> None:
        self.assertEqual(r.status_code, status, r.content)
        body = r.json()
        self.assertTrue(body["detail"])
        if field is not None:
            fields = {e["field"]: e["message"] for e in body["errors"]}
            self.assertIn(field, fields)
            self.assertIn(text, fields[field])


class ListApiTests(ApiTestCase):
    def ids(self, user: Any, query: str = "") -> list[int]:
        r = self.call("get", URL + query, user)
        self.assertEqual(r.status_code, 200, r.content)
        return [item["id"] for item in r.json()["items"]]

    def test_anonymous_gets_401(self) -> None:
        self.assert_error(self.call("get", URL), 401)

    def test_each_role_lists_its_scope_by_name(self) -> None:
        by_name = sorted([self.ea, self.ea2, self.eb], key=lambda e: e.name)
        self.assertEqual(self.ids(self.chen), [e.pk for e in by_name])
        self.assertEqual(self.ids(self.li), [e.pk for e in by_name if e != self.eb])
        self.assertEqual(self.ids(self.wang), [self.eb.pk])
        self.assertEqual(self.ids(self.zhang), [self.ea.pk])
        self.assertEqual(self.ids(self.zhao), [self.ea.pk])
        self.assertEqual(self.ids(self.wu), [self.ea.pk])
        self.assertEqual(self.ids(self.sun), [])
        self.assertEqual(self.ids(self.nobody), [])

    def test_list_shape_and_count(self) -> None:
        EnterpriseTag.objects.create(enterprise=self.ea, tag="dust_explosion")
        body = self.call("get", URL + "?with_count=true", self.zhang).json()
        self.assertEqual(set(body), {"items", "next", "count"})
        self.assertEqual((body["count"], body["next"]), (1, None))
        item = body["items"][0]
        self.assertEqual(item["grid"], {"id": self.grid_a.pk, "name": self.grid_a.name})
        self.assertEqual(item["office"], {"id": self.o1.pk, "name": self.o1.name})
        self.assertEqual(item["tags"], ["dust_explosion"])
        self.assertEqual(item["uscc"], self.ea.uscc)
        self.assertNotIn("count", self.call("get", URL).json())

    def test_bad_cursor_is_400_naming_the_cursor(self) -> None:
        self.assert_error(self.call("get", URL + "?cursor=xyz", self.li), 400, "cursor")

    def test_filter_out_of_scope_is_422_naming_it(self) -> None:
        self.assert_error(self.call("get", URL + f"?office={self.o2.pk}", self.li), 422, "office")
        self.assert_error(self.call("get", URL + "?risk_class=purple", self.li), 422, "risk_class")

    def test_paging_walks_every_row_once(self) -> None:
        for i in range(12):
            make_enterprise(self.grid_a, "同名企业" if i % 3 else f"企业{i:02d}")
        seen: list[int] = []
        query = "?limit=5"
        while True:
            body = self.call("get", URL + query, self.li).json()
            self.assertLessEqual(len(body["items"]), 5)
            seen += [item["id"] for item in body["items"]]
            if body["next"] is None:
                break
            query = f"?limit=5&cursor={body['next']}"
        expected = list(
            Enterprise.objects.visible_to(self.li)
            .order_by("name", "id")
            .values_list("id", flat=True)
        )
        self.assertEqual(seen, expected)
        self.assertEqual(len(seen), 14)

    def test_query_count_is_the_same_for_3_and_30_enterprises(self) -> None:
        self.client.force_login(self.chen)
        with self.assertNumQueries(LIST_QUERIES):
            r = self.client.get(URL + "?with_count=true")
        self.assertEqual(r.json()["count"], 3)
        for i in range(27):
            e = make_enterprise([self.grid_a, self.grid_a2, self.grid_b][i % 3], f"企业{i:02d}")
            EnterpriseTag.objects.create(enterprise=e, tag="gas_use")
        with self.assertNumQueries(LIST_QUERIES):
            r = self.client.get(URL + "?with_count=true")
        self.assertEqual(len(r.json()["items"]), 30)

    def test_bearer_token_reads_the_owners_scope(self) -> None:
        _token, raw = issue_token(self.wang)
        r = self.client.get(URL, headers={"Authorization": f"Bearer {raw}"})
        self.assertEqual([i["id"] for i in r.json()["items"]], [self.eb.pk])


class ReadApiTests(ApiTestCase):
    def test_anonymous_gets_401(self) -> None:
        self.assert_error(self.call("get", f"{URL}/{self.ea.pk}"), 401)

    def test_out_of_scope_is_404_like_a_missing_one(self) -> None:
        for user in (self.qian, self.wang, self.sun, self.nobody):
            with self.subTest(user=user.username):
                self.assert_error(self.call("get", f"{URL}/{self.ea.pk}", user), 404)
        self.assert_error(self.call("get", f"{URL}/999999", self.chen), 404)

    def test_in_scope_reads_the_whole_file(self) -> None:
        landlord = make_enterprise(self.grid_a, "杨桥园区", kind=Kind.CLUSTER_OPERATOR)
        Enterprise.objects.filter(pk=self.ea.pk).update(landlord=landlord)
        SafetyManager.objects.create(enterprise=self.ea, name="王安全", phone="13800000001")
        body = self.call("get", f"{URL}/{self.ea.pk}", self.li).json()
        self.assertEqual(body["name"], self.ea.name)
        self.assertEqual(body["landlord"], {"id": landlord.pk, "name": landlord.name})
        self.assertEqual(body["competent_department"], {"id": self.fire.pk, "name": self.fire.name})
        self.assertEqual(body["safety_managers"], [{"name": "王安全", "phone": "13800000001"}])
        self.assertEqual((body["version"], body["status"]), (1, "operating"))
        tenants = self.call("get", f"{URL}/{landlord.pk}", self.li).json()["tenants"]
        self.assertEqual(tenants, [{"id": self.ea.pk, "name": self.ea.name}])


class CreateApiTests(ApiTestCase):
    def body(self, **fields: Any) -> dict[str, Any]:
        return {
            "name": "石塘新材料有限公司",
            "grid": self.grid_a.pk,
            "sector": "machinery",
        } | fields

    def assert_nothing_written(self) -> None:
        self.assertEqual(Enterprise.objects.count(), 3)
        self.assertFalse(Entry.objects.exists())

    def test_anonymous_gets_401(self) -> None:
        self.assert_error(self.call("post", URL, body=self.body()), 401)
        self.assert_nothing_written()

    def test_roles_without_edit_get_403(self) -> None:
        for user in (self.zhao, self.zhou, self.sun, self.wu, self.nobody):
            with self.subTest(user=user.username):
                self.assert_error(self.call("post", URL, user, self.body()), 403)
        self.assert_nothing_written()

    def test_officer_registers_with_an_audit_entry_from_the_api(self) -> None:
        code = make_uscc()
        r = self.call(
            "post",
            URL,
            self.li,
            self.body(
                uscc=code,
                tags=["hazchem_use"],
                safety_managers=[{"name": "王安全", "phone": "13800000001"}],
                latitude="31.2",
            ),
        )
        self.assertEqual(r.status_code, 201, r.content)
        body = r.json()
        e = Enterprise.objects.get(pk=body["id"])
        self.assertEqual((e.uscc, e.office, body["tags"]), (code, self.o1, ["hazchem_use"]))
        self.assertEqual(body["safety_managers"], [{"name": "王安全", "phone": "13800000001"}])
        entry = Entry.objects.get(action="enterprise.create")
        self.assertEqual((entry.channel, entry.actor, entry.object_id), ("api", self.li, str(e.pk)))
        self.assertEqual(entry.changes["name"], [None, "石塘新材料有限公司"])
        self.assertEqual(entry.changes["latitude"], [None, "31.2"])

    def test_bearer_token_writes_are_recorded_as_api(self) -> None:
        _token, raw = issue_token(self.zhang)
        r = self.client.post(
            URL,
            json.dumps(self.body()),
            content_type="application/json",
            headers={"Authorization": f"Bearer {raw}"},
        )
        self.assertEqual(r.status_code, 201, r.content)
        entry = Entry.objects.get(action="enterprise.create")
        self.assertEqual((entry.actor, entry.channel), (self.zhang, "api"))

    def test_wrong_check_character_is_422_naming_the_expected_one(self) -> None:
        good = make_uscc()
        bad = good[:17] + ("0" if good[17] != "0" else "1")
        r = self.call("post", URL, self.li, self.body(uscc=bad))
        self.assert_error(r, 422, "uscc", f"should be “{good[17]}”")
        self.assert_nothing_written()

    def test_wrong_length_is_422(self) -> None:
        r = self.call("post", URL, self.li, self.body(uscc="9132050012345678901"))
        self.assert_error(r, 422, "uscc", "not 19")
        self.assert_nothing_written()

    def test_credit_code_typed_with_spaces_is_normalized(self) -> None:
        code = make_uscc()
        spaced = f"{code[:8]} {code[8:]}".lower()
        r = self.call("post", URL, self.li, self.body(uscc=spaced))
        self.assertEqual(r.status_code, 201, r.content)
        self.assertEqual(r.json()["uscc"], code)

    def test_grid_out_of_scope_is_422_naming_the_grid(self) -> None:
        self.assert_error(
            self.call("post", URL, self.li, self.body(grid=self.grid_b.pk)), 422, "grid"
        )
        self.assert_error(
            self.call("post", URL, self.zhang, self.body(grid=self.grid_a2.pk)), 422, "grid"
        )
        self.assert_error(self.call("post", URL, self.li, self.body(grid=999999)), 422, "grid")
        self.assert_nothing_written()

    def test_bad_values_are_422_naming_each_field(self) -> None:
        cases: dict[str, dict[str, Any]] = {
            "sector": {"sector": "spaceships"},
            "tags": {"tags": ["unicorns"]},
            "name": {"name": ""},
            "scale": {"scale": "huge"},
            "kind": {"kind": "squatter"},
            "principal_phone": {"principal_phone": "call me"},
            "safety_managers": {"safety_managers": [{"name": "", "phone": ""}]},
            "competent_department": {"competent_department": 999999},
        }
        for field, fields in cases.items():
            with self.subTest(field=field):
                self.assert_error(self.call("post", URL, self.li, self.body(**fields)), 422, field)
        self.assert_nothing_written()

    def test_wrong_types_are_422_not_500(self) -> None:
        r = self.call("post", URL, self.li, self.body(grid="A", employees="many"))
        self.assertEqual(r.status_code, 422)
        fields = {e["field"] for e in r.json()["errors"]}
        self.assertEqual(fields, {"grid", "employees"})
        self.assert_nothing_written()

    def test_nested_errors_name_the_item(self) -> None:
        r = self.call("post", URL, self.li, self.body(safety_managers=[{"phone": "1"}]))
        self.assertEqual([e["field"] for e in r.json()["errors"]], ["safety_managers.0.name"])

    def test_body_that_is_not_json_is_refused_cleanly(self) -> None:
        self.client.force_login(self.li)
        r = self.client.post(URL, "{not json", content_type="application/json")
        self.assert_error(r, 400)
        self.assert_nothing_written()

    def test_missing_required_field_is_named(self) -> None:
        r = self.call("post", URL, self.li, {"grid": self.grid_a.pk, "sector": "machinery"})
        self.assertEqual(r.status_code, 422)
        self.assertEqual([e["field"] for e in r.json()["errors"]], ["name"])
        self.assert_nothing_written()

    def test_landlord_cannot_be_a_tenant(self) -> None:
        landlord = make_enterprise(self.grid_a, "杨桥园区", kind=Kind.CLUSTER_OPERATOR)
        r = self.call("post", URL, self.li, self.body(kind="landlord", landlord=landlord.pk))
        self.assert_error(r, 422, "landlord", "cannot itself be a tenant")
        self.assertEqual(Enterprise.objects.count(), 4)


class PatchApiTests(ApiTestCase):
    def url(self, e: Enterprise) -> str:
        return f"{URL}/{e.pk}"

    def test_anonymous_gets_401(self) -> None:
        self.assert_error(
            self.call("patch", self.url(self.ea), body={"version": 1, "name": "x"}), 401
        )

    def test_roles_without_edit_get_403(self) -> None:
        for user in (self.zhao, self.zhou, self.wu):
            with self.subTest(user=user.username):
                r = self.call("patch", self.url(self.ea), user, {"version": 1, "name": "x"})
                self.assert_error(r, 403)
        self.assertEqual(Enterprise.objects.get(pk=self.ea.pk).name, self.ea.name)

    def test_out_of_scope_gets_404(self) -> None:
        for user in (self.qian, self.wang, self.sun, self.nobody):
            with self.subTest(user=user.username):
                r = self.call("patch", self.url(self.ea), user, {"version": 1, "name": "x"})
                self.assert_error(r, 404)
        self.assertFalse(Entry.objects.exists())

    def test_patch_changes_only_what_was_sent_and_records_it(self) -> None:
        EnterpriseTag.objects.create(enterprise=self.ea, tag="dust_explosion")
        SafetyManager.objects.create(enterprise=self.ea, name="王安全", phone="13800000001")
        r = self.call("patch", self.url(self.ea), self.li, {"version": 1, "address": "纬三路1号"})
        self.assertEqual(r.status_code, 200, r.content)
        body = r.json()
        self.assertEqual((body["address"], body["version"]), ("纬三路1号", 2))
        e = Enterprise.objects.get(pk=self.ea.pk)
        self.assertEqual(
            (e.name, e.competent_department, e.uscc), (self.ea.name, self.fire, self.ea.uscc)
        )
        self.assertEqual(list(e.tags.values_list("tag", flat=True)), ["dust_explosion"])
        self.assertEqual(e.safety_managers.count(), 1)
        entry = Entry.objects.get(action="enterprise.update")
        self.assertEqual(entry.changes, {"address": ["", "纬三路1号"]})
        self.assertEqual((entry.channel, entry.actor), ("api", self.li))

    def test_patch_of_tags_records_before_and_after(self) -> None:
        EnterpriseTag.objects.create(enterprise=self.ea, tag="dust_explosion")
        r = self.call("patch", self.url(self.ea), self.zhang, {"version": 1, "tags": ["gas_use"]})
        self.assertEqual(r.json()["tags"], ["gas_use"])
        entry = Entry.objects.get(action="enterprise.update")
        self.assertEqual(entry.changes, {"tags": [["dust_explosion"], ["gas_use"]]})

    def test_stale_version_is_409_and_nothing_is_written(self) -> None:
        self.call("patch", self.url(self.ea), self.li, {"version": 1, "name": "第一次"})
        r = self.call("patch", self.url(self.ea), self.li, {"version": 1, "name": "第二次"})
        self.assert_error(r, 409, "version", "current version is 2")
        self.assertEqual(Enterprise.objects.get(pk=self.ea.pk).name, "第一次")
        self.assertEqual(Entry.objects.filter(action="enterprise.update").count(), 1)

    def test_version_is_required(self) -> None:
        r = self.call("patch", self.url(self.ea), self.li, {"name": "x"})
        self.assertEqual(r.status_code, 422)
        self.assertEqual([e["field"] for e in r.json()["errors"]], ["version"])
        self.assertEqual(Enterprise.objects.get(pk=self.ea.pk).name, self.ea.name)

    def test_bad_credit_code_is_422(self) -> None:
        r = self.call("patch", self.url(self.ea), self.li, {"version": 1, "uscc": "123"})
        self.assert_error(r, 422, "uscc", "not 3")
        self.assertFalse(Entry.objects.exists())

    def test_grid_out_of_scope_is_422(self) -> None:
        r = self.call("patch", self.url(self.ea), self.li, {"version": 1, "grid": self.grid_b.pk})
        self.assert_error(r, 422, "grid")
        self.assertEqual(Enterprise.objects.get(pk=self.ea.pk).grid, self.grid_a)

    def test_moving_grid_in_scope_moves_the_scope_columns(self) -> None:
        r = self.call("patch", self.url(self.ea), self.chen, {"version": 1, "grid": self.grid_b.pk})
        self.assertEqual(r.json()["office"]["id"], self.o2.pk)
        e = Enterprise.objects.get(pk=self.ea.pk)
        self.assertEqual((e.village, e.office), (self.v2, self.o2))

    def test_name_cannot_be_blanked(self) -> None:
        r = self.call("patch", self.url(self.ea), self.li, {"version": 1, "name": None})
        self.assert_error(r, 422, "name")

    def test_landlord_becoming_a_tenant_is_refused(self) -> None:
        park = make_enterprise(self.grid_a, "杨桥园区", kind=Kind.CLUSTER_OPERATOR)
        body = {"version": 1, "kind": "landlord", "landlord": park.pk}
        self.assert_error(self.call("patch", self.url(self.ea), self.li, body), 422, "landlord")
        self.assertEqual(Enterprise.objects.get(pk=self.ea.pk).kind, Kind.ORDINARY)

    def test_tenant_links_to_a_landlord(self) -> None:
        park = make_enterprise(self.grid_a, "杨桥园区", kind=Kind.CLUSTER_OPERATOR)
        r = self.call("patch", self.url(self.ea), self.li, {"version": 1, "landlord": park.pk})
        self.assertEqual(r.json()["landlord"], {"id": park.pk, "name": park.name})


class StatusApiTests(ApiTestCase):
    def url(self, e: Enterprise) -> str:
        return f"{URL}/{e.pk}/status"

    def body(self, **fields: Any) -> dict[str, Any]:
        return {"to": "suspended", "effective_on": "2026-03-02", "reason": "停产整顿"} | fields

    def test_anonymous_gets_401(self) -> None:
        self.assert_error(self.call("post", self.url(self.ea), body=self.body()), 401)

    def test_roles_without_status_get_403(self) -> None:
        for user in (self.zhang, self.zhao, self.zhou, self.wu):
            with self.subTest(user=user.username):
                self.assert_error(self.call("post", self.url(self.ea), user, self.body()), 403)
        self.assertFalse(StatusChange.objects.exists())

    def test_out_of_scope_gets_404(self) -> None:
        for user in (self.qian, self.wang, self.sun):
            with self.subTest(user=user.username):
                self.assert_error(self.call("post", self.url(self.ea), user, self.body()), 404)
        self.assertFalse(StatusChange.objects.exists())

    def test_officer_changes_status(self) -> None:
        r = self.call("post", self.url(self.ea), self.li, self.body(version=1))
        self.assertEqual(r.status_code, 200, r.content)
        self.assertEqual((r.json()["status"], r.json()["status_reason"]), ("suspended", "停产整顿"))
        change = StatusChange.objects.get()
        self.assertEqual(
            (change.from_status, change.to_status, change.by), ("operating", "suspended", self.li)
        )
        self.assertEqual(Entry.objects.get(action="enterprise.status").channel, "api")

    def test_forbidden_transition_is_422_on_to(self) -> None:
        Enterprise.objects.filter(pk=self.ea.pk).update(status=Status.CLOSED)
        r = self.call("post", self.url(self.ea), self.li, self.body(to="operating"))
        self.assert_error(r, 422, "to", "cannot become")
        self.assertFalse(StatusChange.objects.exists())

    def test_unknown_status_is_422_on_to(self) -> None:
        self.assert_error(
            self.call("post", self.url(self.ea), self.li, self.body(to="gone")), 422, "to"
        )

    def test_blank_reason_is_422_on_reason(self) -> None:
        r = self.call("post", self.url(self.ea), self.li, self.body(reason="  "))
        self.assert_error(r, 422, "reason")
        self.assertFalse(StatusChange.objects.exists())

    def test_bad_date_is_422_naming_it(self) -> None:
        r = self.call("post", self.url(self.ea), self.li, self.body(effective_on="yesterday"))
        self.assertEqual(r.status_code, 422)
        self.assertEqual([e["field"] for e in r.json()["errors"]], ["effective_on"])
        self.assertFalse(StatusChange.objects.exists())

    def test_stale_version_is_409(self) -> None:
        self.assert_error(
            self.call("post", self.url(self.ea), self.li, self.body(version=3)), 409, "version"
        )
        self.assertFalse(StatusChange.objects.exists())


class ExportApiTests(ApiTestCase):
    def test_anonymous_gets_401(self) -> None:
        self.assert_error(self.call("get", URL + "/export"), 401)

    def test_export_holds_the_callers_filtered_scope(self) -> None:
        make_enterprise(self.grid_b, "石塘纺织二厂", sector="textile")
        r = self.call("get", URL + "/export?sector=textile", self.qian)
        self.assertEqual(r.status_code, 200)
        rows = list(load_workbook(io.BytesIO(r.content)).worksheets[0].iter_rows(values_only=True))
        self.assertEqual(rows[0][0], "企业名称")
        self.assertEqual(sorted(row[0] for row in rows[1:]), ["石塘纺织二厂"])

    def test_invalid_filter_is_422(self) -> None:
        self.assert_error(
            self.call("get", URL + f"/export?grid={self.grid_b.pk}", self.li), 422, "grid"
        )
