"""Races with real connections (issue 3 item 13): two officers accepting the same hazard at
once, and the same field submit arriving twice at once.

Each thread has its own database connection, so these run as TransactionTestCase: the writes
must really commit for the other connection to see them. In-memory SQLite is skipped: its
threads share one cache, where a lock fails at once instead of waiting on the busy timeout.
A file database (SQLITE_TEST_FILE=1) and PostgreSQL run them. Each race is played twice:
started together, and with the second writer arriving while the first still holds its
transaction open, so the lock (or the unique index) is what decides, not luck. The tests are
few and do several things each because every TransactionTestCase test empties the database
afterwards, which takes seconds on PostgreSQL.
"""

from __future__ import annotations

import datetime
import json
import unittest
import uuid
from typing import Any

from django.test import Client, TransactionTestCase
from django.utils import timezone

from anjian.accounts.models import Role, User
from anjian.audit.models import Entry
from anjian.fieldwork.models import Outcome, Visit, VisitKind
from anjian.fieldwork.schemas import HazardFound, VisitIn
from anjian.fieldwork.services import record_visit
from anjian.hazards.models import Hazard, HazardEvent, Status
from anjian.hazards.tests.factories import general, make_photo, step
from anjian.hazards.workflow import TransitionError, register_hazard, transition
from anjian.lib.errors import Conflict
from anjian.races import (
    HOLD,
    first_holds_open,
    in_memory_sqlite,
    race_office,
    run_together,
)
from anjian.test import TemporaryMedia, assign, make_user


class RaceTests(TemporaryMedia, TransactionTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        # Asked here, not at import: the test database is only chosen when the run starts.
        if in_memory_sqlite():
            raise unittest.SkipTest(
                "in-memory SQLite shares one cache between threads, where a lock fails at "
                "once instead of waiting; run with SQLITE_TEST_FILE=1 or on PostgreSQL"
            )
        super().setUpClass()

    def setUp(self) -> None:
        zone, grid, self.ea, self.li, self.ma = race_office()
        self.zhang = make_user("zhang", Role.GRID_WORKER, zone=zone)
        assign(self.zhang, grid)
        self.photo = make_photo(self.zhang)

    def as_loaded(self, user: User) -> User:
        """The user as another request would load it (no scope cached across threads)."""
        return User.objects.get(pk=user.pk)

    # --- two officers accept the same hazard ------------------------------------------------

    def submitted(self) -> Hazard:
        """A patrol finding, confirmed on site by the grid worker, awaiting the officer."""
        hazard = register_hazard(self.ea, general(), by=self.zhang)
        step(hazard, "submit", self.zhang, self.photo)
        self.assertEqual(hazard.version, 2)
        return hazard

    def accept(self, hazard: Hazard, officer: User, version: int | None = 2) -> str:
        h = Hazard.objects.get(pk=hazard.pk)
        transition(
            h, "accept", {"note": officer.username}, by=self.as_loaded(officer), version=version
        )
        return officer.username

    def assert_accepted_once(self, hazard: Hazard, results: list[Any], loser: type) -> str:
        winners = [r for r in results if isinstance(r, str)]
        losers = [r for r in results if not isinstance(r, str)]
        self.assertEqual((len(winners), len(losers)), (1, 1), results)
        self.assertIsInstance(losers[0], loser)
        h = Hazard.objects.select_related("acceptor").get(pk=hazard.pk)
        assert h.acceptor is not None
        self.assertEqual((h.status, h.version, h.acceptor.username), (Status.CLOSED, 3, winners[0]))
        self.assertEqual(HazardEvent.objects.filter(hazard=h, action="accept").count(), 1)
        accepted = Entry.objects.filter(action="hazard.accept", object_id=str(h.pk))
        self.assertEqual(accepted.count(), 1)
        return winners[0]

    def test_two_officers_accepting_the_same_hazard_at_once_one_wins_one_gets_a_conflict(
        self,
    ) -> None:
        h = self.submitted()
        results = run_together(lambda: self.accept(h, self.li), lambda: self.accept(h, self.ma))
        self.assert_accepted_once(h, results, Conflict)

        h = self.submitted()
        results, took = first_holds_open(
            lambda: self.accept(h, self.li), lambda: self.accept(h, self.ma)
        )
        self.assertEqual(self.assert_accepted_once(h, results, Conflict), "li")
        # The second could not read past the first's row lock: it waited for the commit.
        self.assertGreater(took, HOLD * 0.6)

        # A client that sends no version still cannot close it twice: the loser finds it closed.
        h = self.submitted()
        results, _took = first_holds_open(
            lambda: self.accept(h, self.li, None), lambda: self.accept(h, self.ma, None)
        )
        self.assert_accepted_once(h, results, TransitionError)

    def test_two_officers_accepting_through_the_api_get_200_and_409(self) -> None:
        h = self.submitted()
        clients = []
        for officer in (self.li, self.ma):
            client = Client()
            client.force_login(officer)
            clients.append(client)
        url = f"/api/v1/hazards/{h.pk}/transitions"
        body = json.dumps({"action": "accept", "version": 2})

        def post(client: Client) -> tuple[int, str]:
            r = client.post(url, body, content_type="application/json")
            fields = [e["field"] for e in r.json().get("errors", [])]
            return r.status_code, ",".join(fields)

        results = run_together(lambda: post(clients[0]), lambda: post(clients[1]))
        self.assertEqual(sorted(results), [(200, ""), (409, "version")], results)
        self.assertEqual(HazardEvent.objects.filter(action="accept").count(), 1)

    # --- the same field submit twice at once ------------------------------------------------

    def visit_input(self, key: uuid.UUID) -> VisitIn:
        return VisitIn(
            client_uuid=key,
            kind=VisitKind.PATROL,
            enterprise=self.ea.pk,
            outcome=Outcome.INSPECTED,
            started_at=timezone.now() - datetime.timedelta(hours=1),
            hazards=[HazardFound(**general(), client_uuid=uuid.uuid5(key, "hazard"))],
        )

    def submit(self, key: uuid.UUID) -> tuple[int, bool]:
        visit, created = record_visit(self.visit_input(key), by=self.as_loaded(self.zhang))
        return visit.pk, created

    def assert_one_visit(self, key: uuid.UUID, results: list[Any]) -> None:
        self.assertTrue(all(isinstance(r, tuple) for r in results), results)
        (first_id, first_created), (second_id, second_created) = results
        self.assertEqual(first_id, second_id)
        self.assertEqual(sorted([first_created, second_created]), [False, True])
        self.assertEqual(Visit.objects.filter(client_uuid=key).count(), 1)
        self.assertEqual(Hazard.objects.filter(visit__id=first_id).count(), 1)
        self.assertEqual(
            Entry.objects.filter(action="visit.create", object_id=str(first_id)).count(), 1
        )

    def test_a_retried_visit_racing_the_first_submit_records_one_visit(self) -> None:
        key = uuid.uuid4()
        self.assert_one_visit(key, run_together(lambda: self.submit(key), lambda: self.submit(key)))

        # The retry arrives while the first submit is still writing: on PostgreSQL its insert
        # waits on the unique client_uuid and is then answered with the first visit.
        key = uuid.uuid4()
        results, _took = first_holds_open(lambda: self.submit(key), lambda: self.submit(key))
        self.assert_one_visit(key, results)
        self.assertTrue(results[0][1])

        key = uuid.uuid4()
        clients = [Client(), Client()]
        for client in clients:
            client.force_login(self.zhang)
        deadline = timezone.localdate() + datetime.timedelta(days=7)
        body = json.dumps(
            {
                "client_uuid": str(key),
                "kind": VisitKind.PATROL,
                "enterprise": self.ea.pk,
                "outcome": Outcome.INSPECTED,
                "started_at": timezone.now().isoformat(),
                "hazards": [
                    {
                        "name": "消防通道堵塞",
                        "deadline": str(deadline),
                        "client_uuid": str(uuid.uuid4()),
                    }
                ],
            }
        )

        def post(client: Client) -> tuple[int, int]:
            r = client.post("/api/v1/visits", body, content_type="application/json")
            return r.status_code, r.json().get("id", 0)

        results = run_together(lambda: post(clients[0]), lambda: post(clients[1]))
        self.assertEqual(sorted(code for code, _id in results), [200, 201], results)
        self.assertEqual(results[0][1], results[1][1])
        self.assertEqual(Visit.objects.filter(client_uuid=key).count(), 1)

    def test_a_retried_hazard_registration_racing_the_first_records_one_hazard(self) -> None:
        key = uuid.uuid4()

        def register() -> int:
            return register_hazard(
                self.ea, general(), by=self.as_loaded(self.zhang), client_uuid=key
            ).pk

        results, _took = first_holds_open(register, register)
        self.assertTrue(all(isinstance(r, int) for r in results), results)
        self.assertEqual(results[0], results[1])
        self.assertEqual(Hazard.objects.filter(client_uuid=key).count(), 1)
        self.assertEqual(HazardEvent.objects.filter(action="register").count(), 1)
