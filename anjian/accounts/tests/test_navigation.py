"""The main navigation shows each role the pages its capabilities open, and no others."""

from __future__ import annotations

from django.urls import reverse

from anjian.accounts.context_processors import NAV
from anjian.accounts.models import User
from anjian.accounts.permissions import CAPABILITIES, can
from anjian.test import World

EVERYONE = ["/", "/enterprises/", "/regions/"]


class NavigationTests(World):
    def nav(self, user: User) -> list[str]:
        self.client.force_login(user)
        r = self.client.get("/")
        self.assertEqual(r.status_code, 200)
        return [item["url"] for item in r.context["nav_items"]]

    def expected(self, user: User) -> list[str]:
        return [reverse(name) for name, _label, cap in NAV if can(user, cap)]

    def test_every_role_sees_exactly_the_entries_its_capabilities_open(self) -> None:
        for user in [self.chen, self.li, self.zhang, self.zhao, self.sun, self.zhou, self.wu]:
            with self.subTest(user=user.username):
                nav = self.nav(user)
                self.assertEqual(nav, self.expected(user))
                self.assertEqual(nav[: len(EVERYONE) - 1], EVERYONE[:-1])

    def test_each_role_sees_these_entries(self) -> None:
        # Written out, not derived from NAV: a capability given to the wrong role shows here.
        common = ["/", "/enterprises/", "/hazards/", "/statistics/hazards/", "/field/visits/"]
        expected = {
            "chen": ["/", "/enterprises/", "/enterprises/import/", "/hazards/",
                     "/statistics/hazards/", "/field/visits/", "/field/",
                     "/checklists/", "/notices/", "/fieldwork/draws/", "/fieldwork/coverage/",
                     "/regions/", "/accounts/people/", "/workdays/", "/audit/"],
            "li": [*common, "/field/", "/checklists/", "/notices/", "/fieldwork/draws/",
                   "/fieldwork/coverage/", "/regions/"],
            "zhang": [*common, "/field/", "/checklists/", "/notices/", "/fieldwork/coverage/",
                      "/regions/"],
            "zhao": [*common, "/field/", "/checklists/", "/notices/", "/regions/"],
            "sun": [*common, "/field/", "/checklists/", "/notices/", "/regions/"],
            "zhou": [*common, "/field/", "/checklists/", "/notices/", "/fieldwork/draws/",
                     "/fieldwork/coverage/", "/regions/"],
            "wu": [*common, "/checklists/", "/notices/", "/regions/"],
        }  # fmt: skip
        expected["li"].insert(2, "/enterprises/import/")
        for user in [self.chen, self.li, self.zhang, self.zhao, self.sun, self.zhou, self.wu]:
            with self.subTest(user=user.username):
                self.assertEqual(self.nav(user), expected[user.username])

    def test_zone_admin_alone_sees_people_and_audit(self) -> None:
        self.assertIn("/accounts/people/", self.nav(self.chen))
        self.assertIn("/audit/", self.nav(self.chen))
        for user in [self.li, self.zhang, self.zhao, self.sun, self.zhou, self.wu]:
            with self.subTest(user=user.username):
                nav = self.nav(user)
                self.assertNotIn("/accounts/people/", nav)
                self.assertNotIn("/audit/", nav)

    def test_import_is_for_the_zone_admin_and_officers_only(self) -> None:
        for user, shown in [
            (self.chen, True),
            (self.li, True),
            (self.zhang, False),
            (self.zhao, False),
            (self.zhou, False),
            (self.wu, False),
        ]:
            with self.subTest(user=user.username):
                self.assertEqual("/enterprises/import/" in self.nav(user), shown)

    def test_person_without_role_gets_no_navigation(self) -> None:
        self.assertEqual(self.nav(self.nobody), [])

    def test_audit_link_is_in_the_html_for_the_zone_admin_only(self) -> None:
        self.client.force_login(self.chen)
        self.assertContains(self.client.get("/"), 'href="/audit/"')
        self.client.force_login(self.zhou)
        self.assertNotContains(self.client.get("/"), 'href="/audit/"')

    def test_current_section_is_marked_active(self) -> None:
        self.client.force_login(self.chen)
        r = self.client.get(f"/regions/grids/{self.grid_a.pk}/")
        active = [item["url"] for item in r.context["nav_items"] if item["active"]]
        self.assertEqual(active, ["/regions/"])

    def test_login_page_has_no_navigation(self) -> None:
        r = self.client.get("/login/")
        self.assertEqual(r.context["nav_items"], [])
        self.assertNotContains(r, 'id="main-nav"')

    def test_every_link_shown_opens_and_every_link_hidden_is_refused(self) -> None:
        pages = {
            "/enterprises/import/": "registry.import",
            "/accounts/people/": "people.manage",
            "/audit/": "audit.view",
        }
        for user in [self.chen, self.li, self.zhang, self.zhou, self.nobody]:
            shown = self.nav(user)
            for url, capability in pages.items():
                with self.subTest(user=user.username, url=url):
                    status = self.client.get(url).status_code
                    self.assertEqual(url in shown, status == 200)
                    self.assertEqual(can(user, capability), status == 200)


class CapabilityTableTests(World):
    def test_inactive_or_anonymous_people_hold_no_capability(self) -> None:
        inactive = User.objects.get(pk=self.chen.pk)
        inactive.is_active = False
        for capability in CAPABILITIES:
            with self.subTest(capability=capability):
                self.assertFalse(can(inactive, capability))
                self.assertFalse(can(None, capability))

    def test_unknown_capability_is_a_programming_error(self) -> None:
        with self.assertRaises(KeyError):
            can(self.chen, "no.such.capability")

    def test_the_longest_matching_entry_is_the_active_one(self) -> None:
        self.client.force_login(self.chen)
        for path, expected in (("/field/visits/", "/field/visits/"), ("/field/", "/field/")):
            with self.subTest(path=path):
                r = self.client.get(path)
                active = [item["url"] for item in r.context["nav_items"] if item["active"]]
                self.assertEqual(active, [expected])
