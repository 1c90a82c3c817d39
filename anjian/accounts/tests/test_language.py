"""Chinese by default whatever the browser says; English only when the person chooses it."""

from __future__ import annotations

from django.conf import settings

from anjian.test import World


class LanguageTests(World):
    def test_pages_speak_chinese_by_default(self) -> None:
        r = self.client.get("/login/")
        self.assertEqual(r["Content-Language"], "zh-hans")
        self.assertContains(r, '<html lang="zh-hans">')
        self.assertContains(r, "登录")
        self.assertNotContains(r, "Sign in")

    def test_english_browser_still_gets_chinese(self) -> None:
        r = self.client.get("/login/", headers={"Accept-Language": "en-US,en;q=0.9"})
        self.assertEqual(r["Content-Language"], "zh-hans")
        self.assertContains(r, "登录")

    def test_language_cookie_switches_to_english(self) -> None:
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        r = self.client.get("/login/")
        self.assertEqual(r["Content-Language"], "en")
        self.assertContains(r, "Sign in")
        self.assertNotContains(r, "登录")

    def test_unknown_language_in_the_cookie_falls_back_to_chinese(self) -> None:
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
        self.assertEqual(self.client.get("/login/")["Content-Language"], "zh-hans")

    def test_language_switch_works_before_signing_in_and_sets_the_cookie(self) -> None:
        r = self.client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
        self.assertRedirects(r, "/login/", fetch_redirect_response=False)
        self.assertEqual(r.cookies[settings.LANGUAGE_COOKIE_NAME].value, "en")
        self.assertContains(self.client.get("/login/"), "Sign in")

    def test_switching_back_to_chinese(self) -> None:
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        self.client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/login/"})
        self.assertContains(self.client.get("/login/"), "登录")

    def test_signed_in_pages_follow_the_choice_too(self) -> None:
        self.client.force_login(self.chen)
        self.assertContains(self.client.get("/regions/"), "区域与网格")
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        self.assertContains(self.client.get("/regions/"), "Regions and grids")

    def test_api_errors_follow_the_language_too(self) -> None:
        zh = self.client.get("/api/v1/me").json()["detail"]
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        en = self.client.get("/api/v1/me").json()["detail"]
        self.assertEqual(en, "Sign in or send a bearer token.")
        self.assertNotEqual(zh, en)
