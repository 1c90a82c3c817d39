"""Document numbers run per kind, issuing body and year; service is recorded once, in range."""

from __future__ import annotations

import datetime

from anjian.documents.models import Counter
from anjian.documents.numbering import document_number, next_seq
from anjian.enforcement.notices import issue_notice
from anjian.hazards.tests.factories import HazardWorld, general
from anjian.hazards.workflow import register_hazard
from anjian.test import make_enterprise, make_neighbour_zone, make_user


class NumberingTests(HazardWorld):
    def test_each_kind_body_and_year_counts_on_its_own(self) -> None:
        zone2, _office, _grid = make_neighbour_zone()
        taken = [
            next_seq("order", self.zone.pk, 2026),
            next_seq("order", self.zone.pk, 2026),
            next_seq("notice", self.zone.pk, 2026),
            next_seq("order", zone2.pk, 2026),
            next_seq("order", self.zone.pk, 2025),
            next_seq("order", self.zone.pk, 2026),
        ]
        self.assertEqual(taken, [1, 2, 1, 1, 1, 3])
        self.assertEqual(Counter.objects.count(), 4)

    def test_the_number_reads_as_printed(self) -> None:
        self.assertEqual(document_number("安监整改", 2026, 12), "安监整改〔2026〕第12号")

    def test_two_zones_issue_their_own_first_notice_of_the_year(self) -> None:
        zone2, _office, grid = make_neighbour_zone()
        officer = make_user("zone2-officer", "officer", region=zone2, certificate_no="执99")
        firm = make_enterprise(grid, "邻区企业")
        here = issue_notice([register_hazard(self.ea, general(), by=self.li)], by=self.li)
        there = issue_notice([register_hazard(firm, general(), by=officer)], by=officer)
        self.assertEqual((here.seq, there.seq), (1, 1))
        self.assertEqual((here.body_id, there.body_id), (self.zone.pk, zone2.pk))

    def test_a_notice_records_the_zone_that_issued_it(self) -> None:
        notice = issue_notice(
            [register_hazard(self.eb, general(), by=self.chen)], by=self.chen, type="notice"
        )
        self.assertEqual(notice.body_id, self.zone.pk)
        self.assertEqual(notice.year, datetime.date.today().year)
