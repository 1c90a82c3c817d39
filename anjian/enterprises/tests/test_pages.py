"""The registry pages (list, detail, register, edit, status) on the permission ladder."""

from __future__ import annotations

import datetime
from typing import Any

from anjian.audit.models import Entry
from anjian.enterprises.models import Enterprise, EnterpriseTag, Kind, Sector, Status, StatusChange
from anjian.enterprises.tests.helpers import EnglishWorld
from anjian.test import make_enterprise, make_uscc


def form_data(grid_id: int, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "杨桥新材料有限公司",
        "uscc": "",
        "grid": grid_id,
        "sector": Sector.MACHINERY,
        "kind": Kind.ORDINARY,
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def edit_data(e: Enterprise, **fields: Any) -> dict[str, Any]:
    """The edit form as the page renders it for `e`, with `fields` changed."""
    data = form_data(e.grid_id, name=e.name, uscc=e.uscc, sector=e.sector, kind=e.kind)
    data["competent_department"] = e.competent_department_id or ""
    data["version"] = e.version
    data.update(fields)
    return data


# session, user with its region (scope), count, page (grid and office joined),
# tags, and the filter's choices: offices, villages, grids.
LIST_QUERIES = 8


class ListPageTests(EnglishWorld):
    url = "/enterprises/"

    def listed(self, user: Any, query: str = "") -> set[Enterprise]:
        self.client.force_login(user)
        r = self.client.get(self.url + query)
        self.assertEqual(r.status_code, 200)
        return set(r.context["page"].items)

    def test_anonymous_is_sent_to_login(self) -> None:
        r = self.client.get(self.url)
        self.assertRedirects(r, "/login/?next=/enterprises/", fetch_redirect_response=False)

    def test_user_without_role_is_refused(self) -> None:
        self.client.force_login(self.nobody)
        self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_each_role_lists_its_scope(self) -> None:
        self.assertEqual(self.listed(self.chen), {self.ea, self.ea2, self.eb})
        self.assertEqual(self.listed(self.li), {self.ea, self.ea2})
        self.assertEqual(self.listed(self.qian), {self.eb})
        self.assertEqual(self.listed(self.zhang), {self.ea})
        self.assertEqual(self.listed(self.wang), {self.eb})
        self.assertEqual(self.listed(self.zhao), {self.ea})
        self.assertEqual(self.listed(self.wu), {self.ea})
        self.assertEqual(self.listed(self.sun), set())

    def test_grid_worker_does_not_see_other_grids_names(self) -> None:
        self.client.force_login(self.wang)
        r = self.client.get(self.url)
        self.assertContains(r, self.eb.name)
        self.assertNotContains(r, self.ea.name)
        self.assertNotContains(r, self.grid_a.name)

    def test_a_row_shows_its_labels_and_tags_with_every_name_escaped(self) -> None:
        e = make_enterprise(self.grid_a, name="<i>杨桥</i>化工", risk_class="red")
        EnterpriseTag.objects.create(enterprise=e, tag="confined_space")
        self.client.force_login(self.chen)
        body = self.client.get(self.url, headers={"HX-Request": "true"}).content.decode()
        row = body.split(f'<a href="/enterprises/{e.pk}/">', 1)[1].split("</tr>", 1)[0]
        self.assertTrue(row.startswith("&lt;i&gt;杨桥&lt;/i&gt;化工</a>"), row)
        self.assertIn('<span class="badge risk-red">Red (major risk)</span>', row)
        self.assertIn(">Machinery<", row)
        self.assertIn(">Confined space work</span>", row)
        self.assertIn(f"{self.grid_a.name}</td>", row)

    def test_htmx_request_gets_the_table_alone(self) -> None:
        self.client.force_login(self.li)
        r = self.client.get(self.url, headers={"HX-Request": "true"})
        self.assertTemplateUsed(r, "enterprises/_table.html")
        self.assertTemplateNotUsed(r, "enterprises/list.html")
        self.assertNotContains(r, "<html")
        self.assertContains(r, self.ea.name)

    def test_full_page_has_the_filter_form(self) -> None:
        self.client.force_login(self.li)
        r = self.client.get(self.url)
        self.assertTemplateUsed(r, "enterprises/list.html")
        self.assertContains(r, 'id="filter-form"')

    def test_a_damaged_cursor_shows_the_first_page(self) -> None:
        self.assertEqual(self.listed(self.li, "?cursor=%%%not-a-cursor"), {self.ea, self.ea2})

    def test_invalid_filter_value_is_shown_as_an_error_not_a_500(self) -> None:
        self.client.force_login(self.li)
        r = self.client.get(self.url + f"?office={self.o2.pk}&sector=spaceships")
        self.assertEqual(r.status_code, 200)
        self.assertTrue(r.context["filter"].errors["office"])
        self.assertTrue(r.context["filter"].errors["sector"])

    def test_buttons_follow_the_role(self) -> None:
        self.client.force_login(self.zhao)
        r = self.client.get(self.url)
        self.assertNotContains(r, "/enterprises/new/")
        self.assertNotContains(r, "/enterprises/import/")
        self.client.force_login(self.zhang)
        r = self.client.get(self.url)
        self.assertContains(r, "/enterprises/new/")
        self.assertNotContains(r, "/enterprises/import/")
        self.client.force_login(self.li)
        self.assertContains(self.client.get(self.url), "/enterprises/import/")

    def test_export_link_carries_the_filters(self) -> None:
        self.client.force_login(self.li)
        r = self.client.get(self.url + "?sector=machinery&cursor=abc")
        self.assertContains(r, "/enterprises/export.xlsx?sector=machinery")
        self.assertNotContains(r, "export.xlsx?sector=machinery&amp;cursor")

    def test_query_count_is_the_same_for_3_and_30_enterprises(self) -> None:
        self.client.force_login(self.chen)
        with self.assertNumQueries(LIST_QUERIES):
            r = self.client.get(self.url)
        self.assertEqual(len(r.context["page"].items), 3)
        for i in range(27):
            e = make_enterprise([self.grid_a, self.grid_a2, self.grid_b][i % 3], f"企业{i:02d}")
            EnterpriseTag.objects.create(enterprise=e, tag="dust_explosion")
        with self.assertNumQueries(LIST_QUERIES):
            r = self.client.get(self.url)
        self.assertEqual(len(r.context["page"].items), 30)


class DetailPageTests(EnglishWorld):
    def get(self, user: Any, e: Enterprise) -> Any:
        self.client.force_login(user)
        return self.client.get(f"/enterprises/{e.pk}/")

    def test_anonymous_is_sent_to_login(self) -> None:
        r = self.client.get(f"/enterprises/{self.ea.pk}/")
        self.assertRedirects(
            r, f"/login/?next=/enterprises/{self.ea.pk}/", fetch_redirect_response=False
        )

    def test_user_without_role_is_refused(self) -> None:
        self.assertEqual(self.get(self.nobody, self.ea).status_code, 403)

    def test_out_of_scope_is_not_found(self) -> None:
        for user in (self.qian, self.wang, self.sun):
            with self.subTest(user=user.username):
                self.assertEqual(self.get(user, self.ea).status_code, 404)
        self.assertEqual(self.get(self.zhao, self.ea2).status_code, 404)
        self.assertEqual(self.get(self.wu, self.ea2).status_code, 404)
        self.assertEqual(self.get(self.zhang, self.ea2).status_code, 404)

    def test_missing_enterprise_is_not_found_like_an_out_of_scope_one(self) -> None:
        self.client.force_login(self.chen)
        self.assertEqual(self.client.get("/enterprises/999999/").status_code, 404)

    def test_in_scope_roles_see_the_file(self) -> None:
        for user in (self.chen, self.li, self.zhang, self.zhao, self.zhou, self.wu):
            with self.subTest(user=user.username):
                r = self.get(user, self.ea)
                self.assertContains(r, self.ea.name)
                self.assertContains(r, self.ea.uscc)

    def test_edit_and_status_buttons_follow_the_role(self) -> None:
        r = self.get(self.zhang, self.ea)
        self.assertContains(r, f"/enterprises/{self.ea.pk}/edit/")
        self.assertNotContains(r, f"/enterprises/{self.ea.pk}/status/")
        r = self.get(self.zhao, self.ea)
        self.assertNotContains(r, f"/enterprises/{self.ea.pk}/edit/")
        r = self.get(self.li, self.ea)
        self.assertContains(r, f"/enterprises/{self.ea.pk}/status/")

    def test_tenant_page_shows_its_landlord(self) -> None:
        landlord = make_enterprise(
            self.grid_a, "杨桥工业园管理有限公司", kind=Kind.CLUSTER_OPERATOR
        )
        Enterprise.objects.filter(pk=self.ea.pk).update(landlord=landlord)
        r = self.get(self.li, self.ea)
        self.assertContains(r, 'id="landlord"')
        self.assertContains(r, f'href="/enterprises/{landlord.pk}/"')
        self.assertContains(r, landlord.name)

    def test_landlord_page_lists_its_tenants_in_the_viewers_scope(self) -> None:
        landlord = make_enterprise(self.grid_a, "杨桥厂房出租方", kind=Kind.LANDLORD)
        Enterprise.objects.filter(pk__in=[self.ea.pk, self.ea2.pk]).update(landlord=landlord)
        r = self.get(self.li, landlord)
        self.assertEqual(set(r.context["tenants"]), {self.ea, self.ea2})
        self.assertContains(r, self.ea2.name)
        # Grid worker Zhang sees the landlord, but only the tenant in grid A.
        r = self.get(self.zhang, landlord)
        self.assertEqual(set(r.context["tenants"]), {self.ea})
        self.assertNotContains(r, self.ea2.name)

    def test_ordinary_enterprise_page_has_no_tenant_list(self) -> None:
        self.assertNotContains(self.get(self.li, self.ea), 'id="tenants"')


class CreatePageTests(EnglishWorld):
    url = "/enterprises/new/"

    def post(self, user: Any, data: dict[str, Any]) -> Any:
        self.client.force_login(user)
        return self.client.post(self.url, data)

    def assert_field_error(self, r: Any, field: str, text: str = "") -> None:
        """The page came back with an error under `field` (saying `text`, as rendered)."""
        self.assertEqual(r.status_code, 200)
        self.assertIn(field, r.context["form"].errors)
        self.assertContains(r, f'data-field="{field}"')
        if text:
            self.assertContains(r, text)

    def assert_nothing_written(self) -> None:
        self.assertEqual(Enterprise.objects.count(), 3)
        self.assertFalse(Entry.objects.exists())

    def test_anonymous_is_sent_to_login(self) -> None:
        r = self.client.get(self.url)
        self.assertRedirects(r, "/login/?next=/enterprises/new/", fetch_redirect_response=False)

    def test_roles_without_edit_are_refused(self) -> None:
        for user in (self.zhao, self.zhou, self.sun, self.wu, self.nobody):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(self.url).status_code, 403)
                self.assertEqual(
                    self.client.post(self.url, form_data(self.grid_a.pk)).status_code, 403
                )
        self.assert_nothing_written()

    def test_grid_choices_are_the_editors_scope(self) -> None:
        self.client.force_login(self.zhang)
        grids = set(self.client.get(self.url).context["form"].fields["grid"].queryset)
        self.assertEqual(grids, {self.grid_a})

    def test_officer_registers_an_enterprise_with_an_audit_entry(self) -> None:
        code = make_uscc()
        data = form_data(
            self.grid_a2.pk,
            uscc=code.lower(),
            tags=["dust_explosion", "confined_space"],
            safety_managers="王安全 13800000001\n李安全",
            employees="85",
        )
        r = self.post(self.li, data)
        e = Enterprise.objects.get(name="杨桥新材料有限公司")
        self.assertRedirects(r, f"/enterprises/{e.pk}/", fetch_redirect_response=False)
        self.assertEqual(e.uscc, code)
        self.assertEqual((e.village, e.office, e.zone), (self.v1, self.o1, self.zone))
        self.assertEqual((e.status, e.version), (Status.OPERATING, 1))
        self.assertEqual(
            sorted(e.tags.values_list("tag", flat=True)), ["confined_space", "dust_explosion"]
        )
        self.assertEqual(
            list(e.safety_managers.values_list("name", "phone")),
            [("王安全", "13800000001"), ("李安全", "")],
        )
        entry = Entry.objects.get(action="enterprise.create")
        self.assertEqual(
            (entry.actor, entry.channel, entry.object_id), (self.li, "page", str(e.pk))
        )
        self.assertEqual(entry.changes["name"], [None, "杨桥新材料有限公司"])
        self.assertEqual(entry.changes["uscc"], [None, code])
        self.assertEqual(entry.changes["grid"], [None, self.grid_a2.pk])
        self.assertEqual(entry.changes["tags"], [None, ["confined_space", "dust_explosion"]])
        self.assertEqual(entry.zone_id, self.zone.pk)

    def test_grid_worker_registers_in_their_own_grid(self) -> None:
        r = self.post(self.zhang, form_data(self.grid_a.pk))
        self.assertEqual(r.status_code, 302)
        self.assertEqual(Enterprise.objects.get(name="杨桥新材料有限公司").grid, self.grid_a)

    def test_grid_out_of_scope_is_a_field_error(self) -> None:
        self.assert_field_error(self.post(self.li, form_data(self.grid_b.pk)), "grid")
        self.assert_field_error(self.post(self.zhang, form_data(self.grid_a2.pk)), "grid")
        self.assert_nothing_written()

    def test_wrong_check_character_names_the_expected_one(self) -> None:
        good = make_uscc()
        bad = good[:17] + ("0" if good[17] != "0" else "1")
        r = self.post(self.li, form_data(self.grid_a.pk, uscc=bad))
        self.assert_field_error(r, "uscc", f"the 18th should be “{good[17]}”")
        self.assert_nothing_written()

    def test_wrong_length_credit_code_says_how_long(self) -> None:
        r = self.post(self.li, form_data(self.grid_a.pk, uscc="91320500123"))
        self.assert_field_error(r, "uscc", "has 18 characters, not 11")
        self.assert_nothing_written()

    def test_credit_code_already_registered_in_the_zone_is_refused(self) -> None:
        # EB is in O2, out of Li's sight, but the code is still taken in the zone.
        r = self.post(self.li, form_data(self.grid_a.pk, uscc=self.eb.uscc))
        self.assert_field_error(r, "uscc", "already registered")
        self.assert_nothing_written()

    def test_other_bad_fields_are_named(self) -> None:
        cases = {
            "principal_phone": {"principal_phone": "call me"},
            "industry_code": {"industry_code": "3311"},
            "latitude": {"latitude": "91"},
            "longitude": {"longitude": "-181"},
            "sector": {"sector": "spaceships"},
            "name": {"name": ""},
            "safety_managers": {"safety_managers": "王安全 not-a-phone!"},
            "employees": {"employees": "-3"},
        }
        for field, fields in cases.items():
            with self.subTest(field=field):
                self.assert_field_error(
                    self.post(self.li, form_data(self.grid_a.pk, **fields)), field
                )
        self.assert_nothing_written()

    def test_landlord_cannot_itself_be_a_tenant(self) -> None:
        landlord = make_enterprise(self.grid_a, "杨桥厂房出租方", kind=Kind.LANDLORD)
        r = self.post(self.li, form_data(self.grid_a.pk, kind=Kind.LANDLORD, landlord=landlord.pk))
        self.assert_field_error(r, "landlord", "cannot itself be a tenant")
        self.assertEqual(Enterprise.objects.count(), 4)

    def test_tenant_of_a_landlord_is_linked(self) -> None:
        landlord = make_enterprise(self.grid_a, "杨桥厂房出租方", kind=Kind.LANDLORD)
        self.post(self.li, form_data(self.grid_a.pk, landlord=landlord.pk))
        self.assertEqual(Enterprise.objects.get(name="杨桥新材料有限公司").landlord, landlord)

    def test_landlord_must_be_a_landlord_in_scope(self) -> None:
        other_office = make_enterprise(self.grid_b, "石塘园区", kind=Kind.CLUSTER_OPERATOR)
        for landlord in (self.ea2, other_office):
            with self.subTest(landlord=landlord.name):
                r = self.post(self.li, form_data(self.grid_a.pk, landlord=landlord.pk))
                self.assert_field_error(r, "landlord")
        self.assertEqual(Enterprise.objects.count(), 4)


class EditPageTests(EnglishWorld):
    def url(self, e: Enterprise) -> str:
        return f"/enterprises/{e.pk}/edit/"

    def test_anonymous_is_sent_to_login(self) -> None:
        r = self.client.get(self.url(self.ea))
        self.assertRedirects(
            r, f"/login/?next=/enterprises/{self.ea.pk}/edit/", fetch_redirect_response=False
        )

    def test_roles_without_edit_are_refused(self) -> None:
        for user in (self.zhao, self.zhou, self.wu, self.nobody):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(self.url(self.ea)).status_code, 403)
                r = self.client.post(self.url(self.ea), edit_data(self.ea, name="改名"))
                self.assertEqual(r.status_code, 403)
        self.assertEqual(Enterprise.objects.get(pk=self.ea.pk).name, self.ea.name)

    def test_editors_out_of_scope_get_not_found(self) -> None:
        for user, e in ((self.qian, self.ea), (self.wang, self.ea), (self.zhang, self.ea2)):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(self.url(e)).status_code, 404)
                self.assertEqual(
                    self.client.post(self.url(e), edit_data(e, name="改名")).status_code, 404
                )
        self.assertFalse(Entry.objects.exists())

    def test_editors_in_scope_get_the_form_with_current_values(self) -> None:
        EnterpriseTag.objects.create(enterprise=self.ea, tag="dust_explosion")
        for user in (self.chen, self.li, self.zhang):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                r = self.client.get(self.url(self.ea))
                self.assertEqual(r.status_code, 200)
                self.assertEqual(r.context["form"]["tags"].value(), ["dust_explosion"])
                self.assertEqual(r.context["form"]["version"].value(), 1)

    def test_edit_records_before_and_after(self) -> None:
        self.client.force_login(self.zhang)
        r = self.client.post(
            self.url(self.ea),
            edit_data(self.ea, name="杨桥精密机械股份有限公司", address="纬三路1号"),
        )
        self.assertRedirects(r, f"/enterprises/{self.ea.pk}/", fetch_redirect_response=False)
        e = Enterprise.objects.get(pk=self.ea.pk)
        self.assertEqual(
            (e.name, e.address, e.version), ("杨桥精密机械股份有限公司", "纬三路1号", 2)
        )
        entry = Entry.objects.get(action="enterprise.update")
        self.assertEqual((entry.actor, entry.channel), (self.zhang, "page"))
        self.assertEqual(
            entry.changes,
            {
                "name": ["杨桥精密机械有限公司", "杨桥精密机械股份有限公司"],
                "address": ["", "纬三路1号"],
            },
        )

    def test_stale_version_is_refused_and_nothing_is_written(self) -> None:
        self.client.force_login(self.li)
        data = edit_data(self.ea, name="后来者的名字")
        Enterprise.objects.filter(pk=self.ea.pk).update(version=2)
        r = self.client.post(self.url(self.ea), data)
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Someone else changed this enterprise")
        self.assertEqual(Enterprise.objects.get(pk=self.ea.pk).name, self.ea.name)
        self.assertFalse(Entry.objects.exists())

    def test_moving_to_a_grid_out_of_scope_is_a_field_error(self) -> None:
        self.client.force_login(self.li)
        r = self.client.post(self.url(self.ea), edit_data(self.ea, grid=self.grid_b.pk))
        self.assertIn("grid", r.context["form"].errors)
        self.assertEqual(Enterprise.objects.get(pk=self.ea.pk).grid, self.grid_a)

    def test_moving_within_scope_updates_the_scope_columns(self) -> None:
        self.client.force_login(self.chen)
        self.client.post(self.url(self.ea), edit_data(self.ea, grid=self.grid_b.pk))
        e = Enterprise.objects.get(pk=self.ea.pk)
        self.assertEqual((e.grid, e.village, e.office), (self.grid_b, self.v2, self.o2))
        self.client.force_login(self.li)
        self.assertEqual(self.client.get(f"/enterprises/{self.ea.pk}/").status_code, 404)

    def test_credit_code_of_another_enterprise_is_refused(self) -> None:
        self.client.force_login(self.li)
        r = self.client.post(self.url(self.ea), edit_data(self.ea, uscc=self.ea2.uscc))
        self.assertIn("uscc", r.context["form"].errors)

    def test_keeping_its_own_credit_code_is_fine(self) -> None:
        self.client.force_login(self.li)
        r = self.client.post(self.url(self.ea), edit_data(self.ea, name="新名字"))
        self.assertEqual(r.status_code, 302)

    def test_enterprise_cannot_pick_itself_as_landlord(self) -> None:
        Enterprise.objects.filter(pk=self.ea.pk).update(kind=Kind.LANDLORD)
        self.client.force_login(self.li)
        form = self.client.get(self.url(self.ea)).context["form"]
        self.assertNotIn(self.ea, set(form.fields["landlord"].queryset))


class StatusPageTests(EnglishWorld):
    def url(self, e: Enterprise) -> str:
        return f"/enterprises/{e.pk}/status/"

    def data(self, **fields: Any) -> dict[str, Any]:
        return {
            "to": Status.SHUT,
            "effective_on": "2026-03-02",
            "reason": "无证经营",
            "version": 1,
        } | fields

    def test_anonymous_is_sent_to_login(self) -> None:
        r = self.client.post(self.url(self.ea), self.data())
        self.assertRedirects(
            r, f"/login/?next=/enterprises/{self.ea.pk}/status/", fetch_redirect_response=False
        )

    def test_roles_without_status_capability_are_refused(self) -> None:
        for user in (self.zhang, self.zhao, self.zhou, self.wu, self.nobody):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(self.url(self.ea)).status_code, 403)
                self.assertEqual(self.client.post(self.url(self.ea), self.data()).status_code, 403)
        self.assertFalse(StatusChange.objects.exists())

    def test_officer_of_another_office_gets_not_found(self) -> None:
        self.client.force_login(self.qian)
        self.assertEqual(self.client.get(self.url(self.ea)).status_code, 404)
        self.assertEqual(self.client.post(self.url(self.ea), self.data()).status_code, 404)
        self.assertFalse(StatusChange.objects.exists())

    def test_form_offers_only_allowed_transitions(self) -> None:
        self.client.force_login(self.li)
        r = self.client.get(self.url(self.ea))
        offered = {v for v, _l in r.context["form"].fields["to"].choices}
        self.assertEqual(offered, {"suspended", "shut", "closed", "moved"})

    def test_officer_shuts_an_enterprise(self) -> None:
        self.client.force_login(self.li)
        r = self.client.post(self.url(self.ea), self.data())
        self.assertRedirects(r, f"/enterprises/{self.ea.pk}/", fetch_redirect_response=False)
        change = StatusChange.objects.get()
        self.assertEqual(
            (change.from_status, change.to_status, change.reason, change.by),
            ("operating", "shut", "无证经营", self.li),
        )
        self.assertEqual(change.effective_on, datetime.date(2026, 3, 2))
        self.assertEqual(Entry.objects.get(action="enterprise.status").channel, "page")
        self.assertContains(self.client.get(f"/enterprises/{self.ea.pk}/"), "无证经营")

    def test_closed_enterprise_cannot_be_reopened(self) -> None:
        Enterprise.objects.filter(pk=self.ea.pk).update(status=Status.CLOSED)
        self.client.force_login(self.li)
        r = self.client.post(self.url(self.ea), self.data(to=Status.OPERATING))
        self.assertEqual(r.status_code, 200)
        self.assertIn("to", r.context["form"].errors)
        self.assertEqual(Enterprise.objects.get(pk=self.ea.pk).status, Status.CLOSED)
        self.assertFalse(StatusChange.objects.exists())

    def test_reason_is_required(self) -> None:
        self.client.force_login(self.li)
        r = self.client.post(self.url(self.ea), self.data(reason="   "))
        self.assertIn("reason", r.context["form"].errors)
        self.assertFalse(StatusChange.objects.exists())

    def test_missing_date_is_a_field_error(self) -> None:
        self.client.force_login(self.li)
        r = self.client.post(self.url(self.ea), self.data(effective_on="not a date"))
        self.assertIn("effective_on", r.context["form"].errors)
        self.assertFalse(StatusChange.objects.exists())

    def test_stale_version_is_refused(self) -> None:
        self.client.force_login(self.li)
        r = self.client.post(self.url(self.ea), self.data(version=5))
        self.assertContains(r, "Someone else changed this enterprise first")
        self.assertFalse(StatusChange.objects.exists())
