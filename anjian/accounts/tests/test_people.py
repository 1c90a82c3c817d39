"""People: the zone admin opens accounts, sets role and scope, deactivates, resets passwords."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from anjian.accounts.models import Role, User
from anjian.accounts.scope import scope_of
from anjian.accounts.tests.helpers import SignInWorld, Tags, bearer, unstyled_inputs
from anjian.audit.models import Entry
from anjian.regions.models import Region, RegionLevel
from anjian.test import PASSWORD, make_region, make_user

NEW_PASSWORD = "a fresh start 2024"


class OtherZonePeople(SignInWorld):
    zone2: Region
    admin2: User
    stranger: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.zone2 = make_region("邻区", RegionLevel.ZONE, code="02")
        cls.admin2 = make_user("admin2", Role.ZONE_ADMIN, region=cls.zone2)
        cls.stranger = make_user("stranger", Role.LEADER, region=cls.zone2)


class PersonVisibilityTests(OtherZonePeople):
    def test_zone_admin_manages_the_people_of_their_zone(self) -> None:
        mine = set(User.objects.visible_to(self.chen).values_list("username", flat=True))
        self.assertEqual(mine, {"chen", "li", "qian", "zhang", "wang", "zhao", "sun", "zhou", "wu"})
        theirs = set(User.objects.visible_to(self.admin2).values_list("username", flat=True))
        self.assertEqual(theirs, {"admin2", "stranger"})

    def test_nobody_else_manages_people(self) -> None:
        for user in [self.li, self.zhou, self.zhang, self.nobody]:
            with self.subTest(user=user.username):
                self.assertFalse(User.objects.visible_to(user).exists())


class PeoplePageTests(OtherZonePeople):
    url = "/accounts/people/"

    def test_anonymous_is_sent_to_login(self) -> None:
        r = self.client.get(self.url)
        self.assertRedirects(r, f"/login/?next={self.url}", fetch_redirect_response=False)

    def test_other_roles_are_refused(self) -> None:
        for user in [self.li, self.zhou, self.zhang, self.nobody]:
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(self.url).status_code, 403)
                self.assertEqual(self.client.get(f"{self.url}new/").status_code, 403)
                self.assertEqual(
                    self.client.get(reverse("accounts:person", args=[self.zhang.pk])).status_code,
                    403,
                )

    def test_zone_admin_lists_their_zone_only(self) -> None:
        self.client.force_login(self.chen)
        r = self.client.get(self.url)
        names = [p.username for p in r.context["page"].items]
        self.assertIn("zhang", names)
        self.assertNotIn("stranger", names)
        self.assertEqual(r.context["page"].count, 9)

    def test_filters_by_role_and_search(self) -> None:
        self.client.force_login(self.chen)
        r = self.client.get(self.url, {"role": "officer"})
        self.assertEqual([p.username for p in r.context["page"].items], ["li", "qian"])
        r = self.client.get(self.url, {"q": "zha"})
        self.assertEqual([p.username for p in r.context["page"].items], ["zhang", "zhao"])

    def test_person_of_another_zone_is_not_found(self) -> None:
        self.client.force_login(self.chen)
        r = self.client.get(reverse("accounts:person", args=[self.stranger.pk]))
        self.assertEqual(r.status_code, 404)
        r = self.client.post(
            reverse("accounts:person", args=[self.stranger.pk]), {"password": NEW_PASSWORD}
        )
        self.assertEqual(r.status_code, 404)
        self.assertFalse(User.objects.get(pk=self.stranger.pk).check_password(NEW_PASSWORD))

    def test_query_count_does_not_grow_with_people(self) -> None:
        self.client.force_login(self.chen)
        # session, user with its region (scope), count, page (regions, enterprises…
        # joined in)
        with self.assertNumQueries(4):
            self.client.get(self.url)
        for i in range(10):
            make_user(f"extra{i}", Role.OFFICER, region=self.o1, certificate_no=f"执{i}")
        with self.assertNumQueries(4):
            r = self.client.get(self.url)
        self.assertEqual(r.context["page"].count, 19)


class OpenAccountTests(OtherZonePeople):
    url = "/accounts/people/new/"

    def open(self, **fields: Any) -> Any:
        data = {"username": "newbie", "display_name": "新人", "password": NEW_PASSWORD, **fields}
        self.client.force_login(self.chen)
        return self.client.post(self.url, data)

    def test_every_input_of_the_form_is_styled(self) -> None:
        self.client.force_login(self.chen)
        html = self.client.get(self.url).content.decode()
        self.assertLessEqual(
            {"id_username", "id_role", "id_password"}, set(Tags(html).form_inputs())
        )
        self.assertEqual(unstyled_inputs(html), [])

    def test_zone_admin_opens_an_officer_account_in_their_zone(self) -> None:
        r = self.open(role="officer", region=self.o2.pk, certificate_no="执99")
        person = User.objects.get(username="newbie")
        self.assertRedirects(
            r, reverse("accounts:person", args=[person.pk]), fetch_redirect_response=False
        )
        self.assertEqual((person.role, person.region, person.zone), ("officer", self.o2, self.zone))
        self.assertTrue(person.check_password(NEW_PASSWORD))
        entry = Entry.objects.get(action="person.create")
        self.assertEqual((entry.actor, entry.zone_id), (self.chen, self.zone.pk))
        self.assertNotIn(NEW_PASSWORD, str(entry.changes))

    def test_new_officer_has_the_scope_of_their_office(self) -> None:
        self.open(role="officer", region=self.o2.pk, certificate_no="执99")
        self.assertEqual(scope_of(User.objects.get(username="newbie")).region_id, self.o2.pk)

    def test_enterprise_user_is_tied_by_credit_code(self) -> None:
        self.open(role="enterprise", enterprise_code=self.eb.uscc.lower())
        self.assertEqual(User.objects.get(username="newbie").enterprise, self.eb)

    def test_unknown_credit_code_is_refused_on_its_field(self) -> None:
        r = self.open(role="enterprise", enterprise_code="91320500000000000X")
        self.assertIn("enterprise_code", r.context["form"].errors)
        self.assertFalse(User.objects.filter(username="newbie").exists())

    def test_role_without_its_scope_field_is_refused_on_that_field(self) -> None:
        cases = {
            "officer": "region",
            "leader": "region",
            "expert": "agency",
            "department": "department",
        }
        for role, field in cases.items():
            with self.subTest(role=role):
                r = self.open(role=role, certificate_no="执1")
                self.assertIn(field, r.context["form"].errors)
        self.assertFalse(User.objects.filter(username="newbie").exists())

    def test_officer_needs_a_certificate_number(self) -> None:
        r = self.open(role="officer", region=self.o1.pk)
        self.assertIn("certificate_no", r.context["form"].errors)

    def test_region_of_another_zone_cannot_be_given(self) -> None:
        r = self.open(role="leader", region=self.zone2.pk)
        self.assertIn("region", r.context["form"].errors)
        self.assertFalse(User.objects.filter(username="newbie").exists())

    def test_only_the_field_that_goes_with_the_role_is_kept(self) -> None:
        self.open(role="expert", agency=self.agency.pk, region=self.o1.pk, department=self.fire.pk)
        person = User.objects.get(username="newbie")
        self.assertEqual(
            (person.agency, person.region, person.department), (self.agency, None, None)
        )

    def test_grid_worker_account_belongs_to_the_zone_without_a_grid_yet(self) -> None:
        self.open(role="grid_worker")
        person = User.objects.get(username="newbie")
        self.assertEqual((person.zone, scope_of(person).grid_ids), (self.zone, frozenset()))

    def test_username_already_taken_is_refused(self) -> None:
        r = self.open(username="zhang", role="grid_worker")
        self.assertIn("username", r.context["form"].errors)

    def test_short_password_is_refused(self) -> None:
        r = self.open(role="grid_worker", password="short")
        self.assertIn("password", r.context["form"].errors)

    def test_role_is_required(self) -> None:
        r = self.open(role="")
        self.assertIn("role", r.context["form"].errors)


class EditPersonTests(SignInWorld):
    def url(self, person: User) -> str:
        return reverse("accounts:person", args=[person.pk])

    def edit(self, person: User, **changes: Any) -> Any:
        data = {
            "display_name": person.display_name,
            "phone": person.phone,
            "role": person.role,
            "region": person.region_id or "",
            "agency": person.agency_id or "",
            "department": person.department_id or "",
            "certificate_no": person.certificate_no,
            "enterprise_code": person.enterprise.uscc if person.enterprise else "",
            "is_active": "on" if person.is_active else "",
            **changes,
        }
        self.client.force_login(self.chen)
        return self.client.post(self.url(person), {k: v for k, v in data.items() if v != ""})

    def test_zone_admin_moves_an_officer_to_another_office(self) -> None:
        r = self.edit(self.li, region=self.o2.pk)
        self.assertRedirects(r, self.url(self.li), fetch_redirect_response=False)
        self.assertEqual(User.objects.get(pk=self.li.pk).region, self.o2)
        entry = Entry.objects.get(action="person.update")
        self.assertEqual(entry.changes, {"region": [self.o1.pk, self.o2.pk]})

    def test_both_forms_of_the_page_are_styled(self) -> None:
        self.client.force_login(self.chen)
        html = self.client.get(self.url(self.li)).content.decode()
        self.assertLessEqual({"id_is_active", "id_password"}, set(Tags(html).form_inputs()))
        self.assertEqual(unstyled_inputs(html), [])

    def test_username_cannot_be_changed(self) -> None:
        self.edit(self.li, username="li2")
        self.assertEqual(User.objects.get(pk=self.li.pk).username, "li")

    def test_deactivated_person_can_no_longer_sign_in_or_use_tokens(self) -> None:
        headers = bearer(self.zhang)
        self.edit(self.zhang, is_active="")
        self.assertFalse(User.objects.get(pk=self.zhang.pk).is_active)
        self.client.logout()
        self.client.post("/login/", {"username": "zhang", "password": PASSWORD})
        self.assertNotIn(SESSION_KEY, self.client.session)
        self.assertEqual(self.client.get("/api/v1/me", headers=headers).status_code, 401)

    def test_zone_admin_sets_a_new_password_and_it_unlocks_the_account(self) -> None:
        User.objects.filter(pk=self.zhang.pk).update(
            locked_until=timezone.now() + datetime.timedelta(minutes=10), failed_logins=2
        )
        self.client.force_login(self.chen)
        r = self.client.post(self.url(self.zhang), {"password": NEW_PASSWORD})
        self.assertRedirects(r, self.url(self.zhang), fetch_redirect_response=False)
        zhang = User.objects.get(pk=self.zhang.pk)
        self.assertTrue(zhang.check_password(NEW_PASSWORD))
        self.assertFalse(zhang.is_locked())
        entry = Entry.objects.get(action="person.password")
        self.assertNotIn(NEW_PASSWORD, str(entry.changes))
        self.client.logout()
        self.client.post("/login/", {"username": "zhang", "password": NEW_PASSWORD})
        self.assertEqual(int(self.client.session[SESSION_KEY]), self.zhang.pk)

    def test_short_new_password_is_refused(self) -> None:
        self.client.force_login(self.chen)
        r = self.client.post(self.url(self.zhang), {"password": "short"})
        self.assertIn("password", r.context["password_form"].errors)
        self.assertFalse(User.objects.get(pk=self.zhang.pk).check_password("short"))


class PersonPageLanguageTests(SignInWorld):
    def test_the_person_page_speaks_chinese(self) -> None:
        """Zone staff found 'New password' in English on the person page (issue 9)."""
        self.client.force_login(self.chen)
        body = self.client.get(reverse("accounts:person", args=[self.zhang.pk])).content.decode()
        for english in ("New password", "new password", "Set a new password", "Set password"):
            with self.subTest(text=english):
                self.assertNotIn(english, body)
        self.assertIn("新密码", body)
        self.assertIn("重设密码", body)
