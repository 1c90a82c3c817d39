"""One life cycle: the history of a hazard brought to a state (an imported ledger's rows) is
walked through the workflow's own table, at the moments given, by the actor given."""

from __future__ import annotations

import datetime
import itertools
from types import SimpleNamespace
from typing import Any

from django.test import SimpleTestCase
from django.utils import timezone

from anjian.hazards.models import Level, RectifyType, Status
from anjian.hazards.workflow import ACTIONS, Moment, TransitionError, history


def at(day: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2025, 3, day, 12))


def row(**fields: Any) -> dict[str, Any]:
    base = {
        "level": Level.GENERAL,
        "rectify_type": RectifyType.DEADLINE,
        "deadline": datetime.date(2025, 3, 20),
        "found_on": datetime.date(2025, 3, 4),
        "status": "",
        "version": 0,
        "rectified_on": datetime.date(2025, 3, 18),
        "rejections": 0,
        "extensions": 0,
        "basis": "第十二条",
        "liable_person": "王工",
        "funds": None,
        "note": "",
        **{name: "方案" for name in ("plan_objectives", "plan_methods", "plan_funding")},
        **{name: "方案" for name in ("plan_organisation", "plan_time_limit")},
        "plan_safety_measures": "方案",
    }
    return {**base, **fields}


MOMENTS = {
    "register": Moment(7, at(4)),
    "submit": Moment(7, at(18)),
    "self_assess": Moment(7, at(18)),
    "accept": Moment(7, at(25)),
    "write_off": Moment(7, at(25)),
}


def walk(h: dict[str, Any], target: str) -> list[tuple[str, str, str, int]]:
    return [
        (s.action, s.from_status, s.to_status, s.at.day) for s in history(h, target, MOMENTS, h)
    ]


class HistoryTests(SimpleTestCase):
    def test_a_closed_general_hazard_is_found_handed_in_and_accepted_on_its_days(self) -> None:
        self.assertEqual(
            walk(row(), Status.CLOSED),
            [
                ("register", "", Status.RECTIFYING, 4),
                ("submit", Status.RECTIFYING, Status.SUBMITTED, 18),
                ("accept", Status.SUBMITTED, Status.CLOSED, 25),
            ],
        )

    def test_a_fix_on_the_spot_starts_where_the_registration_leaves_it(self) -> None:
        h = row(rectify_type=RectifyType.IMMEDIATE, deadline=None)
        self.assertEqual(walk(h, Status.CLOSED), [("register", "", Status.CLOSED, 4)])
        self.assertEqual(walk(h, Status.SUBMITTED), [("register", "", Status.SUBMITTED, 4)])

    def test_a_written_off_major_hazard_walks_the_whole_major_chain(self) -> None:
        steps = walk(row(level=Level.MAJOR), Status.WRITTEN_OFF)
        self.assertEqual(
            [s[0] for s in steps],
            ["register", "confirm", "file_plan", "start_remediation", "self_assess",
             "apply_review", "write_off"],
        )  # fmt: skip
        for (_a, _f, to, _d), (_a2, frm, _t, _d2) in itertools.pairwise(steps):
            self.assertEqual(frm, to)
        for action, _f, to, _d in steps[1:]:
            self.assertEqual(ACTIONS[action].target, to)
        # Steps without a day of their own take the one before.
        self.assertEqual([s[3] for s in steps], [4, 4, 4, 4, 18, 18, 25])

    def test_the_row_given_is_not_changed(self) -> None:
        h = row()
        history(h, Status.CLOSED, MOMENTS, h)
        self.assertEqual((h["status"], h["version"]), ("", 0))
        history(SimpleNamespace(**row()), Status.CLOSED, MOMENTS, row())

    def test_a_state_the_table_cannot_reach_from_the_start_is_refused(self) -> None:
        # A hazard with a deadline starts rectifying; nothing leads back to registered.
        with self.assertRaises(TransitionError) as caught:
            history(row(), Status.REGISTERED, MOMENTS, row())
        self.assertEqual(caught.exception.field, "status")
