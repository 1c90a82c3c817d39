"""Signing in, failing to and signing out are in the audit trail with the client's address
and user agent, as is every write a request makes; the zone admin filters by them."""

from __future__ import annotations

from typing import Any

from anjian.accounts.tests.helpers import SignInWorld
from anjian.audit.models import Entry
from anjian.test import PASSWORD

CLIENT: dict[str, Any] = {"REMOTE_ADDR": "203.0.113.7", "HTTP_USER_AGENT": "Mozilla/5.0 (巡查手机)"}


class SignInTrailTests(SignInWorld):
    def entries(self, action: str) -> list[Entry]:
        return list(Entry.objects.filter(action=action, object_id=str(self.li.pk)))

    def test_a_sign_in_is_recorded_with_where_from(self) -> None:
        r = self.client.post("/login/", {"username": "li", "password": PASSWORD}, **CLIENT)
        self.assertEqual(r.status_code, 302)
        (entry,) = self.entries("user.sign_in")
        self.assertEqual((entry.actor_id, entry.client_ip), (self.li.pk, "203.0.113.7"))
        self.assertEqual(entry.user_agent, "Mozilla/5.0 (巡查手机)")
        self.assertEqual(entry.zone_id, self.zone.pk)

    def test_a_failed_sign_in_to_an_account_is_recorded_without_an_actor(self) -> None:
        self.client.post("/login/", {"username": "li", "password": "wrong-one"}, **CLIENT)
        (entry,) = self.entries("user.sign_in_failed")
        self.assertEqual((entry.actor_id, entry.client_ip), (None, "203.0.113.7"))
        self.client.post("/login/", {"username": "no-such-person", "password": "x"}, **CLIENT)
        self.assertFalse(Entry.objects.filter(object_repr="no-such-person").exists())

    def test_a_sign_out_is_recorded(self) -> None:
        self.client.post("/login/", {"username": "li", "password": PASSWORD}, **CLIENT)
        self.client.post("/accounts/logout/", **CLIENT)
        (entry,) = self.entries("user.sign_out")
        self.assertEqual(entry.client_ip, "203.0.113.7")

    def test_a_write_through_the_api_carries_the_client(self) -> None:
        r = self.client.post(
            "/api/v1/auth/token",
            {"username": "li", "password": PASSWORD, "name": "手机"},
            content_type="application/json",
            **CLIENT,
        )
        self.assertEqual(r.status_code, 200)
        entry = Entry.objects.get(action="token.create", actor=self.li)
        self.assertEqual((entry.client_ip, entry.channel), ("203.0.113.7", "api"))

    def test_the_zone_admin_filters_by_action_and_address(self) -> None:
        self.client.post("/login/", {"username": "li", "password": "wrong-one"}, **CLIENT)
        self.client.post("/login/", {"username": "li", "password": PASSWORD}, **CLIENT)
        self.client.force_login(self.chen)
        r = self.client.get("/audit/", {"action": "user.sign", "client_ip": "203.0.113.7"})
        self.assertEqual(r.status_code, 200)
        actions = sorted(e.action for e in r.context["page"].items)
        self.assertEqual(actions, ["user.sign_in", "user.sign_in_failed"])
        self.assertContains(r, 'data-client-ip="203.0.113.7"')
        other = self.client.get("/audit/", {"action": "user.sign", "client_ip": "198.51.100.1"})
        self.assertEqual(list(other.context["page"].items), [])
        bad = self.client.get("/audit/", {"client_ip": "not-an-address"})
        self.assertEqual(bad.status_code, 200)
        self.assertTrue(bad.context["filter"].errors)
