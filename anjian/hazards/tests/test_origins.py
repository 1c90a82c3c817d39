"""Where a hazard came from: a reference any capability makes (content type and id), named
and linked through the registry its owner fills (hazards.origins); the ledger imports none."""

from __future__ import annotations

import uuid

from django.utils import timezone

from anjian.fieldwork.models import Visit
from anjian.fieldwork.schemas import HazardFound, VisitIn
from anjian.fieldwork.services import record_visit
from anjian.hazards import origins
from anjian.hazards.models import Hazard
from anjian.hazards.tests.factories import HazardWorld, general
from anjian.hazards.workflow import register_hazard


class OriginTests(HazardWorld):
    def visit_with_a_hazard(self) -> Visit:
        visit, _created = record_visit(
            VisitIn(
                client_uuid=uuid.uuid4(),
                kind="inspection",
                enterprise=self.ea.pk,
                outcome="inspected",
                started_at=timezone.now(),
                hazards=[HazardFound(**general())],
            ),
            by=self.li,
        )
        return visit

    def test_a_hazard_found_on_a_visit_points_at_it_and_the_visit_lists_it(self) -> None:
        visit = self.visit_with_a_hazard()
        hazard = visit.hazards.get()
        self.assertEqual(hazard.origin, visit)
        self.assertEqual(list(Hazard.objects.filter(visit=visit)), [hazard])
        self.assertEqual(origins.origin_id(hazard, "visit"), visit.pk)
        self.assertIsNone(origins.origin_id(hazard, "campaign_task"))

    def test_the_api_and_the_page_name_the_visit(self) -> None:
        visit = self.visit_with_a_hazard()
        hazard = visit.hazards.get()
        self.client.force_login(self.li)
        body = self.client.get(f"/api/v1/hazards/{hazard.pk}").json()
        self.assertEqual(body["visit_id"], visit.pk)
        page = self.client.get(f"/hazards/{hazard.pk}/")
        self.assertContains(page, f'href="/field/visits/{visit.pk}/"')

    def test_a_hazard_recorded_on_its_own_has_no_origin(self) -> None:
        hazard = register_hazard(self.ea, general(), by=self.li)
        self.assertIsNone(hazard.origin)
        self.assertIsNone(origins.link(hazard))
        self.client.force_login(self.li)
        self.assertIsNone(self.client.get(f"/api/v1/hazards/{hazard.pk}").json()["visit_id"])
