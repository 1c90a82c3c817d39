"""The seeded checklists (migration 0003, from RULES.md §5): what is there, and what is not."""

from __future__ import annotations

from django.apps import apps
from django.test import TestCase

from anjian.checklists import seed_data
from anjian.checklists.models import (
    Checklist,
    ChecklistItem,
    ChecklistVersion,
    Determination,
    Standard,
    VersionStatus,
)
from anjian.enterprises.models import Sector, Tag


def items(code: str) -> list[ChecklistItem]:
    return list(ChecklistItem.objects.filter(version__checklist__code=code).order_by("position"))


class SeedTests(TestCase):
    def test_the_four_standards_are_seeded_with_their_document_numbers(self) -> None:
        docs = dict(Standard.objects.values_list("code", "doc_no"))
        self.assertEqual(docs["MEM-10-2023"], "应急管理部令第10号")
        self.assertEqual(docs["SAWS-121-2017-CHEM"], "安监总管三〔2017〕121号")
        self.assertEqual(docs["SAWS-121-2017-FW"], "安监总管三〔2017〕121号")
        self.assertEqual(docs["GB35181"], "GB 35181-2017")

    def test_every_seeded_version_is_published_as_version_1(self) -> None:
        versions = ChecklistVersion.objects.filter(checklist__code__in=seed_data.SEEDED_CODES)
        self.assertEqual(set(versions.values_list("number", "status")), {(1, "published")})
        self.assertEqual(versions.count(), 12)

    def test_chemicals_and_fireworks_have_twenty_items_each(self) -> None:
        self.assertEqual(len(items("CHEM-2017")), 20)
        self.assertEqual(len(items("FW-2017")), 20)
        self.assertEqual(items("CHEM-2017")[14].text, "安全阀、爆破片等安全附件未正常投用")
        self.assertEqual(items("CHEM-2017")[14].clause, "第十五项")

    def test_todo_items_are_not_invented(self) -> None:
        self.assertFalse(ChecklistItem.objects.filter(code__contains="TODO").exists())
        self.assertFalse(ChecklistItem.objects.filter(text__icontains="load from").exists())
        self.assertFalse(ChecklistItem.objects.filter(text__icontains="to be completed").exists())
        for code in ("TG-NONFERROUS", "TG-LIGHT", "TG-TEXTILE", "TG-TOBACCO"):
            checklist = Checklist.objects.get(code=code)
            self.assertFalse(checklist.versions.exists(), code)
            self.assertIn("官方文本", checklist.note, code)

    def test_partly_loaded_articles_name_what_is_missing(self) -> None:
        self.assertIn("高炉", Checklist.objects.get(code="TG-METAL").note)
        self.assertIn("压铸机", Checklist.objects.get(code="TG-MACHINERY").note)
        self.assertEqual(
            [i.code for i in items("TG-METAL")], ["TG-4-1", "TG-4-2", "TG-4-3", "TG-4-4"]
        )

    def test_items_keep_their_source_tag_and_clause(self) -> None:
        by_code = {i.code: i for i in ChecklistItem.objects.all()}
        self.assertEqual(by_code["TG-4-4"].verification, "S-partial")
        self.assertEqual(by_code["TG-11-10"].verification, "M")
        self.assertEqual(by_code["TG-12-1"].verification, "M")
        self.assertEqual(by_code["TG-3-1"].verification, "S")
        self.assertEqual(by_code["TG-11-1"].clause, "第十一条")
        self.assertEqual(by_code["FD-6.9"].verification, "M")
        self.assertEqual(by_code["FD-6.1"].clause, "6.1")
        self.assertEqual(by_code["GEN-03"].clause, "安全生产法第二十四条")

    def test_determinations_follow_the_standard(self) -> None:
        self.assertEqual(
            {i.determination for i in items("TG-DUST") + items("CHEM-2017") + items("FIRE-DIRECT")},
            {Determination.MAJOR_DIRECT},
        )
        self.assertEqual(
            {i.determination for i in items("FIRE-COMBINED")}, {Determination.MAJOR_COMBINED}
        )
        self.assertEqual({i.determination for i in items("GEN-RANDOM")}, {Determination.GENERAL})
        self.assertEqual(len(items("FIRE-DIRECT")), 10)
        self.assertEqual(len(items("GEN-RANDOM")), 14)

    def test_applies_to_is_mapped_to_the_registry_codes(self) -> None:
        mgmt = Checklist.objects.get(code="TG-MGMT")
        self.assertEqual(
            set(mgmt.sectors),
            {
                Sector.METALLURGY,
                Sector.NONFERROUS,
                Sector.BUILDING_MATERIALS,
                Sector.MACHINERY,
                Sector.LIGHT_INDUSTRY,
                Sector.TEXTILE,
                Sector.TOBACCO,
                Sector.COMMERCE,
            },
        )
        self.assertEqual(Checklist.objects.get(code="TG-METAL").sectors, [Sector.METALLURGY])
        self.assertEqual(
            Checklist.objects.get(code="CHEM-2017").sectors, [Sector.HAZARDOUS_CHEMICALS]
        )
        self.assertEqual(Checklist.objects.get(code="FW-2017").sectors, [Sector.FIREWORKS])
        self.assertEqual(Checklist.objects.get(code="TG-DUST").tags, [Tag.DUST_EXPLOSION])
        self.assertEqual(Checklist.objects.get(code="TG-NH3").tags, [Tag.AMMONIA_REFRIGERATION])
        self.assertEqual(Checklist.objects.get(code="TG-CONFINED").tags, [Tag.CONFINED_SPACE])
        self.assertEqual(ChecklistItem.objects.get(code="TG-3-3").tags, [Tag.METAL_SMELTING])
        fire = Checklist.objects.get(code="FIRE-DIRECT")
        self.assertEqual((fire.sectors, fire.tags), ([], []))
        every_code = set(Sector.values) | set(Tag.values)
        for c in Checklist.objects.all():
            self.assertLessEqual(set(c.sectors) | set(c.tags), every_code, c.code)

    def test_unloading_and_loading_again_restores_the_seed(self) -> None:
        before = ChecklistItem.objects.count()
        seed_data.unload(apps)
        self.assertFalse(Checklist.objects.filter(code__in=seed_data.SEEDED_CODES).exists())
        self.assertFalse(Standard.objects.filter(code="GB35181").exists())
        seed_data.load(apps)
        self.assertEqual(ChecklistItem.objects.count(), before)
        self.assertEqual(
            ChecklistVersion.objects.filter(status=VersionStatus.PUBLISHED).count(), 12
        )

    def test_loading_twice_adds_nothing(self) -> None:
        before = ChecklistItem.objects.count()
        seed_data.load(apps)
        self.assertEqual(ChecklistItem.objects.count(), before)
