"""Who owns a hazard after its enterprise moves to another grid: an open hazard follows the
enterprise (its scope columns move, written as a "move" event, in the move's transaction);
a closed hazard and a recorded visit keep the grid of record."""

from __future__ import annotations

import uuid
from typing import Any

from django.utils import timezone

from anjian.accounts.models import User
from anjian.enterprises.services import snapshot, update_enterprise
from anjian.fieldwork.models import Visit
from anjian.fieldwork.schemas import VisitIn
from anjian.fieldwork.services import record_visit
from anjian.hazards.models import Hazard, HazardEvent, Status
from anjian.hazards.tests.factories import HazardWorld, hazard_in, make_photo
from anjian.hazards.workflow import step_label
from anjian.test import make_enterprise


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


class MoveTests(HazardWorld):
    def setUp(self) -> None:
        super().setUp()
        photo = make_photo(self.li)
        self.open = hazard_in(Status.RECTIFYING, self.ea, self.li, photo)
        self.closed = hazard_in(Status.CLOSED, self.ea, self.li, photo)

    def move(self, enterprise: Any, grid: Any) -> None:
        data = {**snapshot(enterprise), "grid": grid}
        data.pop("tags"), data.pop("safety_managers")
        update_enterprise(enterprise, data, by=self.chen, version=None)

    def test_an_open_hazard_follows_its_enterprise_to_another_office(self) -> None:
        self.move(self.ea, self.grid_b)
        moved = Hazard.objects.get(pk=self.open.pk)
        self.assertEqual(
            (moved.grid_id, moved.village_id, moved.office_id, moved.zone_id),
            (self.grid_b.pk, self.v2.pk, self.o2.pk, self.zone.pk),
        )
        event = HazardEvent.objects.get(hazard=moved, action="move")
        self.assertEqual((event.from_status, event.to_status), (Status.RECTIFYING,) * 2)
        self.assertEqual(event.actor, self.chen)
        self.assertIn(self.grid_b.name, event.data["grid"])
        self.assertEqual(str(step_label("move")), "Moved with its enterprise")

    def test_the_new_grid_worker_and_office_see_it_and_the_old_ones_do_not(self) -> None:
        self.move(self.ea, self.grid_b)
        for user in (self.wang, self.qian):
            with self.subTest(user=user.username):
                self.assertIn(self.open, Hazard.objects.visible_to(fresh(user)))
        for user in (self.zhang, self.li):
            with self.subTest(user=user.username):
                self.assertNotIn(self.open, Hazard.objects.visible_to(fresh(user)))

    def test_a_closed_hazard_keeps_the_grid_of_record(self) -> None:
        self.move(self.ea, self.grid_b)
        kept = Hazard.objects.get(pk=self.closed.pk)
        self.assertEqual((kept.grid_id, kept.office_id), (self.grid_a.pk, self.o1.pk))
        self.assertFalse(HazardEvent.objects.filter(hazard=kept, action="move").exists())
        self.assertIn(self.closed, Hazard.objects.visible_to(fresh(self.zhang)))
        self.assertNotIn(self.closed, Hazard.objects.visible_to(fresh(self.wang)))

    def test_a_recorded_visit_keeps_the_grid_of_record(self) -> None:
        visit = Visit.objects.get(pk=self.visit_at(self.ea).pk)
        self.move(self.ea, self.grid_b)
        self.assertIn(visit, Visit.objects.visible_to(fresh(self.zhang)))
        self.assertNotIn(visit, Visit.objects.visible_to(fresh(self.wang)))

    def test_an_edit_that_keeps_the_grid_moves_nothing(self) -> None:
        data = {**snapshot(self.ea), "address": "新地址"}
        data.pop("tags"), data.pop("safety_managers")
        update_enterprise(self.ea, data, by=self.chen, version=None)
        self.assertFalse(HazardEvent.objects.filter(action="move").exists())
        self.assertEqual(Hazard.objects.get(pk=self.open.pk).grid_id, self.grid_a.pk)

    def test_only_the_moved_enterprise_s_hazards_move(self) -> None:
        other = make_enterprise(self.grid_a, "同网格另一家企业")
        theirs = hazard_in(Status.RECTIFYING, other, self.li, make_photo(self.li))
        self.move(self.ea, self.grid_a2)
        self.assertEqual(Hazard.objects.get(pk=theirs.pk).grid_id, self.grid_a.pk)
        self.assertEqual(Hazard.objects.get(pk=self.open.pk).grid_id, self.grid_a2.pk)

    def visit_at(self, enterprise: Any) -> Visit:
        visit, _created = record_visit(
            VisitIn(
                client_uuid=uuid.uuid4(),
                kind="patrol",
                enterprise=enterprise.pk,
                outcome="inspected",
                started_at=timezone.now(),
            ),
            by=self.zhang,
        )
        return visit
