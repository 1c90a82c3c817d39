"""A browser session left unused for SESSION_IDLE_MINUTES is signed out; one in use is not,
and it is not written on every request to stay so."""

from __future__ import annotations

import time

from django.test import override_settings

from anjian.accounts.middleware import SEEN, SEEN_EVERY_SECONDS
from anjian.test import World


@override_settings(SESSION_IDLE_MINUTES=30)
class IdleSessionTests(World):
    def seen(self, seconds_ago: int) -> None:
        session = self.client.session
        session[SEEN] = int(time.time()) - seconds_ago
        session.save()

    def test_a_session_unused_past_the_limit_is_signed_out(self) -> None:
        self.client.force_login(self.li)
        self.assertEqual(self.client.get("/hazards/").status_code, 200)
        self.seen(31 * 60)
        r = self.client.get("/hazards/")
        self.assertEqual(r.status_code, 302)
        self.assertTrue(r["Location"].startswith("/login/"))
        self.assertEqual(self.client.get("/api/v1/me").status_code, 401, "the API too")

    def test_the_api_with_a_stale_session_is_a_401(self) -> None:
        self.client.force_login(self.li)
        self.client.get("/api/v1/me")
        self.seen(31 * 60)
        self.assertEqual(self.client.get("/api/v1/me").status_code, 401)

    def test_a_session_in_use_stays_and_is_marked_at_most_once_a_minute(self) -> None:
        self.client.force_login(self.li)
        self.client.get("/hazards/")
        self.seen(29 * 60)
        self.assertEqual(self.client.get("/hazards/").status_code, 200)
        marked = self.client.session[SEEN]
        self.assertGreaterEqual(marked, int(time.time()) - 2, "in use: marked again")
        self.seen(SEEN_EVERY_SECONDS // 2)
        before = self.client.session[SEEN]
        self.assertEqual(self.client.get("/hazards/").status_code, 200)
        self.assertEqual(self.client.session[SEEN], before, "not written again within a minute")

    def test_signing_in_again_after_an_idle_sign_out_works(self) -> None:
        self.client.force_login(self.li)
        self.client.get("/hazards/")
        self.seen(31 * 60)
        self.client.get("/hazards/")
        self.client.force_login(self.li)
        self.assertEqual(self.client.get("/hazards/").status_code, 200)
