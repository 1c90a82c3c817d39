"""The ledger page, the hazard page and its action forms, hazard photos, and the hazard lists
on the enterprise portal's home and on an enterprise's page — on the permission ladder."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from anjian.accounts.models import User
from anjian.enterprises.models import Enterprise
from anjian.evidence.models import Photo
from anjian.hazards.models import Hazard, HazardEvent, Status
from anjian.hazards.tests.factories import (
    JPEG,
    PNG,
    HazardWorld,
    days,
    general,
    make_photo,
    step,
)
from anjian.hazards.views import STALE
from anjian.hazards.workflow import allowed_actions, register_hazard
from anjian.test import make_enterprise

LEDGER = "/hazards/"


def found(enterprise: Enterprise, by: User, **data: Any) -> Hazard:
    return register_hazard(enterprise, general(**data), by=by)


def overdue(enterprise: Enterprise, by: User, name: str = "安全出口锁闭") -> Hazard:
    """A hazard found 40 days ago and due 10 days ago, still rectifying."""
    return found(enterprise, by, name=name, found_on=days(-40), deadline=days(-10))


class LedgerPageTests(HazardWorld):
    def setUp(self) -> None:
        super().setUp()
        self.h_a = found(self.ea, self.li, name="配电箱前堆放杂物")
        self.h_b = found(self.eb, self.qian, name="消防通道堵塞")

    def listed(self, user: User, query: str = "") -> list[int]:
        """The ids of the hazards the ledger page lists, in order."""
        self.client.force_login(user)
        r = self.client.get(LEDGER + query)
        self.assertEqual(r.status_code, 200)
        return [row.pk for row in r.context["page"].items]

    def test_anonymous_is_sent_to_login(self) -> None:
        r = self.client.get(LEDGER)
        self.assertRedirects(r, f"/login/?next={LEDGER}", fetch_redirect_response=False)

    def test_person_without_role_is_refused(self) -> None:
        self.client.force_login(self.nobody)
        self.assertEqual(self.client.get(LEDGER).status_code, 403)

    def test_each_role_lists_its_scope(self) -> None:
        expected = {
            self.chen: {self.h_a, self.h_b},
            self.zhou: {self.h_a, self.h_b},
            self.li: {self.h_a},
            self.qian: {self.h_b},
            self.zhang: {self.h_a},
            self.wang: {self.h_b},
            self.zhao: {self.h_a},
            self.wu: {self.h_a},
            self.sun: set(),
        }
        for user, hazards in expected.items():
            with self.subTest(user=user.username):
                self.assertEqual(set(self.listed(user)), {h.pk for h in hazards})

    def test_grid_worker_of_b_sees_nothing_of_grid_a(self) -> None:
        self.client.force_login(self.wang)
        r = self.client.get(LEDGER)
        self.assertContains(r, self.h_b.name)
        self.assertNotContains(r, self.h_a.name)
        self.assertNotContains(r, self.ea.name)
        self.assertNotContains(r, self.grid_a.name)

    def test_newest_first(self) -> None:
        older = found(self.ea, self.li, name="旧隐患", found_on=days(-5))
        self.assertEqual(self.listed(self.li), [self.h_a.pk, older.pk])

    def test_the_next_page_continues_where_the_first_ended(self) -> None:
        for i in range(50):
            found(self.ea, self.li, name=f"隐患{i:02d}", found_on=days(-1 - i % 7))
        self.client.force_login(self.li)
        first = self.client.get(LEDGER + "?state=open")
        page = first.context["page"]
        self.assertEqual(len(page.items), 50)
        self.assertContains(first, "?state=open&amp;cursor=")
        second = self.client.get(LEDGER + f"?state=open&cursor={page.next}")
        rest = list(second.context["page"].items)
        self.assertEqual(len(rest), 1)
        self.assertNotIn(rest[0].pk, [row.pk for row in page.items])

    def test_filters_narrow_the_list(self) -> None:
        late = overdue(self.ea, self.li)
        self.assertEqual(self.listed(self.chen, "?state=overdue"), [late.pk])
        self.assertEqual(self.listed(self.chen, f"?office={self.o2.pk}"), [self.h_b.pk])
        self.assertEqual(self.listed(self.chen, "?q=消防"), [self.h_b.pk])

    def test_htmx_request_gets_the_filter_and_table_alone(self) -> None:
        self.client.force_login(self.li)
        r = self.client.get(LEDGER, headers={"HX-Request": "true"})
        self.assertTemplateUsed(r, "hazards/_table.html")
        self.assertTemplateNotUsed(r, "hazards/ledger.html")
        self.assertNotContains(r, "<html")
        self.assertContains(r, 'id="filter-form"')

    def test_overdue_hazard_is_marked_overdue_and_others_are_not(self) -> None:
        late = overdue(self.ea, self.li)
        self.client.force_login(self.li)
        r = self.client.get(LEDGER)
        self.assertContains(r, "overdue-badge", count=1)
        self.assertContains(r, f'<tr data-hazard="{late.pk}" class="overdue">', html=False)

    def test_a_row_shows_its_labels_escaped_and_its_long_name_cut(self) -> None:
        name = "<b>配电箱</b>" + "堆" * 50
        h = found(self.ea, self.li, name=name, level="1")
        self.client.force_login(self.li)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
        r = self.client.get(LEDGER)
        row = r.content.decode().split(f'<tr data-hazard="{h.pk}">', 1)[1].split("</tr>", 1)[0]
        self.assertIn(f'href="/hazards/{h.pk}/"', row)
        self.assertIn(f'href="/enterprises/{self.ea.pk}/"', row)
        self.assertIn("&lt;b&gt;配电箱&lt;/b&gt;" + "堆" * 29 + "…</a>", row)
        self.assertNotIn("<b>", row)
        self.assertIn('<span class="badge text-bg-danger">重大</span>', row)
        self.assertIn(str(h.found_on), row)
        # The labels follow the reader's language, request by request.
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        self.assertContains(self.client.get(LEDGER), '<span class="badge text-bg-danger">Major<')

    def test_the_chosen_filter_option_is_selected_and_only_it(self) -> None:
        self.client.force_login(self.chen)
        r = self.client.get(LEDGER + f"?office={self.o2.pk}&level=0")
        self.assertContains(r, f'<option value="{self.o2.pk}" selected>', html=False)
        self.assertContains(r, '<option value="0" selected>', html=False)
        office = r.content.decode().split('name="office"', 1)[1].split("</select>", 1)[0]
        self.assertEqual(office.count(" selected"), 1)
        self.assertIn('<option value="">', office)

    def test_enterprise_filter_is_shown_by_name(self) -> None:
        self.client.force_login(self.li)
        r = self.client.get(LEDGER + f"?enterprise={self.ea.pk}")
        self.assertEqual([row.pk for row in r.context["page"].items], [self.h_a.pk])
        self.assertContains(r, 'id="enterprise-filter"')
        self.assertContains(r, f'name="enterprise" value="{self.ea.pk}"')

    def test_an_enterprise_out_of_scope_is_an_error_not_a_leak(self) -> None:
        self.client.force_login(self.li)
        r = self.client.get(LEDGER + f"?enterprise={self.eb.pk}")
        self.assertEqual(r.status_code, 200)
        self.assertTrue(r.context["filter"].errors["enterprise"])
        self.assertNotContains(r, self.eb.name)

    def test_invalid_filter_value_is_an_error_not_a_500(self) -> None:
        self.client.force_login(self.li)
        r = self.client.get(LEDGER + "?level=9&found_from=yesterday")
        self.assertEqual(r.status_code, 200)
        self.assertTrue(r.context["filter"].errors["level"])
        self.assertTrue(r.context["filter"].errors["found_from"])

    def test_the_filters_fold_on_a_phone_unless_they_name_an_error(self) -> None:
        self.client.force_login(self.li)
        r = self.client.get(LEDGER + "?state=open&level=0&sort=deadline&cursor=x")
        self.assertContains(r, 'id="ledger-filters" open data-fold-narrow', html=False)
        self.assertEqual(r.context["chosen"], 2, "the order and the cursor filter nothing")
        self.assertContains(r, 'id="filters-chosen">2<', html=False)
        r = self.client.get(LEDGER + "?level=9")
        self.assertContains(r, 'id="ledger-filters" open>', html=False)
        self.assertNotContains(r, "data-fold-narrow")

    def test_a_damaged_cursor_shows_the_first_page(self) -> None:
        self.assertEqual(self.listed(self.li, "?cursor=%%%not-a-cursor"), [self.h_a.pk])

    def test_query_count_is_the_same_for_3_and_30_hazards(self) -> None:
        # session, user with its region (scope), offices, grids, the page (enterprise
        # and finder joined), and the panels' counts (the statistics' total and quick
        # filters: one filtered SUM over the tallies for those they hold — total, open,
        # awaiting, major — and one filtered COUNT for mine and overdue, each after a read
        # of its tables' versions (statistics.versions): on SQLite, the hazards written since
        # the last request moved them, so both are counted, and the versions read again to
        # keep the answers; on PostgreSQL this test's transaction has written, so both are
        # counted and not kept)
        queries = 11 if connection.vendor == "sqlite" else 9
        self.client.force_login(self.chen)
        found(self.ea2, self.li)
        with self.assertNumQueries(queries):
            r = self.client.get(LEDGER)
        self.assertEqual(len(r.context["page"].items), 3)
        for i in range(27):
            enterprise = [self.ea, self.ea2, self.eb][i % 3]
            by = self.qian if enterprise == self.eb else self.li
            found(enterprise, by, name=f"隐患{i:02d}")
        with self.assertNumQueries(queries):
            r = self.client.get(LEDGER)
        self.assertEqual(len(r.context["page"].items), 30)


class HazardPageTests(HazardWorld):
    def setUp(self) -> None:
        super().setUp()
        self.hazard = found(self.ea, self.li, basis="GB 13495.1 第4.2条", liable_person="王工")
        self.url = f"/hazards/{self.hazard.pk}/"

    def get(self, user: User, url: str = "") -> Any:
        self.client.force_login(user)
        return self.client.get(url or self.url)

    def act(self, user: User, action: str, version: int | None = None, **data: Any) -> Any:
        self.client.force_login(user)
        self.hazard.refresh_from_db()
        form = {
            "action": action,
            f"{action}-version": self.hazard.version if version is None else version,
            f"{action}-photo_uuid": str(data.pop("photo_uuid", uuid.uuid4())),
            **{f"{action}-{k}": v for k, v in data.items()},
        }
        return self.client.post(self.url + "act/", form)

    def test_anonymous_is_sent_to_login(self) -> None:
        r = self.client.get(self.url)
        self.assertRedirects(r, f"/login/?next={self.url}", fetch_redirect_response=False)

    def test_person_without_role_is_refused(self) -> None:
        self.assertEqual(self.get(self.nobody).status_code, 403)

    def test_out_of_scope_is_not_found(self) -> None:
        for user in (self.qian, self.wang, self.sun):
            with self.subTest(user=user.username):
                self.assertEqual(self.get(user).status_code, 404)

    def test_in_scope_opens(self) -> None:
        for user in (self.chen, self.li, self.zhang, self.zhao, self.zhou, self.wu):
            with self.subTest(user=user.username):
                self.assertEqual(self.get(user).status_code, 200)

    def test_page_shows_the_national_fields_and_the_timeline(self) -> None:
        r = self.get(self.li)
        for text in ("GB 13495.1 第4.2条", "王工", self.ea.name, self.ea.uscc, "Government"):
            self.assertContains(r, text)
        timeline = r.context["timeline"]
        self.assertEqual([row["event"].action for row in timeline], ["register"])
        self.assertEqual(str(timeline[0]["label"]), "Registered")

    def test_forms_are_exactly_the_allowed_actions(self) -> None:
        for user in (self.li, self.zhao, self.zhang, self.zhou):
            with self.subTest(user=user.username):
                r = self.get(user)
                names = [f.name for f in r.context["forms"]]
                self.assertEqual(names, allowed_actions(self.hazard, user))
                for name in names:
                    self.assertContains(r, f'id="action-{name}"')
        self.assertEqual([f.name for f in self.get(self.zhou).context["forms"]], [])

    def test_enterprise_submits_the_rectification_with_a_photo(self) -> None:
        photo = SimpleUploadedFile("fix.jpg", JPEG, content_type="image/jpeg")
        r = self.act(self.zhao, "submit", note="已清理", photos=photo)
        self.assertRedirects(r, self.url)
        self.hazard.refresh_from_db()
        self.assertEqual(self.hazard.status, Status.SUBMITTED)
        after = list(self.hazard.after_photos.all())
        self.assertEqual(len(after), 1)
        self.assertEqual(after[0].uploaded_by, self.zhao)
        event = self.hazard.events.get(action="submit")
        self.assertEqual((event.actor, event.note), (self.zhao, "已清理"))
        self.assertEqual(list(event.photos.all()), after)

    def test_a_resubmitted_form_does_not_save_its_photo_twice(self) -> None:
        key = uuid.uuid4()
        upload = SimpleUploadedFile("fix.jpg", JPEG, content_type="image/jpeg")
        self.act(self.zhao, "submit", photos=upload, photo_uuid=key)
        version = self.hazard.version
        again = SimpleUploadedFile("fix.jpg", JPEG, content_type="image/jpeg")
        self.act(self.zhao, "submit", version=version - 1, photos=again, photo_uuid=key)
        self.assertEqual(Photo.objects.filter(uploaded_by=self.zhao).count(), 1)

    def test_submit_without_a_photo_says_so_on_the_photo_field(self) -> None:
        r = self.act(self.zhao, "submit", note="已清理")
        self.assertEqual(r.status_code, 422)
        bound = next(f for f in r.context["forms"] if f.name == "submit")
        self.assertTrue(bound.errors["photos"])
        self.assertEqual(Hazard.objects.get(pk=self.hazard.pk).status, Status.RECTIFYING)

    def test_a_rectification_day_in_the_future_is_named_on_its_field(self) -> None:
        photo = SimpleUploadedFile("fix.jpg", JPEG, content_type="image/jpeg")
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        r = self.act(self.zhao, "submit", rectified_on=tomorrow.isoformat(), photos=photo)
        self.assertEqual(r.status_code, 422)
        bound = next(f for f in r.context["forms"] if f.name == "submit")
        self.assertIn("future", " ".join(bound.errors["rectified_on"]))
        self.assertEqual(Hazard.objects.get(pk=self.hazard.pk).status, Status.RECTIFYING)

    def test_the_rectification_day_input_stops_at_today(self) -> None:
        r = self.get(self.zhao)
        self.assertContains(r, f'max="{timezone.localdate().isoformat()}"')

    def test_a_file_that_is_not_a_photo_is_named(self) -> None:
        text = SimpleUploadedFile("fix.jpg", b"not an image at all", content_type="image/jpeg")
        r = self.act(self.zhao, "submit", photos=text)
        self.assertEqual(r.status_code, 422)
        bound = next(f for f in r.context["forms"] if f.name == "submit")
        self.assertIn("Only JPEG, PNG or WebP", " ".join(bound.errors["photos"]))
        self.assertFalse(Photo.objects.filter(uploaded_by=self.zhao).exists())

    def test_stale_version_shows_a_clear_message_and_changes_nothing(self) -> None:
        step(self.hazard, "submit", self.zhao, make_photo(self.zhao))
        stale = self.hazard.version
        step(self.hazard, "reject", self.li, note="照片不清晰")
        r = self.act(self.li, "accept", version=stale)
        self.assertEqual(r.status_code, 409)
        self.assertContains(r, STALE, status_code=409)
        self.hazard.refresh_from_db()
        self.assertEqual((self.hazard.status, self.hazard.rejections), (Status.RECTIFYING, 1))
        # The page now carries the current version, so acting again is possible.
        versions = {f.initial["version"] for f in r.context["forms"]}
        self.assertEqual(versions, {self.hazard.version})

    def test_a_workflow_error_shows_on_its_field(self) -> None:
        assert self.hazard.deadline is not None
        earlier = self.hazard.deadline - datetime.timedelta(days=1)
        r = self.act(self.zhao, "request_extension", deadline=earlier.isoformat(), note="设备未到")
        self.assertEqual(r.status_code, 422)
        bound = next(f for f in r.context["forms"] if f.name == "request_extension")
        self.assertIn("must be after the current one", " ".join(bound.errors["deadline"]))

    def test_missing_input_is_named_before_the_workflow_runs(self) -> None:
        step(self.hazard, "submit", self.zhao, make_photo(self.zhao))
        r = self.act(self.li, "reject")
        self.assertEqual(r.status_code, 422)
        bound = next(f for f in r.context["forms"] if f.name == "reject")
        self.assertTrue(bound.errors["note"])

    def test_officer_accepts_and_the_hazard_closes(self) -> None:
        step(self.hazard, "submit", self.zhao, make_photo(self.zhao))
        r = self.act(self.li, "accept", note="复查合格")
        self.assertRedirects(r, self.url, fetch_redirect_response=False)
        self.hazard.refresh_from_db()
        self.assertEqual((self.hazard.status, self.hazard.acceptor), (Status.CLOSED, self.li))
        self.assertEqual(self.hazard.accept_comment, "复查合格")
        self.assertContains(self.client.get(self.url), "Done: Accept and close.")

    def test_officer_rejects_and_the_rejection_is_counted(self) -> None:
        step(self.hazard, "submit", self.zhao, make_photo(self.zhao))
        r = self.act(self.li, "reject", note="照片不清晰")
        self.assertRedirects(r, self.url)
        self.hazard.refresh_from_db()
        self.assertEqual((self.hazard.status, self.hazard.rejections), (Status.RECTIFYING, 1))
        page = self.client.get(self.url)
        self.assertContains(page, "照片不清晰")
        actions = [row["event"].action for row in page.context["timeline"]]
        self.assertEqual(actions, ["register", "submit", "reject"])

    def test_enterprise_asks_for_more_time_and_the_officer_grants_it(self) -> None:
        until = days(60)
        r = self.act(self.zhao, "request_extension", deadline=until.isoformat(), note="设备未到")
        self.assertRedirects(r, self.url)
        page = self.get(self.li)
        self.assertContains(page, 'id="extension-pending"')
        self.assertIn("approve_extension", [f.name for f in page.context["forms"]])
        self.assertRedirects(self.act(self.li, "approve_extension"), self.url)
        self.hazard.refresh_from_db()
        self.assertEqual((self.hazard.deadline, self.hazard.extensions), (until, 1))

    def test_a_role_that_may_not_take_the_step_is_refused(self) -> None:
        step(self.hazard, "submit", self.zhao, make_photo(self.zhao))
        for user in (self.zhang, self.zhao, self.zhou):
            with self.subTest(user=user.username):
                self.assertEqual(self.act(user, "accept").status_code, 403)
        self.assertEqual(Hazard.objects.get(pk=self.hazard.pk).status, Status.SUBMITTED)

    def test_acting_out_of_scope_is_not_found(self) -> None:
        for user in (self.qian, self.wang):
            with self.subTest(user=user.username):
                self.assertEqual(self.act(user, "void", note="重复").status_code, 404)
        self.assertEqual(Hazard.objects.get(pk=self.hazard.pk).status, Status.RECTIFYING)

    def test_an_unknown_action_is_not_found_and_get_is_not_allowed(self) -> None:
        self.assertEqual(self.act(self.li, "explode").status_code, 404)
        self.assertEqual(self.client.get(self.url + "act/").status_code, 405)

    def test_overdue_is_shown_on_the_hazard_page(self) -> None:
        late = overdue(self.ea, self.li)
        r = self.get(self.zhao, f"/hazards/{late.pk}/")
        self.assertContains(r, "overdue-badge")
        self.assertNotContains(self.get(self.zhao), "overdue-badge")


class PhotoTests(HazardWorld):
    def setUp(self) -> None:
        super().setUp()
        self.before = make_photo(self.li, PNG, "before.png")
        self.hazard = register_hazard(self.ea, general(), by=self.li, before_photos=[self.before])
        self.url = f"/hazards/{self.hazard.pk}/photos/{self.before.pk}/"

    def test_in_scope_gets_the_photo_with_its_type(self) -> None:
        for user in (self.li, self.zhao, self.zhang):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                r = self.client.get(self.url)
                self.assertEqual(r.status_code, 200)
                self.assertEqual(r["Content-Type"], "image/png")
                self.assertEqual(b"".join(r.streaming_content), PNG)  # type: ignore[attr-defined]
                self.assertIn("private", r["Cache-Control"])

    def test_out_of_scope_is_not_found(self) -> None:
        for user in (self.qian, self.wang, self.sun):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_anonymous_and_roleless_are_kept_out(self) -> None:
        r = self.client.get(self.url)
        self.assertRedirects(r, f"/login/?next={self.url}", fetch_redirect_response=False)
        self.client.force_login(self.nobody)
        self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_a_photo_of_another_hazard_is_not_served_through_this_one(self) -> None:
        other_photo = make_photo(self.qian)
        register_hazard(self.eb, general(), by=self.qian, before_photos=[other_photo])
        self.client.force_login(self.li)
        r = self.client.get(f"/hazards/{self.hazard.pk}/photos/{other_photo.pk}/")
        self.assertEqual(r.status_code, 404)

    def test_photos_of_the_timeline_are_served(self) -> None:
        fix = make_photo(self.zhao)
        step(self.hazard, "submit", self.zhao, fix)
        event = HazardEvent.objects.get(hazard=self.hazard, action="submit")
        self.assertEqual(list(event.photos.all()), [fix])
        self.client.force_login(self.li)
        r = self.client.get(f"/hazards/{self.hazard.pk}/photos/{fix.pk}/")
        self.assertEqual(r.status_code, 200)
        page = self.client.get(f"/hazards/{self.hazard.pk}/")
        self.assertContains(page, f"/hazards/{self.hazard.pk}/photos/{fix.pk}/")
        self.assertContains(page, f"/hazards/{self.hazard.pk}/photos/{self.before.pk}/")


class PortalTests(HazardWorld):
    def test_enterprise_home_lists_open_hazards_overdue_first(self) -> None:
        soon = found(self.ea, self.li, name="灭火器过期", deadline=days(3))
        later = found(self.ea, self.li, name="配电箱前堆放杂物", deadline=days(20))
        late = overdue(self.ea, self.li)
        closed = found(self.ea, self.li, name="已整改隐患")
        step(closed, "submit", self.zhao, make_photo(self.zhao))
        step(closed, "accept", self.li)
        found(self.ea2, self.li, name="别家的隐患")
        self.client.force_login(self.zhao)
        r = self.client.get("/")
        self.assertContains(r, 'id="portal-hazards"')
        listed = [h.pk for h in r.context["hazards"]]
        self.assertEqual(listed, [late.pk, soon.pk, later.pk])
        self.assertContains(r, "overdue-badge", count=1)
        self.assertNotContains(r, "已整改隐患")
        self.assertNotContains(r, "别家的隐患")

    def test_other_roles_home_has_no_portal(self) -> None:
        found(self.ea, self.li)
        for user in (self.li, self.zhang):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertNotContains(self.client.get("/"), 'id="portal-hazards"')

    def test_enterprise_page_shows_its_hazards_and_visits(self) -> None:
        late = overdue(self.ea, self.li, name="安全出口锁闭")
        closed = found(self.ea, self.li, name="已整改隐患")
        step(closed, "submit", self.zhao, make_photo(self.zhao))
        step(closed, "accept", self.li)
        other = make_enterprise(self.grid_a, "杨桥邻厂")
        found(other, self.li, name="邻厂的隐患")
        self.client.force_login(self.zhao)
        r = self.client.get(f"/enterprises/{self.ea.pk}/")
        self.assertContains(r, 'id="enterprise-hazards"')
        self.assertEqual(r.context["open"], [late])
        self.assertEqual(set(r.context["recent"]), {late, closed})
        self.assertContains(r, "overdue-badge")
        self.assertNotContains(r, "邻厂的隐患")
        self.assertContains(r, 'id="enterprise-visits"')
        self.assertContains(r, f"/hazards/?enterprise={self.ea.pk}")
