"""Enterprise status: every allowed and every forbidden move of TRANSITIONS, and its records."""

from __future__ import annotations

import datetime

from django.http import Http404
from django.utils import translation

from anjian.audit.models import Entry
from anjian.enterprises.models import Enterprise, Status, StatusChange
from anjian.enterprises.workflow import TRANSITIONS, TransitionError, change_status
from anjian.lib.errors import Conflict, NotAllowed
from anjian.test import World

ON = datetime.date(2026, 3, 2)


class TransitionTableTests(World):
    def put_in(self, status: str) -> Enterprise:
        # Test set-up only: the product changes status through the workflow alone.
        Enterprise.objects.filter(pk=self.ea.pk).update(status=status)
        return Enterprise.objects.get(pk=self.ea.pk)

    def test_every_allowed_transition_is_made_and_recorded(self) -> None:
        for from_status, targets in TRANSITIONS.items():
            for to in sorted(targets):
                with self.subTest(from_status=from_status, to=to):
                    enterprise = self.put_in(from_status)
                    version = enterprise.version
                    change = change_status(enterprise, to, on=ON, reason=" 检查发现 ", by=self.li)
                    stored = Enterprise.objects.get(pk=self.ea.pk)
                    self.assertEqual(stored.status, to)
                    self.assertEqual(stored.status_since, ON)
                    self.assertEqual(stored.status_reason, "检查发现")
                    self.assertEqual(stored.version, version + 1)
                    self.assertEqual(
                        (change.from_status, change.to_status, change.by, change.effective_on),
                        (from_status, to, self.li, ON),
                    )
                    self.assertEqual(change.reason, "检查发现")
                    self.assertEqual((enterprise.status, enterprise.version), (to, version + 1))
                    entry = Entry.objects.filter(action="enterprise.status").latest("id")
                    self.assertEqual(entry.changes["status"], [from_status, to])
                    self.assertEqual(entry.object_id, str(self.ea.pk))

    def test_every_forbidden_transition_is_refused_and_writes_nothing(self) -> None:
        for from_status in Status.values:
            for to in sorted(set(Status.values) - TRANSITIONS[from_status]):
                with self.subTest(from_status=from_status, to=to):
                    enterprise = self.put_in(from_status)
                    changes, entries = StatusChange.objects.count(), Entry.objects.count()
                    with (
                        translation.override("en"),
                        self.assertRaisesMessage(TransitionError, "cannot become"),
                    ):
                        change_status(enterprise, to, on=ON, reason="x", by=self.chen)
                    stored = Enterprise.objects.get(pk=self.ea.pk)
                    self.assertEqual((stored.status, stored.version), (from_status, 1))
                    self.assertEqual(StatusChange.objects.count(), changes)
                    self.assertEqual(Entry.objects.count(), entries)

    def test_the_table_covers_every_status(self) -> None:
        self.assertEqual(set(TRANSITIONS), set(Status.values))
        for targets in TRANSITIONS.values():
            self.assertLessEqual(targets, set(Status.values))

    def test_closed_is_final(self) -> None:
        self.assertEqual(TRANSITIONS[Status.CLOSED], frozenset())
        enterprise = self.put_in(Status.CLOSED)
        with self.assertRaises(TransitionError):
            change_status(enterprise, Status.OPERATING, on=ON, reason="重新开业", by=self.chen)

    def test_no_status_moves_to_itself(self) -> None:
        for status, targets in TRANSITIONS.items():
            self.assertNotIn(status, targets)


class ChangeStatusRulesTests(World):
    def assert_nothing_written(self) -> None:
        stored = Enterprise.objects.get(pk=self.ea.pk)
        self.assertEqual((stored.status, stored.version), (Status.OPERATING, 1))
        self.assertFalse(StatusChange.objects.exists())
        self.assertFalse(Entry.objects.filter(action="enterprise.status").exists())

    def test_reason_is_required(self) -> None:
        for reason in ("", "   "):
            with (
                self.subTest(reason=reason),
                translation.override("en"),
                self.assertRaises(TransitionError) as caught,
            ):
                change_status(self.ea, Status.SHUT, on=ON, reason=reason, by=self.li)
            self.assertEqual(caught.exception.field, "reason")
            self.assertIn("reason", str(caught.exception))
        self.assert_nothing_written()

    def test_unknown_status_lists_the_allowed_ones(self) -> None:
        with translation.override("en"), self.assertRaisesMessage(TransitionError, "operating"):
            change_status(self.ea, "bankrupt", on=ON, reason="破产", by=self.li)
        self.assert_nothing_written()

    def test_grid_worker_may_not_change_status(self) -> None:
        with self.assertRaises(NotAllowed):
            change_status(self.ea, Status.SHUT, on=ON, reason="x", by=self.zhang)
        self.assert_nothing_written()

    def test_officer_of_another_office_gets_not_found(self) -> None:
        with self.assertRaises(Http404):
            change_status(self.ea, Status.SHUT, on=ON, reason="x", by=self.qian)
        self.assert_nothing_written()

    def test_stale_version_is_a_conflict(self) -> None:
        with self.assertRaises(Conflict):
            change_status(self.ea, Status.SHUT, on=ON, reason="x", by=self.li, version=7)
        self.assert_nothing_written()

    def test_current_version_is_accepted(self) -> None:
        change_status(self.ea, Status.SUSPENDED, on=ON, reason="停产整顿", by=self.li, version=1)
        self.assertEqual(Enterprise.objects.get(pk=self.ea.pk).status, Status.SUSPENDED)
