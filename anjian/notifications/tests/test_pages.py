"""/notifications/ and /api/v1/notifications: one's own notifications only, marking them
read, and the unread badge in the header (one query, for the roles that get any)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from anjian.accounts.models import User
from anjian.lib.paging import DEFAULT_LIMIT
from anjian.notifications.models import Kind, Notification
from anjian.test import World

API = "/api/v1/notifications"


def note(user: User, text: str = "新隐患", read: bool = False) -> Notification:
    return Notification.objects.create(
        recipient=user,
        kind=Kind.HAZARD_REGISTERED,
        text=text,
        read_at=timezone.now() if read else None,
    )


class PageTests(World):
    def test_anonymous_is_sent_to_login(self) -> None:
        r = self.client.get("/notifications/")
        self.assertEqual(r.status_code, 302)
        self.assertIn("/login/", r["Location"])

    def test_each_person_sees_their_own_only(self) -> None:
        note(self.zhao, "给赵的通知")
        note(self.li, "给李的通知")
        for user, mine, theirs in ((self.zhao, "给赵的", "给李的"), (self.li, "给李的", "给赵的")):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                r = self.client.get("/notifications/")
                self.assertContains(r, mine)
                self.assertNotContains(r, theirs)

    def test_list_queries_are_pinned(self) -> None:
        for i in range(5):
            note(self.zhao, f"通知{i}")
        self.client.force_login(self.zhao)
        # session, user, the page, marking the shown ones read; the badge: the enterprise
        # (scope-free) unread count
        with self.assertNumQueries(5):
            r = self.client.get("/notifications/")
        self.assertContains(r, "通知4")

    def test_marking_read_and_all_read(self) -> None:
        a, b = note(self.zhao, "甲"), note(self.zhao, "乙")
        self.client.force_login(self.zhao)
        # Not following the redirect: opening the list would read 乙 too.
        self.assertRedirects(
            self.client.post(f"/notifications/{a.pk}/read/"),
            "/notifications/",
            fetch_redirect_response=False,
        )
        a.refresh_from_db()
        self.assertIsNotNone(a.read_at)
        self.assertContains(self.client.get("/notifications/?unread=1"), "乙")
        self.client.post("/notifications/read-all/")
        self.assertFalse(Notification.objects.unread().exists())
        self.assertNotContains(self.client.get("/notifications/?unread=1"), b.text)

    def test_opening_the_list_reads_what_it_shows_and_the_badge_clears(self) -> None:
        for i in range(3):
            note(self.zhao, f"通知{i}")
        others = note(self.li, "给李的")
        self.client.force_login(self.zhao)
        self.assertContains(self.client.get("/"), 'id="unread-count">3<')
        listed = self.client.get("/notifications/")
        # Shown as new this once, and no longer counted in the header.
        self.assertContains(listed, "list-group-item-warning", count=3)
        self.assertNotContains(listed, "unread-count")
        self.assertNotContains(self.client.get("/"), "unread-count")
        self.assertFalse(Notification.objects.filter(recipient=self.zhao).unread().exists())
        others.refresh_from_db()
        self.assertIsNone(others.read_at)

    def test_the_list_reads_only_the_page_it_shows(self) -> None:
        for i in range(DEFAULT_LIMIT + 1):
            note(self.zhao, f"通知{i}")
        self.client.force_login(self.zhao)
        self.assertContains(self.client.get("/notifications/"), 'id="next-page"')
        self.assertEqual(Notification.objects.filter(recipient=self.zhao).unread().count(), 1)

    def test_someone_elses_notification_is_not_found(self) -> None:
        other = note(self.li)
        self.client.force_login(self.zhao)
        self.assertEqual(self.client.post(f"/notifications/{other.pk}/read/").status_code, 404)
        other.refresh_from_db()
        self.assertIsNone(other.read_at)

    def test_opening_a_notice_notification_leads_to_its_link(self) -> None:
        n = Notification.objects.create(
            recipient=self.zhao, kind=Kind.NOTICE_ISSUED, text="指令书", link="/notices/1/"
        )
        self.client.force_login(self.zhao)
        r = self.client.post(f"/notifications/{n.pk}/read/", {"go": "1"})
        self.assertEqual(r["Location"], "/notices/1/")


class BadgeTests(World):
    def render_header(self, user: User) -> str:
        request = RequestFactory().get("/")
        request.user = user
        return render_to_string("base.html", request=request)

    def test_roles_that_get_notifications_see_the_unread_count_for_one_query(self) -> None:
        note(self.li)
        note(self.li)
        note(self.li, read=True)
        self.render_header(self.li)  # the scope is cached on the user, as in a request
        with self.assertNumQueries(1):
            html = self.render_header(self.li)
        self.assertIn('id="unread-count">2<', html)

    def test_no_badge_and_no_query_for_other_roles(self) -> None:
        for user in (self.chen, self.zhang, self.sun, self.zhou, self.wu):
            with self.subTest(user=user.username), self.assertNumQueries(0):
                html = self.render_header(user)
            self.assertNotIn("notification-badge", html)

    def test_nothing_unread_shows_the_link_without_a_count(self) -> None:
        html = self.render_header(self.zhao)
        self.assertIn("notification-badge", html)
        self.assertNotIn("unread-count", html)


class ApiTests(World):
    def test_anonymous_gets_401(self) -> None:
        self.assertEqual(self.client.get(API).status_code, 401)
        self.assertEqual(self.client.post(f"{API}/1/read").status_code, 401)

    def test_the_list_shape_newest_first_and_own_only(self) -> None:
        old, new = note(self.zhao, "旧"), note(self.zhao, "新")
        note(self.li)
        self.client.force_login(self.zhao)
        body = self.client.get(API).json()
        self.assertEqual(set(body), {"items", "next"})
        self.assertEqual([i["id"] for i in body["items"]], [new.pk, old.pk])
        self.assertEqual(body["items"][0]["kind"], Kind.HAZARD_REGISTERED)
        self.assertEqual(self.client.get(f"{API}?with_count=true").json()["count"], 2)

    def test_unread_filter_and_paging(self) -> None:
        for i in range(3):
            note(self.zhao, f"未读{i}")
        note(self.zhao, "已读", read=True)
        self.client.force_login(self.zhao)
        first = self.client.get(f"{API}?unread=true&limit=2").json()
        second = self.client.get(f"{API}?unread=true&limit=2&cursor={first['next']}").json()
        texts = [i["text"] for i in first["items"] + second["items"]]
        self.assertEqual(sorted(texts), ["未读0", "未读1", "未读2"])
        self.assertIsNone(second["next"])

    def test_marking_read(self) -> None:
        n = note(self.zhao)
        self.client.force_login(self.zhao)
        r = self.client.post(f"{API}/{n.pk}/read")
        self.assertEqual(r.status_code, 200)
        self.assertIsNotNone(r.json()["read_at"])
        first = r.json()["read_at"]
        self.assertEqual(self.client.post(f"{API}/{n.pk}/read").json()["read_at"], first)

    def test_someone_elses_is_not_found(self) -> None:
        n = note(self.li)
        self.client.force_login(self.zhao)
        r = self.client.post(f"{API}/{n.pk}/read")
        self.assertEqual(r.status_code, 404)
        self.assertTrue(r.json()["detail"])
