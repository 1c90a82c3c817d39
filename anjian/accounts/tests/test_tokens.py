"""API tokens from the account page and from the API; bearer auth; who am I."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from anjian.accounts.models import ApiToken, User
from anjian.accounts.services import issue_token
from anjian.accounts.tests.helpers import SignInWorld, Tags, bearer, unstyled_inputs
from anjian.audit.models import Entry
from anjian.test import PASSWORD, World


class TokenPageTests(World):
    url = "/accounts/tokens/"

    def test_anonymous_is_sent_to_login(self) -> None:
        r = self.client.get(self.url)
        self.assertRedirects(r, f"/login/?next={self.url}", fetch_redirect_response=False)

    def test_any_signed_in_person_may_keep_tokens(self) -> None:
        self.client.force_login(self.nobody)
        self.assertEqual(self.client.get(self.url).status_code, 200)

    def test_the_token_name_input_is_styled(self) -> None:
        self.client.force_login(self.zhang)
        html = self.client.get(self.url).content.decode()
        self.assertIn("id_name", Tags(html).form_inputs())
        self.assertEqual(unstyled_inputs(html), [])

    def test_new_token_is_shown_once_and_only_its_hash_is_kept(self) -> None:
        self.client.force_login(self.zhang)
        r = self.client.post(self.url, {"name": "巡查手机3"})
        raw = r.context["new_token"]
        self.assertContains(r, raw)
        token = ApiToken.objects.get(user=self.zhang)
        self.assertEqual(token.name, "巡查手机3")
        self.assertEqual(token.digest, hashlib.sha256(raw.encode()).hexdigest())
        self.assertEqual(token.prefix, raw[:8])
        self.assertNotIn(raw, {token.digest, token.prefix, token.name})
        self.assertNotContains(self.client.get(self.url), raw)

    def test_token_made_on_the_page_works_on_the_api(self) -> None:
        self.client.force_login(self.zhang)
        raw = self.client.post(self.url, {"name": "phone"}).context["new_token"]
        self.client.logout()
        r = self.client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
        self.assertEqual(r.json()["username"], "zhang")

    def test_token_needs_a_name(self) -> None:
        self.client.force_login(self.zhang)
        r = self.client.post(self.url, {"name": ""})
        self.assertIn("name", r.context["form"].errors)
        self.assertIsNone(r.context["new_token"])
        self.assertFalse(ApiToken.objects.filter(user=self.zhang).exists())

    def test_page_lists_only_ones_own_tokens(self) -> None:
        mine, _ = issue_token(self.zhang, name="我的手机")
        theirs, _ = issue_token(self.wang, name="王的手机")
        self.client.force_login(self.zhang)
        r = self.client.get(self.url)
        self.assertEqual(list(r.context["tokens"]), [mine])
        self.assertNotContains(r, "王的手机")
        self.assertNotContains(r, theirs.prefix)

    def test_owner_revokes_a_token_and_it_stops_working(self) -> None:
        token, raw = issue_token(self.zhang, name="lost phone")
        self.client.force_login(self.zhang)
        r = self.client.post(reverse("accounts:revoke", args=[token.pk]))
        self.assertRedirects(r, self.url, fetch_redirect_response=False)
        self.assertIsNotNone(ApiToken.objects.get(pk=token.pk).revoked_at)
        self.client.logout()
        r = self.client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
        self.assertEqual(r.status_code, 401)

    def test_revoking_another_persons_token_is_not_found(self) -> None:
        token, _ = issue_token(self.wang)
        for user in [self.zhang, self.chen]:
            with self.subTest(user=user.username):
                self.client.force_login(user)
                r = self.client.post(reverse("accounts:revoke", args=[token.pk]))
                self.assertEqual(r.status_code, 404)
        self.assertIsNone(ApiToken.objects.get(pk=token.pk).revoked_at)

    def test_revoke_needs_post(self) -> None:
        token, _ = issue_token(self.zhang)
        self.client.force_login(self.zhang)
        self.assertEqual(
            self.client.get(reverse("accounts:revoke", args=[token.pk])).status_code, 405
        )
        self.assertIsNone(ApiToken.objects.get(pk=token.pk).revoked_at)

    def test_revoked_token_shows_as_revoked_without_a_button(self) -> None:
        token, _ = issue_token(self.zhang)
        self.client.force_login(self.zhang)
        self.client.post(reverse("accounts:revoke", args=[token.pk]))
        r = self.client.get(self.url)
        self.assertNotContains(r, reverse("accounts:revoke", args=[token.pk]))


class TokenApiTests(SignInWorld):
    url = "/api/v1/auth/token"

    def post(self, **body: str) -> Any:
        return self.client.post(self.url, body, content_type="application/json")

    def test_username_and_password_give_a_working_token(self) -> None:
        r = self.client.post(
            self.url,
            {"username": "zhang", "password": PASSWORD, "name": "patrol phone"},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 200)
        raw = r.json()["token"]
        token = ApiToken.objects.get(digest=hashlib.sha256(raw.encode()).hexdigest())
        self.assertEqual((token.user, token.name), (self.zhang, "patrol phone"))
        me = self.client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
        self.assertEqual(me.json()["username"], "zhang")

    def test_token_without_a_name_is_named_api(self) -> None:
        self.client.post(
            self.url, {"username": "zhang", "password": PASSWORD}, content_type="application/json"
        )
        self.assertEqual(ApiToken.objects.get(user=self.zhang).name, "api")

    def test_wrong_password_is_401_json_and_makes_no_token(self) -> None:
        r = self.client.post(
            self.url, {"username": "zhang", "password": "wrong"}, content_type="application/json"
        )
        self.assertEqual(r.status_code, 401)
        self.assertEqual(set(r.json()), {"detail", "errors"})
        self.assertFalse(ApiToken.objects.exists())

    def test_missing_password_is_422_naming_the_field(self) -> None:
        r = self.client.post(self.url, {"username": "zhang"}, content_type="application/json")
        self.assertEqual(r.status_code, 422)
        self.assertIn("password", [e["field"] for e in r.json()["errors"]])

    def test_too_many_failures_answer_429_even_for_the_right_password(self) -> None:
        wrong = {"username": "zhang", "password": "wrong"}
        codes = [
            self.client.post(self.url, wrong, content_type="application/json").status_code
            for _ in range(settings.LOGIN_MAX_FAILURES)
        ]
        self.assertEqual(codes, [401] * (settings.LOGIN_MAX_FAILURES - 1) + [429])
        r = self.client.post(
            self.url,
            {"username": "zhang", "password": PASSWORD},
            content_type="application/json",
            headers={"Cookie": f"{settings.LANGUAGE_COOKIE_NAME}=en"},
        )
        self.assertEqual(r.status_code, 429)
        self.assertIn("locked", r.json()["detail"])
        self.assertFalse(ApiToken.objects.exists())

    def test_lock_shared_between_page_and_api(self) -> None:
        for _ in range(settings.LOGIN_MAX_FAILURES):
            self.client.post("/login/", {"username": "zhang", "password": "wrong"})
        r = self.client.post(
            self.url, {"username": "zhang", "password": PASSWORD}, content_type="application/json"
        )
        self.assertEqual(r.status_code, 429)

    def test_token_endpoint_works_again_after_the_lock_expires(self) -> None:
        User.objects.filter(pk=self.zhang.pk).update(
            locked_until=timezone.now() - datetime.timedelta(minutes=1)
        )
        r = self.client.post(
            self.url, {"username": "zhang", "password": PASSWORD}, content_type="application/json"
        )
        self.assertEqual(r.status_code, 200)


class TokenListApiTests(World):
    url = "/api/v1/auth/tokens"

    def test_anonymous_gets_401_json(self) -> None:
        r = self.client.get(self.url)
        self.assertEqual(r.status_code, 401)
        self.assertEqual(r.json()["errors"], [])
        self.assertTrue(r.json()["detail"])

    def test_lists_only_the_callers_tokens_newest_first(self) -> None:
        headers = bearer(self.zhang, "first")
        issue_token(self.zhang, name="second")
        issue_token(self.wang, name="wang's")
        r = self.client.get(self.url, headers=headers)
        body = r.json()
        self.assertEqual([t["name"] for t in body["items"]], ["second", "first"])
        self.assertEqual(set(body), {"items", "next"})
        self.assertEqual(
            set(body["items"][0]),
            {"id", "name", "prefix", "created_at", "last_used_at", "revoked_at", "expires_at"},
        )

    def test_list_never_shows_a_digest(self) -> None:
        headers = bearer(self.zhang)
        digest = ApiToken.objects.get(user=self.zhang).digest
        self.assertNotIn(digest, self.client.get(self.url, headers=headers).content.decode())

    def test_with_count(self) -> None:
        headers = bearer(self.zhang)
        issue_token(self.zhang)
        r = self.client.get(self.url, {"with_count": "true"}, headers=headers)
        self.assertEqual(r.json()["count"], 2)

    def test_session_of_a_signed_in_browser_is_accepted(self) -> None:
        issue_token(self.zhang, name="from page")
        self.client.force_login(self.zhang)
        r = self.client.get(self.url)
        self.assertEqual([t["name"] for t in r.json()["items"]], ["from page"])


class TokenRevokeApiTests(World):
    def url(self, token: ApiToken) -> str:
        return f"/api/v1/auth/tokens/{token.pk}"

    def test_owner_revokes_their_token_and_it_stops_working(self) -> None:
        token, raw = issue_token(self.zhang, name="lost phone")
        headers = {"Authorization": f"Bearer {raw}"}
        r = self.client.delete(self.url(token), headers=bearer(self.zhang))
        self.assertEqual(r.status_code, 204)
        self.assertIsNotNone(ApiToken.objects.get(pk=token.pk).revoked_at)
        r = self.client.get("/api/v1/me", headers=headers)
        self.assertEqual(r.status_code, 401)
        self.assertEqual(set(r.json()), {"detail", "errors"})

    def test_a_token_may_revoke_itself(self) -> None:
        token, raw = issue_token(self.zhang)
        headers = {"Authorization": f"Bearer {raw}"}
        self.assertEqual(self.client.delete(self.url(token), headers=headers).status_code, 204)
        self.assertEqual(self.client.get("/api/v1/me", headers=headers).status_code, 401)

    def test_another_persons_token_is_404(self) -> None:
        token, _ = issue_token(self.wang)
        r = self.client.delete(self.url(token), headers=bearer(self.zhang))
        self.assertEqual(r.status_code, 404)
        self.assertEqual(r.json()["errors"], [])
        self.assertIsNone(ApiToken.objects.get(pk=token.pk).revoked_at)

    def test_missing_token_is_404_like_another_persons(self) -> None:
        token, _ = issue_token(self.wang)
        headers = bearer(self.zhang)
        theirs = self.client.delete(self.url(token), headers=headers)
        missing = self.client.delete("/api/v1/auth/tokens/999999", headers=headers)
        self.assertEqual(theirs.json(), missing.json())
        self.assertEqual(theirs.status_code, missing.status_code)

    def test_anonymous_gets_401(self) -> None:
        token, _ = issue_token(self.zhang)
        self.assertEqual(self.client.delete(self.url(token)).status_code, 401)
        self.assertIsNone(ApiToken.objects.get(pk=token.pk).revoked_at)

    def test_revoking_twice_keeps_the_first_time_and_one_audit_entry(self) -> None:
        token, _ = issue_token(self.zhang)
        headers = bearer(self.zhang)
        self.client.delete(self.url(token), headers=headers)
        first = ApiToken.objects.get(pk=token.pk).revoked_at
        self.assertEqual(self.client.delete(self.url(token), headers=headers).status_code, 204)
        self.assertEqual(ApiToken.objects.get(pk=token.pk).revoked_at, first)
        self.assertEqual(Entry.objects.filter(action="token.revoke").count(), 1)


class BearerAuthTests(World):
    def test_unknown_token_is_401(self) -> None:
        r = self.client.get("/api/v1/me", headers={"Authorization": "Bearer aj_not-a-token"})
        self.assertEqual(r.status_code, 401)

    def test_token_of_a_deactivated_user_is_401(self) -> None:
        headers = bearer(self.zhang)
        User.objects.filter(pk=self.zhang.pk).update(is_active=False)
        self.assertEqual(self.client.get("/api/v1/me", headers=headers).status_code, 401)

    def test_use_is_stamped_at_most_once_a_minute(self) -> None:
        token, raw = issue_token(self.zhang)
        headers = {"Authorization": f"Bearer {raw}"}
        self.client.get("/api/v1/me", headers=headers)
        first = ApiToken.objects.get(pk=token.pk).last_used_at
        self.assertIsNotNone(first)
        with self.assertNumQueries(2):  # token + user, scope (the current grids); no stamp
            self.client.get("/api/v1/me", headers=headers)
        self.assertEqual(ApiToken.objects.get(pk=token.pk).last_used_at, first)
        ApiToken.objects.filter(pk=token.pk).update(
            last_used_at=timezone.now() - datetime.timedelta(minutes=2)
        )
        self.client.get("/api/v1/me", headers=headers)
        later = ApiToken.objects.get(pk=token.pk).last_used_at
        assert later is not None and first is not None
        self.assertGreater(later, first)

    def test_api_is_not_redirected_to_the_login_page(self) -> None:
        r = self.client.get("/api/v1/me")
        self.assertEqual(r.status_code, 401)
        self.assertTrue(r["Content-Type"].startswith("application/json"))


class MeTests(World):
    def me(self, user: User) -> dict[str, object]:
        r = self.client.get("/api/v1/me", headers=bearer(user))
        self.assertEqual(r.status_code, 200)
        return r.json()  # type: ignore[no-any-return]

    def test_grid_worker_sees_their_grid_and_capabilities(self) -> None:
        me = self.me(self.zhang)
        self.assertEqual(me["role"], "grid_worker")
        self.assertEqual(me["grid_ids"], [self.grid_a.pk])
        caps = me["capabilities"]
        assert isinstance(caps, list)
        self.assertIn("registry.edit", caps)
        self.assertNotIn("registry.import", caps)
        self.assertNotIn("audit.view", caps)

    def test_zone_admin_holds_the_admin_capabilities(self) -> None:
        me = self.me(self.chen)
        self.assertEqual(me["region_id"], self.zone.pk)
        self.assertEqual(me["grid_ids"], [])
        caps = me["capabilities"]
        assert isinstance(caps, list)
        self.assertIn("audit.view", caps)
        self.assertIn("registry.import", caps)

    def test_enterprise_user_sees_their_enterprise(self) -> None:
        me = self.me(self.zhao)
        self.assertEqual((me["enterprise_id"], me["grid_ids"]), (self.ea.pk, [self.grid_a.pk]))

    def test_person_without_role_holds_no_capability(self) -> None:
        me = self.me(self.nobody)
        self.assertEqual((me["role"], me["role_label"], me["capabilities"]), ("", "", []))


class TokenLifeTests(World):
    """A token expires (API_TOKEN_DAYS, shown when issued), ends with a password change or a
    deactivation, and does not work while its owner is locked out."""

    def works(self, headers: dict[str, str]) -> bool:
        """Whether the token alone signs in (a client with no session)."""
        status = Client().get("/api/v1/me", headers=headers).status_code
        self.assertIn(status, (200, 401))
        return status == 200

    def test_the_expiry_is_given_when_issued_and_kept_to(self) -> None:
        before = timezone.now()
        r = self.client.post(
            "/api/v1/auth/token",
            {"username": "zhang", "password": PASSWORD, "name": "手机"},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 200)
        expires = datetime.datetime.fromisoformat(r.json()["expires_at"])
        days = datetime.timedelta(days=settings.API_TOKEN_DAYS)
        self.assertLessEqual(before + days, expires)
        self.assertLessEqual(expires, timezone.now() + days)
        headers = {"Authorization": f"Bearer {r.json()['token']}"}
        self.assertTrue(self.works(headers))
        ApiToken.objects.filter(user=self.zhang).update(expires_at=timezone.now())
        self.assertFalse(self.works(headers))

    def test_the_page_shows_when_a_token_expires_and_which_have(self) -> None:
        self.client.force_login(self.zhang)
        r = self.client.post("/accounts/tokens/", {"name": "巡查手机"})
        token = ApiToken.objects.get(user=self.zhang)
        self.assertContains(r, 'id="new-token-expires"')
        self.assertContains(r, timezone.localtime(token.expires_at).strftime("%Y-%m-%d %H:%M"))
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
        self.assertContains(self.client.get("/accounts/tokens/"), "已过期")  # expired

    def test_changing_ones_password_ends_every_token(self) -> None:
        headers = bearer(self.zhang)
        self.client.force_login(self.zhang)
        r = self.client.post(
            "/accounts/password/",
            {"old_password": PASSWORD, "new_password1": "巡查安全-2026-秋", "new_password2": "巡查安全-2026-秋"},
        )  # fmt: skip
        self.assertEqual(r.status_code, 302)
        self.assertFalse(self.works(headers))
        self.assertTrue(ApiToken.objects.filter(user=self.zhang, revoked_at__isnull=False).exists())

    def test_a_password_set_by_the_zone_admin_ends_every_token(self) -> None:
        headers = bearer(self.zhang)
        self.client.force_login(self.chen)
        r = self.client.post(f"/accounts/people/{self.zhang.pk}/", {"password": "巡查安全-2026-秋"})
        self.assertEqual(r.status_code, 302)
        self.assertFalse(self.works(headers))

    def test_deactivation_ends_every_token_for_good(self) -> None:
        headers = bearer(self.zhang)
        User.objects.filter(pk=self.zhang.pk).update(is_active=True)
        from anjian.accounts.services import update_person

        update_person(self.zhang, {"is_active": False}, by=self.chen)
        self.assertFalse(self.works(headers))
        update_person(self.zhang, {"is_active": True}, by=self.chen)
        self.assertFalse(self.works(headers), "reactivated: the old tokens stay revoked")

    def test_a_locked_account_s_token_does_not_work_until_the_lock_ends(self) -> None:
        headers = bearer(self.zhang)
        User.objects.filter(pk=self.zhang.pk).update(
            locked_until=timezone.now() + datetime.timedelta(minutes=10)
        )
        self.assertFalse(self.works(headers))
        User.objects.filter(pk=self.zhang.pk).update(locked_until=timezone.now())
        self.assertTrue(self.works(headers))


class PasswordRulesTests(World):
    """The password rules (AUTH_PASSWORD_VALIDATORS) hold for every password set: one the
    zone admin sets for a person and one given when an account is opened."""

    WEAK = ["12345678", "password", "anjian"]

    def test_a_password_the_zone_admin_sets_keeps_the_rules(self) -> None:
        self.client.force_login(self.chen)
        before = User.objects.get(pk=self.zhang.pk).password
        for weak in [*self.WEAK, "zhang2026"]:
            with self.subTest(password=weak):
                r = self.client.post(f"/accounts/people/{self.zhang.pk}/", {"password": weak})
                self.assertEqual(r.status_code, 200)
                self.assertTrue(r.context["password_form"].errors["password"])
        self.assertEqual(User.objects.get(pk=self.zhang.pk).password, before)

    def test_an_initial_password_keeps_the_rules(self) -> None:
        self.client.force_login(self.chen)
        for weak in [*self.WEAK, "xiaoming1"]:
            with self.subTest(password=weak):
                r = self.client.post(
                    "/accounts/people/new/",
                    {"username": "xiaoming", "display_name": "小明", "role": "grid_worker",
                     "password": weak},
                )  # fmt: skip
                self.assertEqual(r.status_code, 200)
                self.assertTrue(r.context["form"].errors["password"])
        self.assertFalse(User.objects.filter(username="xiaoming").exists())

    def test_the_service_refuses_a_weak_password_whoever_calls_it(self) -> None:
        from django.core.exceptions import ValidationError

        from anjian.accounts.services import set_password

        with self.assertRaises(ValidationError):
            set_password(self.zhang, "12345678", by=self.chen)
