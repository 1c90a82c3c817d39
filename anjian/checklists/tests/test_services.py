"""Drafting, publishing and retiring versions; published versions never change; which
checklists apply to an enterprise."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from anjian.audit.models import Entry
from anjian.checklists import services
from anjian.checklists.models import VersionStatus
from anjian.checklists.tests.helpers import adopt, published
from anjian.enterprises.models import EnterpriseTag, Sector, Tag
from anjian.lib.errors import NotAllowed
from anjian.test import World, make_enterprise


def item_data(**fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": "GEN-15",
        "text": "安全生产承诺公告落实",
        "clause": "",
        "determination": "general",
        "verification": "S",
        "tags": [],
    }
    data.update(fields)
    return data


class DraftingTests(World):
    """Drafting and publishing the zone's own checklists (copies of two seeded ones)."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        adopt("GEN-RANDOM", cls.chen)
        adopt("TG-NH3", cls.chen)

    def test_a_new_draft_copies_the_items_of_its_version(self) -> None:
        v1 = published("GEN-RANDOM")
        drafts = Entry.objects.filter(action="checklist.draft").count()
        draft = services.new_draft(v1, by=self.chen)
        self.assertEqual((draft.number, draft.status), (2, VersionStatus.DRAFT))
        self.assertEqual(
            list(draft.items.values_list("code", "text", "clause", "verification")),
            list(v1.items.values_list("code", "text", "clause", "verification")),
        )
        self.assertEqual(Entry.objects.filter(action="checklist.draft").count(), drafts + 1)

    def test_a_checklist_has_one_draft_at_a_time(self) -> None:
        v1 = published("GEN-RANDOM")
        services.new_draft(v1, by=self.chen)
        with (
            translation.override("en"),
            self.assertRaisesMessage(services.VersionError, "draft already"),
        ):
            services.new_draft(v1, by=self.chen)

    def test_publishing_a_draft_retires_the_published_version(self) -> None:
        v1 = published("GEN-RANDOM")
        draft = services.new_draft(v1, by=self.chen)
        services.add_item(draft, item_data(), by=self.chen)
        services.publish_version(draft, by=self.chen)
        v1.refresh_from_db()
        draft.refresh_from_db()
        self.assertEqual(v1.status, VersionStatus.RETIRED)
        self.assertEqual(draft.status, VersionStatus.PUBLISHED)
        self.assertEqual(draft.published_by, self.chen)
        self.assertIsNotNone(draft.published_at)
        self.assertEqual(published("GEN-RANDOM").items.count(), 15)
        actions = set(Entry.objects.values_list("action", flat=True))
        self.assertLessEqual(
            {"checklist.publish", "checklist.retire", "checklist.item.add"}, actions
        )

    def test_a_published_version_cannot_be_published_again(self) -> None:
        with self.assertRaises(services.VersionError):
            services.publish_version(published("GEN-RANDOM"), by=self.chen)

    def test_an_empty_draft_cannot_be_published(self) -> None:
        draft = services.new_draft(published("TG-NH3"), by=self.chen)
        for item in list(draft.items.all()):
            services.remove_item(item, by=self.chen)
        with translation.override("en"), self.assertRaisesMessage(services.VersionError, "empty"):
            services.publish_version(draft, by=self.chen)

    def test_a_published_version_is_immutable(self) -> None:
        v1 = published("GEN-RANDOM")
        item = v1.items.first()
        assert item is not None
        with self.assertRaises(services.ImmutableVersion):
            services.add_item(v1, item_data(), by=self.chen)
        with self.assertRaises(services.ImmutableVersion):
            services.edit_item(item, {"text": "改过的"}, by=self.chen)
        with self.assertRaises(services.ImmutableVersion):
            services.remove_item(item, by=self.chen)
        item.refresh_from_db()
        self.assertNotEqual(item.text, "改过的")
        self.assertEqual(v1.items.count(), 14)

    def test_a_retired_version_is_immutable_too(self) -> None:
        v1 = published("TG-NH3")
        services.publish_version(services.new_draft(v1, by=self.chen), by=self.chen)
        with self.assertRaises(services.ImmutableVersion):
            services.add_item(v1, item_data(), by=self.chen)

    def test_editing_a_draft_item_is_audited_with_its_changes(self) -> None:
        draft = services.new_draft(published("TG-NH3"), by=self.chen)
        item = draft.items.get(code="TG-12-1")
        services.edit_item(item, {"verification": "S"}, by=self.chen)
        entry = Entry.objects.get(action="checklist.item.edit")
        self.assertEqual(entry.changes, {"verification": ["M", "S"]})

    def test_an_item_code_is_unique_in_its_version(self) -> None:
        draft = services.new_draft(published("TG-NH3"), by=self.chen)
        with self.assertRaisesMessage(services.VersionError, "TG-12-1"):
            services.add_item(draft, item_data(code="TG-12-1"), by=self.chen)

    def test_an_added_item_goes_last(self) -> None:
        draft = services.new_draft(published("TG-NH3"), by=self.chen)
        item = services.add_item(draft, item_data(code="TG-12-3"), by=self.chen)
        self.assertEqual(item.position, 3)

    def test_only_zone_admins_draft_and_publish(self) -> None:
        v1 = published("GEN-RANDOM")
        for user in (self.li, self.zhang, self.zhou, self.zhao):
            with self.assertRaises(NotAllowed):
                services.new_draft(v1, by=user)
        draft = services.new_draft(v1, by=self.chen)
        with self.assertRaises(NotAllowed):
            services.publish_version(draft, by=self.li)
        with self.assertRaises(NotAllowed):
            services.add_item(draft, item_data(), by=self.li)
        self.assertEqual(draft.items.count(), 14)


class ApplicableTests(World):
    def codes(self, enterprise: Any) -> dict[str, list[str]]:
        return {
            a.version.checklist.code: [i.code for i in a.items]
            for a in services.applicable_for(enterprise)
        }

    def test_a_machinery_enterprise_gets_trade_machinery_fire_and_general_lists(self) -> None:
        found = self.codes(self.ea)
        self.assertEqual(
            set(found),
            {"TG-MGMT", "TG-MACHINERY", "FIRE-DIRECT", "FIRE-COMBINED", "GEN-RANDOM"},
        )
        # TG-3-3 is for metal smelting enterprises only.
        self.assertEqual(found["TG-MGMT"], ["TG-3-1", "TG-3-2"])

    def test_tags_bring_their_checklists_and_items(self) -> None:
        EnterpriseTag.objects.create(enterprise=self.ea, tag=Tag.DUST_EXPLOSION)
        EnterpriseTag.objects.create(enterprise=self.ea, tag=Tag.METAL_SMELTING)
        found = self.codes(self.ea)
        self.assertIn("TG-DUST", found)
        self.assertEqual(found["TG-MGMT"], ["TG-3-1", "TG-3-2", "TG-3-3"])

    def test_a_chemicals_enterprise_gets_the_chemicals_list_not_the_trade_lists(self) -> None:
        chem = make_enterprise(self.grid_a, sector=Sector.HAZARDOUS_CHEMICALS)
        found = self.codes(chem)
        self.assertIn("CHEM-2017", found)
        self.assertNotIn("TG-MGMT", found)
        self.assertNotIn("FW-2017", found)

    def test_only_published_versions_apply(self) -> None:
        own = adopt("GEN-RANDOM", self.chen)
        draft = services.new_draft(own, by=self.chen)
        services.add_item(draft, item_data(), by=self.chen)
        applicable = services.applicable_for(self.ea)
        general = next(a for a in applicable if a.version.checklist_id == own.checklist_id)
        self.assertEqual(general.version.number, 1)
        self.assertEqual(len(general.items), 14)

    def test_applicable_checklists_take_three_queries(self) -> None:
        with self.assertNumQueries(3):
            services.applicable_for(self.ea)
