"""The audit trail: who reads it, what record() writes, and that nothing edits it."""

from __future__ import annotations

import datetime
import decimal

from django.contrib import admin
from django.test import RequestFactory
from django.utils import timezone

from anjian.accounts.models import Role, User
from anjian.accounts.tests.helpers import SignInWorld, bearer
from anjian.audit import urls as audit_urls
from anjian.audit.log import channel, current_channel, diff, plain, record
from anjian.audit.models import Channel, Entry
from anjian.regions.models import Grid, RegionLevel
from anjian.test import PASSWORD, World, make_grid, make_region, make_user


class OtherZoneWorld(World):
    """The world plus a second zone with its own admin and a grid."""

    zone2_admin: User
    far_grid: Grid

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        zone2 = make_region("邻区", RegionLevel.ZONE, code="02")
        office = make_region("南城办事处", RegionLevel.OFFICE, zone2, code="01")
        village = make_region("南村", RegionLevel.VILLAGE, office, code="001")
        cls.far_grid = make_grid(village, "南村网格", "GS")
        cls.zone2_admin = make_user("admin2", Role.ZONE_ADMIN, region=zone2)


class EntryVisibilityTests(OtherZoneWorld):
    def setUp(self) -> None:
        self.here = record(self.chen, "grid.create", self.grid_a)
        self.there = record(self.zone2_admin, "grid.create", self.far_grid)

    def test_zone_admin_reads_their_zones_entries_only(self) -> None:
        self.assertEqual(list(Entry.objects.visible_to(self.chen)), [self.here])
        self.assertEqual(list(Entry.objects.visible_to(self.zone2_admin)), [self.there])

    def test_nobody_but_the_zone_admin_reads_the_trail(self) -> None:
        for user in [self.li, self.zhou, self.zhang, self.wang, self.zhao, self.sun, self.wu]:
            with self.subTest(user=user.username):
                self.assertFalse(Entry.objects.visible_to(user).exists())


class AuditPageTests(OtherZoneWorld):
    url = "/audit/"

    def test_anonymous_is_sent_to_login(self) -> None:
        r = self.client.get(self.url)
        self.assertRedirects(r, "/login/?next=/audit/", fetch_redirect_response=False)

    def test_other_roles_are_refused(self) -> None:
        for user in [self.li, self.zhou, self.zhang, self.zhao, self.sun, self.wu, self.nobody]:
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_zone_admin_reads_their_zone_and_not_another(self) -> None:
        record(self.chen, "grid.create", self.grid_a)
        record(self.zone2_admin, "grid.create", self.far_grid)
        self.client.force_login(self.chen)
        r = self.client.get(self.url)
        self.assertContains(r, self.grid_a.name)
        self.assertNotContains(r, self.far_grid.name)
        self.client.force_login(self.zone2_admin)
        r = self.client.get(self.url)
        self.assertContains(r, self.far_grid.name)
        self.assertNotContains(r, self.grid_a.name)

    def test_filters_by_action_channel_and_person(self) -> None:
        record(self.chen, "grid.create", self.grid_a)
        with channel(Channel.API):
            record(self.li, "enterprise.update", self.ea)
        self.client.force_login(self.chen)

        def actions(**params: str) -> list[str]:
            r = self.client.get(self.url, params)
            return [e.action for e in r.context["page"].items]

        self.assertEqual(actions(action="grid"), ["grid.create"])
        self.assertEqual(actions(channel="api"), ["enterprise.update"])
        self.assertEqual(actions(actor="li"), ["enterprise.update"])
        self.assertEqual(actions(object_type="regions.grid"), ["grid.create"])
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        self.assertEqual(actions(since=tomorrow.isoformat()), [])

    def test_unknown_channel_filter_is_ignored_not_an_error(self) -> None:
        record(self.chen, "grid.create", self.grid_a)
        self.client.force_login(self.chen)
        r = self.client.get(self.url, {"channel": "carrier-pigeon"})
        self.assertEqual(len(r.context["page"].items), 1)

    def test_pages_of_fifty_newest_first(self) -> None:
        start = timezone.now() - datetime.timedelta(hours=1)
        for i in range(55):
            entry = record(self.chen, f"test.{i:02d}", self.grid_a)
            Entry.objects.filter(pk=entry.pk).update(at=start + datetime.timedelta(seconds=i))
        self.client.force_login(self.chen)
        first = self.client.get(self.url)
        items = first.context["page"].items
        self.assertEqual((len(items), items[0].action), (50, "test.54"))
        cursor = first.context["page"].next
        self.assertContains(first, f"cursor={cursor}")
        rest = self.client.get(self.url, {"cursor": cursor}).context["page"].items
        self.assertEqual([e.action for e in rest], [f"test.{i:02d}" for i in range(4, -1, -1)])

    def test_bad_cursor_shows_the_first_page(self) -> None:
        record(self.chen, "grid.create", self.grid_a)
        self.client.force_login(self.chen)
        r = self.client.get(self.url, {"cursor": "garbage"})
        self.assertEqual(len(r.context["page"].items), 1)

    def test_query_count_does_not_grow_with_entries(self) -> None:
        self.client.force_login(self.chen)
        record(self.chen, "grid.create", self.grid_a)
        with self.assertNumQueries(3):  # session, user with its scope, page
            self.client.get(self.url)
        for _ in range(20):
            record(self.chen, "grid.create", self.grid_a)
        with self.assertNumQueries(3):
            self.client.get(self.url)


class TrailIsReadOnlyTests(World):
    def setUp(self) -> None:
        self.entry = record(self.chen, "grid.create", self.grid_a)
        self.root = make_user("root", is_superuser=True, is_staff=True)

    def test_the_only_audit_url_is_the_list(self) -> None:
        self.assertEqual([p.name for p in audit_urls.urlpatterns], ["list"])
        self.client.force_login(self.chen)
        for path in [f"/audit/{self.entry.pk}/", f"/audit/{self.entry.pk}/delete/"]:
            with self.subTest(path=path):
                self.assertEqual(self.client.post(path).status_code, 404)

    def test_posting_to_the_audit_page_changes_nothing(self) -> None:
        self.client.force_login(self.chen)
        self.client.post("/audit/", {"action": "tampered"})
        self.assertEqual(Entry.objects.get(pk=self.entry.pk).action, "grid.create")
        self.assertEqual(Entry.objects.count(), 1)

    def test_admin_may_neither_add_nor_change_nor_delete(self) -> None:
        model_admin = admin.site._registry[Entry]
        request = RequestFactory().get("/admin/")
        request.user = self.root
        self.assertFalse(model_admin.has_add_permission(request))
        self.assertFalse(model_admin.has_change_permission(request, self.entry))
        self.assertFalse(model_admin.has_delete_permission(request, self.entry))

    def test_admin_delete_and_change_are_refused_even_for_a_superuser(self) -> None:
        self.client.force_login(self.root)
        base = f"/admin/audit/entry/{self.entry.pk}"
        self.assertEqual(self.client.get("/admin/audit/entry/").status_code, 200)
        self.assertEqual(self.client.post(f"{base}/delete/", {"post": "yes"}).status_code, 403)
        r = self.client.post(f"{base}/change/", {"action": "tampered"})
        self.assertEqual(r.status_code, 403)
        self.client.post(
            "/admin/audit/entry/",
            {"action": "delete_selected", "_selected_action": [self.entry.pk], "post": "yes"},
        )
        self.assertEqual(Entry.objects.get(pk=self.entry.pk).action, "grid.create")


class RecordTests(OtherZoneWorld):
    def test_entry_names_actor_object_and_zone(self) -> None:
        entry = record(self.chen, "grid.create", self.grid_a, changes={"name": [None, "A"]})
        self.assertEqual(
            (entry.actor, entry.actor_name, entry.object_type, entry.object_id),
            (self.chen, "chen", "regions.grid", str(self.grid_a.pk)),
        )
        self.assertEqual((entry.object_repr, entry.zone_id), ("杨桥第一网格", self.zone.pk))
        self.assertEqual(entry.changes, {"name": [None, "A"]})

    def test_object_without_a_zone_is_filed_under_the_actors_zone(self) -> None:
        entry = record(self.zhang, "token.create", self.zhang.api_tokens.create(digest="x" * 64))
        self.assertEqual(entry.zone_id, self.zone.pk)
        entry = record(self.zone2_admin, "token.create", self.zone2_admin.api_tokens.create())
        self.assertEqual(entry.zone_id, self.far_grid.zone_id)

    def test_explicit_zone_wins(self) -> None:
        entry = record(self.chen, "grid.create", self.grid_a, zone_id=self.far_grid.zone_id)
        self.assertEqual(entry.zone_id, self.far_grid.zone_id)

    def test_anonymous_actor_is_recorded_as_nobody(self) -> None:
        entry = record(None, "user.locked", self.zhang)
        self.assertEqual((entry.actor, entry.actor_name), (None, ""))

    def test_channel_is_system_outside_a_request_and_nests(self) -> None:
        self.assertEqual(current_channel(), Channel.SYSTEM)
        with channel(Channel.IMPORT):
            self.assertEqual(record(self.chen, "x", self.grid_a).channel, "import")
            with channel(Channel.COMMAND):
                self.assertEqual(current_channel(), Channel.COMMAND)
            self.assertEqual(current_channel(), Channel.IMPORT)
        self.assertEqual(record(self.chen, "x", self.grid_a).channel, "system")

    def test_plain_and_diff_make_json_safe_changes(self) -> None:
        day = datetime.date(2024, 5, 1)
        self.assertEqual(plain(self.grid_a), self.grid_a.pk)
        self.assertEqual(plain(day), "2024-05-01")
        self.assertEqual(plain(decimal.Decimal("1.50")), "1.50")
        self.assertEqual(plain({"b", "a"}), ["a", "b"])
        self.assertEqual(
            diff({"name": "A", "on": day, "n": 1}, {"name": "B", "on": day, "n": 1}),
            {"name": ["A", "B"]},
        )


class ChannelFromRequestTests(SignInWorld):
    def test_token_made_on_a_page_is_recorded_as_page(self) -> None:
        self.client.force_login(self.zhang)
        self.client.post("/accounts/tokens/", {"name": "phone"})
        entry = Entry.objects.get(action="token.create")
        self.assertEqual(
            (entry.channel, entry.actor, entry.zone_id), ("page", self.zhang, self.zone.pk)
        )

    def test_token_made_through_the_api_is_recorded_as_api(self) -> None:
        self.client.post(
            "/api/v1/auth/token",
            {"username": "zhang", "password": PASSWORD},
            content_type="application/json",
        )
        self.assertEqual(Entry.objects.get(action="token.create").channel, "api")

    def test_token_revoked_through_the_api_is_recorded_as_api(self) -> None:
        headers = bearer(self.zhang)
        token_id = self.zhang.api_tokens.get().pk
        self.client.delete(f"/api/v1/auth/tokens/{token_id}", headers=headers)
        self.assertEqual(Entry.objects.get(action="token.revoke").channel, "api")

    def test_zone_admin_sees_token_events_of_their_zone_on_the_audit_page(self) -> None:
        self.client.force_login(self.zhang)
        self.client.post("/accounts/tokens/", {"name": "phone"})
        self.client.force_login(self.chen)
        r = self.client.get("/audit/", {"action": "token"})
        self.assertEqual([e.actor for e in r.context["page"].items], [self.zhang])
