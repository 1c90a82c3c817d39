"""The demo year of field work and hazards, on the test personas' small zone.

The loader writes rows without going through hazards.workflow (for speed); these tests hold it
to what the workflow would have written, and replay one hazard of each path through the real
workflow to compare.
"""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict
from io import StringIO
from typing import Any

from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F
from django.test import TestCase
from django.utils import timezone

from anjian.accounts.models import Engagement, Role, User
from anjian.demo import activity
from anjian.draws import services as draws
from anjian.draws.models import Draw, DrawItem
from anjian.evidence.models import Photo
from anjian.fieldwork.models import Answer, Outcome, Visit, VisitKind
from anjian.hazards import workflow
from anjian.hazards.accident_types import EDITION_2025_FROM, GB6441_1986, GB6441_2025
from anjian.hazards.models import (
    OPEN,
    Finder,
    Hazard,
    HazardEvent,
    HazardType,
    Level,
    ManagementClass,
    RectifyType,
    Source,
    Status,
)
from anjian.regions.models import GridAssignment, Region
from anjian.test import TemporaryMedia, World, make_user

# A fifth of the article's zone-year on three enterprises: a few hundred visits a year, enough
# for every path (rejections, extensions, majors, voids) to turn up.
VOLUME = 0.05
SEED = 7


def seed(zone: Region, seed: int = SEED, *, now: datetime.datetime) -> activity.Tally:
    """Last year and this year to date in the personas' zone."""
    year = timezone.localdate(now).year - 1
    return activity.seed_activity(zone, seed=seed, year=year, volume=VOLUME, now=now)


class MediaWorld(TemporaryMedia, World):
    """The personas, plus a second officer in O1 (a double-random draw needs two), with the
    placeholder photos written to a temporary media directory."""

    li2: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.li2 = make_user("li2", Role.OFFICER, region=cls.o1, certificate_no="执03")


class ActivityTests(MediaWorld):
    now: datetime.datetime
    tally: activity.Tally

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.now = timezone.now()
        cls.tally = seed(cls.zone, now=cls.now)

    def events(self) -> dict[int, list[dict[str, Any]]]:
        timeline: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for e in HazardEvent.objects.order_by("at", "id").values():
            timeline[e["hazard_id"]].append(dict(e))
        return timeline

    def test_every_kind_of_visit_is_recorded_and_only_checks_find_hazards(self) -> None:
        kinds = set(Visit.objects.values_list("kind", flat=True))
        self.assertEqual(kinds, set(VisitKind.values))
        self.assertFalse(Hazard.objects.exclude(visit__outcome=Outcome.INSPECTED).exists())
        self.assertTrue(Visit.objects.exclude(outcome=Outcome.INSPECTED).exists())
        patrols = Visit.objects.filter(kind=VisitKind.PATROL).count()
        self.assertGreater(patrols, Visit.objects.count() * 0.4)
        for v in Visit.objects.select_related("enterprise"):
            self.assertEqual(
                (v.grid_id, v.office_id, v.zone_id),
                (v.enterprise.grid_id, v.enterprise.office_id, v.enterprise.zone_id),
            )
            assert v.ended_at is not None
            self.assertLessEqual(v.started_at, v.ended_at)
            self.assertEqual(timezone.localtime(v.started_at).date(), v.visited_on)

    def test_every_hazards_status_is_where_its_events_lead(self) -> None:
        timeline = self.events()
        columns = ("id", "status", "version", "created_at", "found_on", "rejections", "extensions")
        for h in Hazard.objects.values(*columns):
            with self.subTest(hazard=h["id"]):
                steps = timeline[h["id"]]
                self.assertEqual((steps[0]["action"], steps[0]["from_status"]), ("register", ""))
                for before, after in itertools.pairwise(steps):
                    self.assertEqual(after["from_status"], before["to_status"])
                    self.assertIn(after["action"], workflow.ACTIONS)
                self.assertEqual(steps[-1]["to_status"], h["status"])
                self.assertEqual(h["version"], len(steps))
                self.assertLessEqual(steps[-1]["at"], self.now)
                self.assertEqual(h["created_at"], steps[0]["at"])
                self.assertEqual(h["found_on"], timezone.localdate(steps[0]["at"]))
                rejected = sum(s["action"] in ("reject", "fail_review") for s in steps)
                self.assertEqual(h["rejections"], rejected)
                granted = sum(s["action"] == "approve_extension" for s in steps)
                self.assertEqual(h["extensions"], granted)

    def test_a_closed_hazard_records_who_accepted_it_and_when(self) -> None:
        closed = Hazard.objects.closed()
        self.assertTrue(closed.exists())
        for h in closed.select_related("acceptor"):
            with self.subTest(hazard=h.pk):
                assert h.acceptor is not None
                self.assertIsNotNone(h.accepted_at)
                self.assertEqual(h.closed_at, h.accepted_at)
                self.assertIsNotNone(h.rectified_on)
                if h.finder == Finder.ENTERPRISE and h.level == "0":
                    self.assertEqual(h.acceptor.enterprise_id, h.enterprise_id)
                else:
                    # Patrols', experts' and leaders' findings are closed by an officer.
                    self.assertIn(h.acceptor.role, (Role.OFFICER, Role.ZONE_ADMIN))
        self.assertFalse(Hazard.objects.open().filter(closed_at__isnull=False).exists())

    def test_overdue_is_derived_from_the_deadline_not_stored(self) -> None:
        self.assertNotIn("overdue", Status.values)
        today = timezone.localdate(self.now)
        overdue = set(Hazard.objects.overdue(today).values_list("id", flat=True))
        expected = {
            h.pk
            for h in Hazard.objects.all()
            if h.status in OPEN and h.deadline is not None and h.deadline < today
        }
        self.assertEqual(overdue, expected)
        self.assertEqual(self.tally.overdue, len(overdue))
        # Some were rectified after their deadline, and some are still open now.
        self.assertTrue(Hazard.objects.filter(rectified_on__gt=F("deadline")).exists())
        self.assertTrue(Hazard.objects.open().exists())

    def test_every_code_is_one_of_the_national_lists(self) -> None:
        codes = {
            "source": Source.values,
            "rectify_type": RectifyType.values,
            "hazard_type": HazardType.values,
            "management_class": ["", *ManagementClass.values],
            "accident_type": ["", *(code for code, _name in GB6441_2025 + GB6441_1986)],
            "level": Level.values,
            "finder": Finder.values,
        }
        for name, allowed in codes.items():
            used = set(Hazard.objects.values_list(name, flat=True).distinct())
            self.assertLessEqual(used, set(allowed), name)
        # The accident type is coded in the edition in force on the day it was found.
        self.assertFalse(
            Hazard.objects.filter(found_on__lt=EDITION_2025_FROM, accident_type__startswith="WSA")
        )
        self.assertFalse(
            Hazard.objects.filter(found_on__gte=EDITION_2025_FROM, accident_type__startswith="1986")
        )

    def test_patrol_hazards_are_found_by_grid_workers_in_their_own_grid(self) -> None:
        patrol = Hazard.objects.filter(finder=Finder.GRID)
        self.assertTrue(patrol.exists())
        for h in patrol.prefetch_related("origin"):
            with self.subTest(hazard=h.pk):
                visit = h.origin
                assert isinstance(visit, Visit) and h.found_by_id is not None
                self.assertEqual(visit.kind, VisitKind.PATROL)
                self.assertEqual(h.found_by_id, visit.recorded_by_id)
                on_duty = GridAssignment.objects.active(h.found_on).filter(
                    grid_id=h.grid_id, user_id=h.found_by_id
                )
                self.assertTrue(on_duty.exists())

    def test_each_non_compliant_answer_is_exactly_one_hazard_from_its_item(self) -> None:
        if not Visit.objects.filter(checklist_version__isnull=False).exists():
            self.skipTest("no published checklist to answer")
        failed = set(
            Answer.objects.filter(result="non_compliant").values_list("visit_id", "item_id")
        )
        from_items = set(
            Hazard.objects.filter(item__isnull=False).values_list("visit__id", "item_id")
        )
        self.assertEqual(failed, from_items)
        self.assertFalse(Answer.objects.exclude(visit__checklist_version__isnull=False).exists())
        for answer in Answer.objects.select_related("item", "visit")[:200]:
            self.assertEqual(answer.item.version_id, answer.visit.checklist_version_id)

    def test_every_rectification_and_write_off_carries_a_photo_that_exists(self) -> None:
        for action in ("submit", "self_assess", "write_off"):
            for e in HazardEvent.objects.filter(action=action).prefetch_related("photos"):
                self.assertEqual(len(e.photos.all()), 1, action)
        immediate = Hazard.objects.filter(rectify_type=RectifyType.IMMEDIATE)
        self.assertFalse(immediate.filter(after_photos__isnull=True).exists())
        for name in set(Photo.objects.values_list("file", flat=True)):
            self.assertTrue(default_storage.exists(name), name)

    def test_major_hazards_walk_their_lifecycle(self) -> None:
        actions = set(
            HazardEvent.objects.filter(hazard__level="1").values_list("action", flat=True)
        )
        self.assertTrue({"register", "confirm", "file_plan", "start_remediation"} <= actions)
        for h in Hazard.objects.filter(status=Status.WRITTEN_OFF):
            self.assertTrue(all((h.plan_objectives, h.plan_safety_measures, h.liable_person)))
            self.assertEqual(h.events.get(action="write_off").data.keys(), {"reviewers"})

    def test_experts_check_only_the_enterprises_their_agency_is_engaged_for(self) -> None:
        checks = Visit.objects.filter(kind=VisitKind.EXPERT_CHECK)
        self.assertTrue(checks.exists())
        for v in checks:
            engaged = Engagement.objects.active(v.visited_on).filter(
                experts=v.recorded_by, enterprises=v.enterprise
            )
            self.assertTrue(engaged.exists())

    def test_double_random_visits_carry_out_published_reproducible_draws(self) -> None:
        self.assertTrue(Draw.objects.exists())
        for draw in Draw.objects.all():
            self.assertTrue(draw.is_published)
            self.assertEqual(draws.stored_result(draw), draws.replay(draw))
        for v in Visit.objects.filter(kind=VisitKind.DOUBLE_RANDOM).prefetch_related("purpose"):
            item = v.purpose
            assert isinstance(item, DrawItem)
            self.assertEqual(item.enterprise_id, v.enterprise_id)
            self.assertIn(v.recorded_by, item.officers.all())

    def test_replaying_each_path_through_the_workflow_gives_the_same_rows(self) -> None:
        """One hazard of each (finder, steps) path is registered and walked again through
        hazards.workflow by the same people; the statuses, counters and events must match."""
        paths: dict[tuple[str, tuple[str, ...]], int] = {}
        for hazard_id, steps in self.events().items():
            finder = Hazard.objects.values_list("finder", flat=True).get(pk=hazard_id)
            paths.setdefault((finder, tuple(s["action"] for s in steps)), hazard_id)
        self.assertGreater(len(paths), 10)
        photos = list(Photo.objects.order_by("id")[:2])
        for (_finder, _actions), hazard_id in sorted(paths.items()):
            seeded = Hazard.objects.get(pk=hazard_id)
            with self.subTest(path=_actions, finder=_finder):
                replayed = Replay(seeded, photos).run()
                self.assert_same(seeded, replayed)

    def assert_same(self, seeded: Hazard, replayed: Hazard) -> None:
        fields = ["status", "version", "rejections", "extensions", "level", "rectify_type"]
        fields += ["acceptor_id", "production_suspended", "finder", "found_by_id"]
        self.assertEqual(
            {f: getattr(replayed, f) for f in fields}, {f: getattr(seeded, f) for f in fields}
        )
        for f in ("accepted_at", "closed_at", "rectified_on", "deadline"):
            self.assertEqual(getattr(replayed, f) is None, getattr(seeded, f) is None, f)
        self.assertEqual(
            replayed.extension_requested_until is None, seeded.extension_requested_until is None
        )

        def shape(h: Hazard) -> list[tuple[Any, ...]]:
            return [
                (e.action, e.from_status, e.to_status, e.actor_id, sorted(e.data), e.photos.count())
                for e in h.events.order_by("at", "id")
            ]

        self.assertEqual(shape(replayed), shape(seeded))
        first = seeded.events.order_by("at", "id").first()
        assert first is not None
        self.assertEqual(replayed.events.order_by("at", "id")[0].data, first.data)


class Replay:
    """Walk a seeded hazard's steps again through the real workflow, today, with the dates
    moved into the future (the workflow refuses deadlines in the past)."""

    def __init__(self, seeded: Hazard, photos: list[Photo]) -> None:
        self.seeded, self.photo, self.before = seeded, photos[0], photos[1]
        self.steps = list(seeded.events.order_by("at", "id"))
        self.today = timezone.localdate()

    def run(self) -> Hazard:
        s, first = self.seeded, self.steps[0]
        users = {u.pk: u for u in User.objects.filter(pk__in={e.actor_id for e in self.steps})}
        # Every field the finder fills in goes through register_hazard's own checks (codes in
        # the national lists, lengths).
        fields = ["name", "description", "reason", "location", "source", "hazard_type"]
        fields += ["management_class", "accident_type", "basis", "liable_person", "measures"]
        data = {f: getattr(s, f) for f in (*fields, "funds")}
        data |= {"level": first.data["level"], "found_on": self.today}
        data["rectify_type"] = s.rectify_type if first.to_status != Status.REPORTED else "1"
        if first.to_status == Status.RECTIFYING:
            data["deadline"] = self.today + datetime.timedelta(days=10)
        after = [self.photo] if first.to_status in (Status.CLOSED, Status.SUBMITTED) else []
        before = [self.before] if s.before_photos.exists() else []
        hazard = workflow.register_hazard(
            s.enterprise, data, by=users[first.actor_id], before_photos=before, after_photos=after
        )
        for e in self.steps[1:]:
            hazard.refresh_from_db()
            workflow.transition(
                hazard,
                e.action,
                self.data(e, hazard),
                by=users[e.actor_id],
                version=hazard.version,
                photos=[self.photo] if e.photos.exists() else [],
            )
        hazard.refresh_from_db()
        return hazard

    def data(self, e: HazardEvent, hazard: Hazard) -> dict[str, Any]:
        d: dict[str, Any] = {"note": e.note or "replay"}
        later = self.today + datetime.timedelta(days=20)
        if e.action == "request_extension":
            d["deadline"] = (hazard.deadline or later) + datetime.timedelta(days=7)
        elif e.action in ("assign", "downgrade"):
            d["deadline"] = later
        elif e.action == "file_plan":
            d |= {k: v for k, v in e.data.items() if k != "deadline"}
            d["deadline"] = later
        elif e.action in ("confirm", "write_off"):
            d |= e.data
        return d


class DeterminismTests(MediaWorld):
    def seeded(self, seed_value: int, now: datetime.datetime) -> list[tuple[Any, ...]]:
        """Seed, read the activity back by natural keys, and roll it all away again."""
        with transaction.atomic():
            seed(self.zone, seed_value, now=now)
            rows: list[tuple[Any, ...]] = list(
                Hazard.objects.order_by("found_on", "created_at", "name").values_list(
                    "enterprise__name",
                    "found_on",
                    "name",
                    "status",
                    "found_by__username",
                    "deadline",
                    "version",
                )
            )
            rows += list(
                Visit.objects.order_by("started_at").values_list(
                    "kind", "enterprise__name", "started_at", "outcome", "recorded_by__username"
                )
            )
            transaction.set_rollback(True)
        return rows

    def test_the_same_seed_gives_the_same_activity_and_another_seed_another(self) -> None:
        now = timezone.now()
        first = self.seeded(3, now)
        self.assertTrue(first)
        self.assertEqual(self.seeded(3, now), first)
        self.assertNotEqual(self.seeded(4, now), first)


class SeedCommandTests(TestCase):
    def test_a_year_that_has_not_passed_is_refused_before_anything_is_written(self) -> None:
        this_year = timezone.localdate().year
        for year in (this_year, this_year + 1, 1999):
            with self.subTest(year=year), self.assertRaises(CommandError):
                call_command("seed_demo", "--year", str(year), stdout=StringIO())
        self.assertFalse(Region.objects.exists())
