"""A hazard's accident type is a GB 6441 code of either edition, checked and printed by name."""

import datetime

from anjian.hazards import workflow
from anjian.hazards.accident_types import EDITION_2025_FROM, edition_for
from anjian.hazards.exporting.ledger import accident_label
from anjian.hazards.tests.factories import HazardWorld, general


class AccidentTypeTests(HazardWorld):
    def test_a_2025_code_is_kept(self) -> None:
        hazard = workflow.register_hazard(self.ea, general(accident_type="WSA10009"), by=self.li)
        self.assertEqual(hazard.get_accident_type_display(), "火灾")

    def test_a_1986_category_is_kept_for_older_records(self) -> None:
        hazard = workflow.register_hazard(self.ea, general(accident_type="1986-19"), by=self.li)
        self.assertEqual(hazard.get_accident_type_display(), "中毒和窒息")

    def test_an_unknown_code_is_an_error_naming_the_field(self) -> None:
        with self.assertRaises(workflow.TransitionError) as caught:
            workflow.register_hazard(self.ea, general(accident_type="WSA19999"), by=self.li)
        self.assertEqual(caught.exception.field, "accident_type")

    def test_the_edition_follows_the_date_it_took_effect(self) -> None:
        self.assertEqual(len(edition_for(EDITION_2025_FROM)), 27)
        self.assertEqual(len(edition_for(EDITION_2025_FROM - datetime.timedelta(days=1))), 20)

    def test_exports_print_the_code_with_its_name(self) -> None:
        self.assertEqual(accident_label("WSA10018"), "WSA10018 粉尘爆炸")
        self.assertEqual(accident_label(""), "")
