"""Signing in and out on the page, the lock-out, and changing one's password."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.utils import timezone

from anjian.accounts.models import User
from anjian.accounts.tests.helpers import SignInWorld, Tags, unstyled_inputs
from anjian.audit.models import Entry
from anjian.test import PASSWORD, World

ENGLISH = {settings.LANGUAGE_COOKIE_NAME: "en"}


class SignInPageTests(SignInWorld):
    def sign_in(self, username: str, password: str, next_url: str = "") -> Any:
        url = f"/login/?next={next_url}" if next_url else "/login/"
        return self.client.post(url, {"username": username, "password": password})

    def test_login_page_is_open_to_anonymous_visitors(self) -> None:
        r = self.client.get("/login/")
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, 'name="password"')

    def test_sign_in_inputs_are_styled_labelled_and_autocompleted(self) -> None:
        tags = Tags(self.client.get("/login/").content.decode())
        _, username = tags.find("input", name="username")
        _, password = tags.find("input", name="password")
        for attrs in (username, password):
            self.assertIn("form-control", attrs.get("class", "").split())
            tags.find("label", **{"for": attrs["id"]})
        self.assertEqual(username.get("autocomplete"), "username")
        self.assertIn("autofocus", username)
        self.assertEqual(password.get("autocomplete"), "current-password")

    def test_a_refused_sign_in_says_why_above_the_fields(self) -> None:
        tags = Tags(self.sign_in("zhang", "wrong").content.decode())
        alert, _ = tags.find("div", role="alert")
        username, _ = tags.find("input", name="username")
        self.assertLess(alert, username)

    def test_right_password_signs_in_and_goes_home(self) -> None:
        r = self.sign_in("zhang", PASSWORD)
        self.assertRedirects(r, "/", fetch_redirect_response=False)
        self.assertEqual(int(self.client.session[SESSION_KEY]), self.zhang.pk)

    def test_sign_in_returns_to_the_page_asked_for(self) -> None:
        r = self.sign_in("zhang", PASSWORD, next_url="/regions/")
        self.assertRedirects(r, "/regions/", fetch_redirect_response=False)

    def test_sign_in_does_not_redirect_to_another_site(self) -> None:
        r = self.sign_in("zhang", PASSWORD, next_url="https://evil.example/")
        self.assertRedirects(r, "/", fetch_redirect_response=False)

    def test_signed_in_user_visiting_login_goes_home(self) -> None:
        self.client.force_login(self.zhang)
        self.assertRedirects(self.client.get("/login/"), "/", fetch_redirect_response=False)

    def test_wrong_password_is_refused_and_counted(self) -> None:
        r = self.client.post("/login/", {"username": "zhang", "password": "wrong"})
        self.assertEqual(r.status_code, 200)
        self.assertNotIn(SESSION_KEY, self.client.session)
        self.assertEqual(r.context["form"].non_field_errors().as_data()[0].code, "invalid_login")
        self.assertEqual(User.objects.get(pk=self.zhang.pk).failed_logins, 1)

    def test_unknown_user_gets_the_same_answer_as_a_wrong_password(self) -> None:
        r = self.client.post("/login/", {"username": "ghost", "password": "wrong"})
        self.assertEqual(r.context["form"].non_field_errors().as_data()[0].code, "invalid_login")

    def test_deactivated_user_cannot_sign_in(self) -> None:
        User.objects.filter(pk=self.zhang.pk).update(is_active=False)
        self.sign_in("zhang", PASSWORD)
        self.assertNotIn(SESSION_KEY, self.client.session)

    def test_success_clears_earlier_failures(self) -> None:
        User.objects.filter(pk=self.zhang.pk).update(failed_logins=3)
        self.sign_in("zhang", PASSWORD)
        self.assertEqual(User.objects.get(pk=self.zhang.pk).failed_logins, 0)

    def test_sign_out_needs_post_and_returns_to_login(self) -> None:
        self.client.force_login(self.zhang)
        self.assertEqual(self.client.get("/accounts/logout/").status_code, 405)
        r = self.client.post("/accounts/logout/")
        self.assertRedirects(r, "/login/", fetch_redirect_response=False)
        self.assertNotIn(SESSION_KEY, self.client.session)


class RealHasherTests(World):
    def test_passwords_are_kept_as_argon2_hashes_and_sign_in_works(self) -> None:
        self.assertTrue(User.objects.get(pk=self.zhang.pk).password.startswith("argon2"))
        self.client.post("/login/", {"username": "zhang", "password": PASSWORD})
        self.assertEqual(int(self.client.session[SESSION_KEY]), self.zhang.pk)


class LockOutPageTests(SignInWorld):
    def fail_sign_in(self, times: int) -> Any:
        r = None
        for _ in range(times):
            r = self.client.post("/login/", {"username": "zhang", "password": "wrong"})
        return r

    def test_failures_below_the_limit_do_not_lock(self) -> None:
        self.fail_sign_in(settings.LOGIN_MAX_FAILURES - 1)
        self.client.post("/login/", {"username": "zhang", "password": PASSWORD})
        self.assertIn(SESSION_KEY, self.client.session)

    def test_too_many_failures_lock_the_account_with_a_clear_message(self) -> None:
        self.client.cookies.load(ENGLISH)
        r = self.fail_sign_in(settings.LOGIN_MAX_FAILURES)
        self.assertContains(
            r,
            f"Too many failed sign-ins. The account is locked for "
            f"{settings.LOGIN_LOCK_MINUTES} more minutes.",
        )
        zhang = User.objects.get(pk=self.zhang.pk)
        self.assertTrue(zhang.is_locked())

    def test_locked_account_refuses_even_the_right_password(self) -> None:
        self.fail_sign_in(settings.LOGIN_MAX_FAILURES)
        r = self.client.post("/login/", {"username": "zhang", "password": PASSWORD})
        self.assertNotIn(SESSION_KEY, self.client.session)
        self.assertEqual(r.context["form"].non_field_errors().as_data()[0].code, "locked")

    def test_message_counts_the_minutes_that_remain(self) -> None:
        until = timezone.now() + datetime.timedelta(minutes=3, seconds=30)
        User.objects.filter(pk=self.zhang.pk).update(locked_until=until)
        self.client.cookies.load(ENGLISH)
        r = self.client.post("/login/", {"username": "zhang", "password": PASSWORD})
        self.assertContains(r, "locked for 4 more minutes")

    def test_lock_is_lifted_once_the_time_has_passed(self) -> None:
        self.fail_sign_in(settings.LOGIN_MAX_FAILURES)
        User.objects.filter(pk=self.zhang.pk).update(
            locked_until=timezone.now() - datetime.timedelta(seconds=1)
        )
        self.client.post("/login/", {"username": "zhang", "password": PASSWORD})
        self.assertEqual(int(self.client.session[SESSION_KEY]), self.zhang.pk)
        zhang = User.objects.get(pk=self.zhang.pk)
        self.assertEqual((zhang.failed_logins, zhang.locked_until), (0, None))

    def test_lock_of_one_account_leaves_others_alone(self) -> None:
        self.fail_sign_in(settings.LOGIN_MAX_FAILURES)
        self.client.post("/login/", {"username": "wang", "password": PASSWORD})
        self.assertEqual(int(self.client.session[SESSION_KEY]), self.wang.pk)

    def test_lock_out_is_recorded_in_the_zone_audit_trail(self) -> None:
        self.fail_sign_in(settings.LOGIN_MAX_FAILURES)
        entry = Entry.objects.get(action="user.locked")
        self.assertEqual(entry.object_id, str(self.zhang.pk))
        self.assertEqual(entry.zone_id, self.zone.pk)
        self.assertIsNone(entry.actor)


class PasswordChangeTests(SignInWorld):
    url = "/accounts/password/"
    new = "a much longer passphrase 42"

    def test_anonymous_is_sent_to_login(self) -> None:
        r = self.client.get(self.url)
        self.assertRedirects(r, f"/login/?next={self.url}", fetch_redirect_response=False)

    def test_user_changes_their_password_and_stays_signed_in(self) -> None:
        self.client.force_login(self.zhang)
        r = self.client.post(
            self.url,
            {"old_password": PASSWORD, "new_password1": self.new, "new_password2": self.new},
        )
        self.assertRedirects(r, "/accounts/tokens/", fetch_redirect_response=False)
        self.assertTrue(User.objects.get(pk=self.zhang.pk).check_password(self.new))
        # The session survives the change (Django rotates its hash).
        self.assertEqual(self.client.get("/accounts/tokens/").status_code, 200)
        entry = Entry.objects.get(action="person.password_change")
        self.assertEqual(
            (entry.actor_id, entry.object_id, entry.zone_id),
            (self.zhang.pk, str(self.zhang.pk), self.zone.pk),
        )

    def test_the_three_password_inputs_are_styled(self) -> None:
        self.client.force_login(self.zhang)
        html = self.client.get(self.url).content.decode()
        self.assertEqual(len(Tags(html).form_inputs()), 3)
        self.assertEqual(unstyled_inputs(html), [])

    def test_wrong_old_password_changes_nothing(self) -> None:
        self.client.force_login(self.zhang)
        r = self.client.post(
            self.url,
            {"old_password": "wrong", "new_password1": self.new, "new_password2": self.new},
        )
        self.assertEqual(r.status_code, 200)
        self.assertIn("old_password", r.context["form"].errors)
        self.assertTrue(User.objects.get(pk=self.zhang.pk).check_password(PASSWORD))
        self.assertFalse(Entry.objects.filter(action="person.password_change").exists())

    def test_weak_new_password_is_refused(self) -> None:
        self.client.force_login(self.zhang)
        r = self.client.post(
            self.url, {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"}
        )
        self.assertIn("new_password2", r.context["form"].errors)
        self.assertTrue(User.objects.get(pk=self.zhang.pk).check_password(PASSWORD))

    def test_new_password_signs_in_and_old_one_does_not(self) -> None:
        self.client.force_login(self.zhang)
        self.client.post(
            self.url,
            {"old_password": PASSWORD, "new_password1": self.new, "new_password2": self.new},
        )
        self.client.logout()
        self.client.post("/login/", {"username": "zhang", "password": PASSWORD})
        self.assertNotIn(SESSION_KEY, self.client.session)
        self.client.post("/login/", {"username": "zhang", "password": self.new})
        self.assertIn(SESSION_KEY, self.client.session)
