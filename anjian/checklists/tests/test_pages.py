"""Checklist pages on the permission ladder, and the enterprise page's applicable checklists."""

from __future__ import annotations

from anjian.checklists import services
from anjian.checklists.models import ChecklistVersion, VersionStatus
from anjian.checklists.tests.helpers import adopt, platform, published
from anjian.enterprises.tests.helpers import EnglishWorld


class OwnChecklists(EnglishWorld):
    """The zone's own copies of three seeded checklists, which its zone admin edits."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for code in ("GEN-RANDOM", "TG-NH3", "TG-DUST"):
            adopt(code, cls.chen)


# session, user, the user's region (scope: which zone's checklists), versions with item
# counts, checklists with their standards (a zone admin has no notification badge, so no
# query for it)
LIST_QUERIES = 5


class ListPageTests(OwnChecklists):
    url = "/checklists/"

    def test_anonymous_is_sent_to_login(self) -> None:
        r = self.client.get(self.url)
        self.assertRedirects(r, f"/login/?next={self.url}", fetch_redirect_response=False)

    def test_user_without_role_is_refused(self) -> None:
        self.client.force_login(self.nobody)
        self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_every_role_reads_the_checklists(self) -> None:
        for user in (self.chen, self.li, self.zhang, self.zhao, self.sun, self.zhou, self.wu):
            self.client.force_login(user)
            r = self.client.get(self.url)
            self.assertContains(r, "TG-DUST")
            self.assertContains(r, "粉尘涉爆")

    def test_checklists_without_items_say_so(self) -> None:
        self.client.force_login(self.li)
        self.assertContains(self.client.get(self.url), "its items are still to be loaded")

    def test_drafts_are_listed_for_editors_only(self) -> None:
        draft = services.new_draft(published("GEN-RANDOM"), by=self.chen)
        link = f"/checklists/versions/{draft.pk}/"
        self.client.force_login(self.li)
        self.assertNotContains(self.client.get(self.url), link)
        self.client.force_login(self.chen)
        self.assertContains(self.client.get(self.url), link)

    def test_the_list_takes_the_same_queries_whatever_the_checklists(self) -> None:
        self.client.force_login(self.chen)
        with self.assertNumQueries(LIST_QUERIES):
            self.client.get(self.url)
        services.new_draft(published("GEN-RANDOM"), by=self.chen)
        services.new_draft(published("TG-DUST"), by=self.chen)
        with self.assertNumQueries(LIST_QUERIES):
            r = self.client.get(self.url)
        self.assertContains(r, "text-bg-warning", count=2)


class VersionPageTests(OwnChecklists):
    def url(self, version: ChecklistVersion) -> str:
        return f"/checklists/versions/{version.pk}/"

    def test_items_show_determination_and_source_tag(self) -> None:
        self.client.force_login(self.zhang)
        r = self.client.get(self.url(published("TG-DUST")))
        self.assertContains(r, "TG-11-10")
        self.assertContains(r, 'data-determination="major_direct"', count=10)
        self.assertContains(r, 'data-source="M"', count=1)
        self.assertNotContains(r, 'id="new-draft"')

    def test_a_draft_is_not_found_for_readers(self) -> None:
        draft = services.new_draft(published("GEN-RANDOM"), by=self.chen)
        self.client.force_login(self.li)
        self.assertEqual(self.client.get(self.url(draft)).status_code, 404)
        self.client.force_login(self.chen)
        self.assertContains(self.client.get(self.url(draft)), 'id="publish"')

    def test_the_enterprise_filter_shows_only_its_items(self) -> None:
        self.client.force_login(self.zhang)
        r = self.client.get(self.url(platform("TG-MGMT")) + f"?enterprise={self.ea.pk}")
        self.assertContains(r, "TG-3-1")
        self.assertNotContains(r, "TG-3-3")
        self.assertContains(r, 'id="for-enterprise"')

    def test_an_enterprise_out_of_scope_is_not_found(self) -> None:
        self.client.force_login(self.wang)
        r = self.client.get(self.url(platform("TG-MGMT")) + f"?enterprise={self.ea.pk}")
        self.assertEqual(r.status_code, 404)
        r = self.client.get(self.url(platform("TG-MGMT")) + "?enterprise=abc")
        self.assertEqual(r.status_code, 404)

    def test_zone_admin_sees_the_new_draft_button(self) -> None:
        self.client.force_login(self.chen)
        self.assertContains(self.client.get(self.url(published("TG-DUST"))), 'id="new-draft"')


class DraftEditingTests(OwnChecklists):
    def test_anonymous_and_other_roles_cannot_start_a_draft(self) -> None:
        v1 = published("GEN-RANDOM")
        url = f"/checklists/versions/{v1.pk}/draft/"
        self.assertEqual(self.client.post(url).status_code, 302)
        for user in (self.li, self.zhou, self.zhang, self.zhao):
            self.client.force_login(user)
            self.assertEqual(self.client.post(url).status_code, 403)
        self.assertFalse(ChecklistVersion.objects.filter(status=VersionStatus.DRAFT).exists())

    def test_zone_admin_drafts_edits_and_publishes(self) -> None:
        v1 = published("TG-NH3")
        self.client.force_login(self.chen)
        r = self.client.post(f"/checklists/versions/{v1.pk}/draft/")
        draft = ChecklistVersion.objects.get(status=VersionStatus.DRAFT)
        self.assertRedirects(r, f"/checklists/versions/{draft.pk}/")
        r = self.client.post(
            f"/checklists/versions/{draft.pk}/items/new/",
            {
                "code": "TG-12-3",
                "text": "氨制冷机房未设置氨气浓度报警装置",
                "clause": "第十二条",
                "determination": "major_direct",
                "verification": "M",
            },
        )
        self.assertRedirects(r, f"/checklists/versions/{draft.pk}/")
        item = draft.items.get(code="TG-12-1")
        r = self.client.post(
            f"/checklists/items/{item.pk}/edit/",
            {
                "code": "TG-12-1",
                "position": "1",
                "text": item.text,
                "clause": "第十二条",
                "determination": "major_direct",
                "verification": "S",
                "tags": ["ammonia_refrigeration"],
            },
        )
        self.assertRedirects(r, f"/checklists/versions/{draft.pk}/")
        self.client.post(f"/checklists/versions/{draft.pk}/publish/")
        current = published("TG-NH3")
        self.assertEqual(current.pk, draft.pk)
        self.assertEqual(current.items.count(), 3)
        self.assertEqual(current.items.get(code="TG-12-1").tags, ["ammonia_refrigeration"])

    def test_a_bad_item_is_shown_with_its_field(self) -> None:
        draft = services.new_draft(published("TG-NH3"), by=self.chen)
        self.client.force_login(self.chen)
        r = self.client.post(
            f"/checklists/versions/{draft.pk}/items/new/",
            {"code": "TG-12-1", "text": " ", "determination": "sometimes", "verification": "S"},
        )
        self.assertEqual(r.status_code, 200)
        self.assertTrue(r.context["form"].errors["text"])
        self.assertTrue(r.context["form"].errors["determination"])
        self.assertEqual(draft.items.count(), 2)

    def test_a_duplicate_code_is_refused_on_its_field(self) -> None:
        draft = services.new_draft(published("TG-NH3"), by=self.chen)
        self.client.force_login(self.chen)
        r = self.client.post(
            f"/checklists/versions/{draft.pk}/items/new/",
            {"code": "TG-12-1", "text": "重复", "determination": "general", "verification": "S"},
        )
        self.assertContains(r, 'data-field="code"')
        self.assertEqual(draft.items.count(), 2)

    def test_a_published_version_offers_no_editing_and_refuses_it(self) -> None:
        v1 = published("TG-NH3")
        item = v1.items.get(code="TG-12-1")
        self.client.force_login(self.chen)
        r = self.client.get(f"/checklists/versions/{v1.pk}/items/new/")
        self.assertRedirects(r, f"/checklists/versions/{v1.pk}/")
        r = self.client.post(f"/checklists/items/{item.pk}/remove/", follow=True)
        self.assertContains(r, "A published version cannot be changed")
        self.assertTrue(v1.items.filter(pk=item.pk).exists())

    def test_officers_cannot_edit_a_draft(self) -> None:
        draft = services.new_draft(published("TG-NH3"), by=self.chen)
        item = draft.items.get(code="TG-12-1")
        self.client.force_login(self.li)
        self.assertEqual(self.client.get(f"/checklists/items/{item.pk}/edit/").status_code, 403)
        self.assertEqual(self.client.post(f"/checklists/items/{item.pk}/remove/").status_code, 403)
        self.assertEqual(draft.items.count(), 2)


class EnterprisePageTests(EnglishWorld):
    def test_the_enterprise_page_links_its_applicable_checklists(self) -> None:
        self.client.force_login(self.zhang)
        r = self.client.get(f"/enterprises/{self.ea.pk}/")
        self.assertContains(r, 'id="applicable-checklists"')
        link = f"/checklists/versions/{platform('TG-MACHINERY').pk}/?enterprise={self.ea.pk}"
        self.assertContains(r, link)
        self.assertNotContains(r, f"/checklists/versions/{platform('CHEM-2017').pk}/")
