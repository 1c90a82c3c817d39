"""Who owns a checklist: the platform's (the seeded national and industry standards, owned by
no zone) and each zone's own, which only its zone admin drafts and publishes and no other
zone sees; visits use the platform's and their own zone's. Services, pages and API."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.http import Http404
from django.utils import timezone

from anjian.accounts.models import Role, User
from anjian.audit.models import Entry
from anjian.checklists import services
from anjian.checklists.models import Checklist, ChecklistVersion, VersionStatus
from anjian.checklists.tests.helpers import adopt, platform
from anjian.enterprises.models import Enterprise
from anjian.enterprises.tests.helpers import EnglishWorld
from anjian.fieldwork.models import Outcome, Result, VisitKind
from anjian.fieldwork.schemas import AnswerIn, VisitIn
from anjian.fieldwork.services import VisitError, record_visit
from anjian.lib.errors import NotAllowed
from anjian.test import make_enterprise, make_neighbour_zone, make_user


def item_data(code: str = "LOCAL-1") -> dict[str, Any]:
    return {
        "code": code,
        "text": "有限空间作业票证现场张贴",
        "clause": "",
        "determination": "general",
        "verification": "S",
        "tags": [],
    }


class OwnershipWorld(EnglishWorld):
    """Zone Z (the World) with its own checklist LOCAL, and a neighbouring zone Y with its
    admin Ma, officer Niu and enterprise EY."""

    ey: Enterprise
    ma: User
    niu: User
    local: ChecklistVersion

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        zone_y, office, grid = make_neighbour_zone()
        cls.ey = make_enterprise(grid, "邻区机械厂")
        cls.ma = make_user("ma", Role.ZONE_ADMIN, region=zone_y)
        cls.niu = make_user("niu", Role.OFFICER, region=office, certificate_no="执99")
        draft = services.create_checklist(
            {"code": "LOCAL", "title": "本区有限空间专项检查表"}, by=cls.chen
        )
        services.add_item(draft, item_data(), by=cls.chen)
        cls.local = services.publish_version(draft, by=cls.chen)


class ServiceTests(OwnershipWorld):
    def test_the_seeded_checklists_belong_to_no_zone(self) -> None:
        self.assertFalse(
            Checklist.objects.filter(zone__isnull=False).exclude(code="LOCAL").exists()
        )
        self.assertEqual(self.local.checklist.zone_id, self.zone.pk)

    def test_no_zone_admin_changes_a_platform_checklist(self) -> None:
        v1 = platform("TG-NH3")
        for admin in (self.chen, self.ma):
            with self.subTest(admin=admin.username):
                with self.assertRaises(NotAllowed):
                    services.new_draft(v1, by=admin)
                with self.assertRaises(NotAllowed):
                    services.publish_version(v1, by=admin)
                item = v1.items.first()
                assert item is not None
                with self.assertRaises(NotAllowed):
                    services.edit_item(item, {"text": "改过的"}, by=admin)
        self.assertEqual(ChecklistVersion.objects.filter(checklist=v1.checklist).count(), 1)

    def test_another_zone_neither_sees_nor_publishes_a_zones_checklist(self) -> None:
        draft = services.new_draft(self.local, by=self.chen)
        for user in (self.ma, self.niu):
            with self.subTest(user=user.username):
                self.assertFalse(
                    ChecklistVersion.objects.visible_to(user)
                    .filter(checklist=self.local.checklist)
                    .exists()
                )
                with self.assertRaises(Http404):
                    services.get_version_for(user, self.local.pk)
        with self.assertRaises(NotAllowed):
            services.publish_version(draft, by=self.ma)
        with self.assertRaises(NotAllowed):
            services.add_item(draft, item_data("LOCAL-2"), by=self.ma)
        self.assertEqual(ChecklistVersion.objects.get(pk=draft.pk).status, VersionStatus.DRAFT)

    def test_everyone_of_the_zone_reads_its_published_checklist_and_drafts_stay_the_admins(
        self,
    ) -> None:
        draft = services.new_draft(self.local, by=self.chen)
        for user in (self.chen, self.li, self.zhang, self.zhao, self.sun, self.zhou, self.wu):
            with self.subTest(user=user.username):
                self.assertEqual(services.get_version_for(user, self.local.pk), self.local)
        for user in (self.li, self.zhang, self.zhao):
            with self.subTest(user=user.username), self.assertRaises(Http404):
                services.get_version_for(user, draft.pk)
        self.assertEqual(services.get_version_for(self.chen, draft.pk), draft)

    def test_a_zones_publication_applies_in_that_zone_only(self) -> None:
        mine = {a.version.pk for a in services.applicable_for(self.ea)}
        theirs = {a.version.pk for a in services.applicable_for(self.ey)}
        self.assertIn(self.local.pk, mine)
        self.assertNotIn(self.local.pk, theirs)
        self.assertIn(platform("GEN-RANDOM").pk, mine & theirs)

    def test_a_zone_adapts_a_platform_standard_into_its_own(self) -> None:
        source = platform("TG-NH3")
        draft = services.create_checklist(
            {"code": "TG-NH3", "title": "本区液氨制冷检查表"}, by=self.chen, from_version=source
        )
        self.assertEqual((draft.number, draft.status), (1, VersionStatus.DRAFT))
        self.assertEqual(draft.checklist.zone_id, self.zone.pk)
        self.assertEqual(draft.checklist.standard_id, source.checklist.standard_id)
        self.assertEqual(
            list(draft.items.values_list("code", "text")),
            list(source.items.values_list("code", "text")),
        )
        self.assertEqual(platform("TG-NH3").items.count(), 2)
        self.assertTrue(Entry.objects.filter(action="checklist.create").exists())

    def test_codes_are_unique_within_a_zone_not_across_zones(self) -> None:
        with self.assertRaises(services.VersionError) as caught:
            services.create_checklist({"code": "LOCAL", "title": "重复"}, by=self.chen)
        self.assertEqual(caught.exception.field, "code")
        other = services.create_checklist({"code": "LOCAL", "title": "邻区的"}, by=self.ma)
        self.assertEqual(other.checklist.zone_id, self.ma.region_id)

    def test_only_zone_admins_create_and_never_from_what_they_cannot_see(self) -> None:
        for user in (self.li, self.zhang, self.zhao, self.zhou, self.nobody):
            with self.subTest(user=user.username), self.assertRaises(NotAllowed):
                services.create_checklist({"code": "X", "title": "X"}, by=user)
        with self.assertRaises(Http404):
            services.create_checklist(
                {"code": "X", "title": "X"}, by=self.ma, from_version=self.local
            )
        self.assertFalse(Checklist.objects.filter(code="X").exists())


class VisitChecklistTests(OwnershipWorld):
    def visit(self, by: User, enterprise: Enterprise, version: ChecklistVersion) -> VisitIn:
        item = version.items.first()
        assert item is not None
        return VisitIn(
            client_uuid=uuid.uuid4(),
            kind=VisitKind.INSPECTION,
            enterprise=enterprise.pk,
            outcome=Outcome.INSPECTED,
            started_at=timezone.now() - datetime.timedelta(hours=1),
            checklist_version=version.pk,
            answers=[AnswerIn(item=item.pk, result=Result.COMPLIANT)],
        )

    def test_a_visit_uses_the_platforms_and_its_own_zones_checklists(self) -> None:
        for version in (self.local, platform("GEN-RANDOM")):
            with self.subTest(version=version.checklist.code):
                visit, _c = record_visit(self.visit(self.li, self.ea, version), by=self.li)
                self.assertEqual(visit.checklist_version, version)

    def test_another_zones_checklist_is_refused_on_its_field(self) -> None:
        with self.assertRaises(VisitError) as caught:
            record_visit(self.visit(self.niu, self.ey, self.local), by=self.niu)
        self.assertEqual(caught.exception.field, "checklist_version")
        self.assertFalse(self.ey.visits.exists())


class PageTests(OwnershipWorld):
    url = "/checklists/new/"

    def test_the_new_checklist_page_walks_the_ladder(self) -> None:
        r = self.client.get(self.url)
        self.assertRedirects(r, f"/login/?next={self.url}", fetch_redirect_response=False)
        for user in (self.nobody, self.li, self.zhang, self.zhao, self.zhou):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(self.url).status_code, 403)
                self.assertEqual(
                    self.client.post(self.url, {"code": "X", "title": "X"}).status_code, 403
                )
        self.client.force_login(self.chen)
        self.assertEqual(self.client.get(self.url).status_code, 200)
        r = self.client.post(self.url, {"code": "FIRE-LOCAL", "title": "本区消防检查表"})
        draft = ChecklistVersion.objects.get(checklist__code="FIRE-LOCAL")
        self.assertRedirects(r, f"/checklists/versions/{draft.pk}/")
        self.assertEqual(draft.checklist.zone_id, self.zone.pk)
        self.assertFalse(Checklist.objects.filter(code="X").exists())

    def test_bad_input_is_named_and_nothing_is_created(self) -> None:
        self.client.force_login(self.chen)
        before = Checklist.objects.count()
        for data, field in (
            ({"code": "有 空格", "title": "X"}, "code"),
            ({"code": "OK", "title": "  "}, "title"),
            ({"code": "LOCAL", "title": "重复"}, "code"),
            ({"code": "OK", "title": "X", "sectors": ["nonsense"]}, "sectors"),
        ):
            with self.subTest(field=field):
                r = self.client.post(self.url, data)
                self.assertEqual(r.status_code, 200)
                self.assertContains(r, f'data-field="{field}"')
        self.assertEqual(Checklist.objects.count(), before)

    def test_adapting_a_platform_version_copies_its_items(self) -> None:
        self.client.force_login(self.chen)
        source = platform("TG-DUST")
        r = self.client.get(f"/checklists/versions/{source.pk}/")
        self.assertContains(r, f'href="{self.url}?from={source.pk}"')
        self.assertNotContains(r, 'id="new-draft"')
        r = self.client.post(f"{self.url}?from={source.pk}", {"code": "DUST", "title": "粉尘"})
        draft = ChecklistVersion.objects.get(checklist__code="DUST")
        self.assertEqual(draft.items.count(), source.items.count())

    def test_another_zones_version_cannot_be_adapted_or_drafted(self) -> None:
        self.client.force_login(self.ma)
        self.assertEqual(self.client.get(f"{self.url}?from={self.local.pk}").status_code, 404)
        self.assertEqual(self.client.get(f"/checklists/versions/{self.local.pk}/").status_code, 404)
        r = self.client.post(f"/checklists/versions/{self.local.pk}/draft/")
        self.assertEqual(r.status_code, 404)

    def test_drafting_a_platform_version_is_refused(self) -> None:
        self.client.force_login(self.chen)
        r = self.client.post(f"/checklists/versions/{platform('TG-NH3').pk}/draft/")
        self.assertEqual(r.status_code, 403)
        self.assertFalse(ChecklistVersion.objects.filter(status=VersionStatus.DRAFT).exists())

    def test_the_list_marks_the_owner_and_hides_other_zones(self) -> None:
        self.client.force_login(self.li)
        r = self.client.get("/checklists/")
        self.assertContains(r, f'data-owner="{self.zone.pk}"')
        self.assertContains(r, "本区有限空间专项检查表")
        self.client.force_login(self.niu)
        self.assertNotContains(self.client.get("/checklists/"), "本区有限空间专项检查表")


class ApiTests(OwnershipWorld):
    def codes(self, user: User, query: str = "") -> dict[str, int | None]:
        self.client.force_login(user)
        r = self.client.get(f"/api/v1/checklists{query}")
        self.assertEqual(r.status_code, 200, r.content)
        return {c["code"]: c["zone_id"] for c in r.json()["items"]}

    def test_each_zone_lists_the_platforms_and_its_own(self) -> None:
        mine = self.codes(self.li)
        self.assertEqual(mine["LOCAL"], self.zone.pk)
        self.assertIsNone(mine["GEN-RANDOM"])
        self.assertNotIn("LOCAL", self.codes(self.niu))
        self.assertNotIn("LOCAL", self.codes(self.niu, f"?enterprise={self.ey.pk}"))
        self.assertIn("LOCAL", self.codes(self.li, f"?enterprise={self.ea.pk}"))

    def test_another_zones_version_is_not_found(self) -> None:
        self.client.force_login(self.niu)
        self.assertEqual(
            self.client.get(f"/api/v1/checklists/versions/{self.local.pk}").status_code, 404
        )
        adopted = adopt("TG-NH3", self.ma)
        self.client.force_login(self.li)
        self.assertEqual(
            self.client.get(f"/api/v1/checklists/versions/{adopted.pk}").status_code, 404
        )
