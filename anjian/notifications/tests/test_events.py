"""Who is told about what in a hazard's life: written on commit by the workflow's hook."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from anjian.accounts.models import Role, User
from anjian.hazards.models import Hazard, HazardEvent
from anjian.hazards.tests.factories import HazardWorld, days, general, major, make_photo, step
from anjian.hazards.workflow import register_hazard
from anjian.notifications.listeners import notify_event
from anjian.notifications.models import Kind, Notification
from anjian.test import make_user


def told(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


class EventWorld(HazardWorld):
    zhao2: User
    gao: User
    he: User
    retired: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # A second user of EA, an officer over the whole zone and one over village V1.
        cls.zhao2 = make_user("zhao2", Role.ENTERPRISE, enterprise=cls.ea)
        cls.gao = make_user("gao", Role.OFFICER, region=cls.zone, certificate_no="执09")
        cls.he = make_user("he", Role.OFFICER, region=cls.v1, certificate_no="执10")
        cls.retired = make_user(
            "retired", Role.OFFICER, region=cls.o1, certificate_no="执11", is_active=False
        )

    def register(self, by: User, **data: Any) -> Hazard:
        with self.captureOnCommitCallbacks(execute=True):
            return register_hazard(self.ea, general(**data), by=by)

    def act(self, hazard: Hazard, action: str, by: User, **data: Any) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            step(hazard, action, by, make_photo(by), **data)


class RegistrationTests(EventWorld):
    def test_the_enterprises_users_hear_of_a_new_hazard(self) -> None:
        h = self.register(self.zhang, name="安全出口锁闭")
        self.assertEqual(told(Kind.HAZARD_REGISTERED), {"zhao", "zhao2"})
        note = Notification.objects.get(recipient=self.zhao)
        self.assertEqual((note.hazard_id, note.event.action), (h.pk, "register"))  # type: ignore[union-attr]
        self.assertIn("安全出口锁闭", note.text)
        self.assertIn(days(30).isoformat(), note.text)
        self.assertEqual(note.target, f"/hazards/{h.pk}/")

    def test_the_user_who_registered_it_is_not_told(self) -> None:
        self.register(self.zhao)
        self.assertEqual(told(Kind.HAZARD_REGISTERED), {"zhao2"})

    def test_other_enterprises_and_officers_hear_nothing(self) -> None:
        self.register(self.li)
        self.assertFalse(Notification.objects.exclude(recipient__enterprise=self.ea).exists())

    def test_nothing_is_told_about_a_registration_that_rolled_back(self) -> None:
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            try:
                with transaction.atomic():
                    register_hazard(self.ea, general(), by=self.li)
                    raise RuntimeError("the visit failed later")
            except RuntimeError:
                pass
        self.assertEqual(callbacks, [])
        self.assertFalse(Notification.objects.exists())

    def test_telling_twice_about_one_event_writes_nothing_new(self) -> None:
        h = self.register(self.li)
        event = HazardEvent.objects.get(hazard=h, action="register")
        self.assertEqual(notify_event(event.pk), 2)
        self.assertEqual(Notification.objects.count(), 2)


class RectificationTests(EventWorld):
    def test_a_submitted_rectification_goes_to_the_officers_over_the_enterprise(self) -> None:
        h = self.register(self.zhang)
        Notification.objects.all().delete()
        self.act(h, "submit", self.zhao)
        # Li (office O1), Gao (the zone), He (village V1); not Qian (O2), not the retired.
        self.assertEqual(told(Kind.RECTIFICATION_SUBMITTED), {"li", "gao", "he"})
        self.assertFalse(Notification.objects.filter(recipient=self.chen).exists())

    def test_an_enterprises_own_hazard_goes_to_its_own_acceptor(self) -> None:
        h = self.register(self.zhao)
        Notification.objects.all().delete()
        self.act(h, "submit", self.zhao)
        self.assertEqual(told(Kind.RECTIFICATION_SUBMITTED), {"zhao2"})

    def test_a_rejection_goes_to_the_enterprise_with_the_reason(self) -> None:
        h = self.register(self.li)
        self.act(h, "submit", self.zhao)
        Notification.objects.all().delete()
        self.act(h, "reject", self.li, note="照片看不清，请重新拍摄")
        self.assertEqual(told(Kind.HAZARD_REJECTED), {"zhao", "zhao2"})
        self.assertIn("照片看不清", Notification.objects.filter(recipient=self.zhao).get().text)

    def test_an_extension_decision_goes_to_the_enterprise(self) -> None:
        h = self.register(self.li)
        self.act(h, "request_extension", self.zhao, deadline=days(60), note="设备到货延迟")
        self.assertFalse(Notification.objects.filter(kind=Kind.EXTENSION_DECIDED).exists())
        self.act(h, "approve_extension", self.li)
        note = Notification.objects.get(recipient=self.zhao, kind=Kind.EXTENSION_DECIDED)
        self.assertIn(days(60).isoformat(), note.text)

    def test_a_major_hazard_applying_for_review_goes_to_the_officers(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            h = register_hazard(self.ea, major(), by=self.li)
        for action in ("confirm", "file_plan", "start_remediation", "self_assess"):
            self.act(h, action, self.li)
        Notification.objects.all().delete()
        self.act(h, "apply_review", self.zhao)
        self.assertEqual(told(Kind.RECTIFICATION_SUBMITTED), {"li", "gao", "he"})

    def test_steps_nobody_waits_for_tell_nobody(self) -> None:
        h = self.register(self.li)
        Notification.objects.all().delete()
        self.act(h, "request_extension", self.zhao, deadline=days(60), note="设备到货延迟")
        self.assertFalse(Notification.objects.exists())


class WiringTests(EventWorld):
    def test_notifications_listen_to_what_the_workflows_publish(self) -> None:
        from anjian.enforcement.events import NoticeIssued
        from anjian.hazards.events import HazardStepTaken
        from anjian.lib.events import listeners_of
        from anjian.notifications import listeners

        self.assertIn(listeners.on_hazard_step, listeners_of(HazardStepTaken))
        self.assertIn(listeners.on_notice_issued, listeners_of(NoticeIssued))

    def test_every_step_the_workflow_tells_of_has_a_kind_of_notification(self) -> None:
        from anjian.hazards.workflow import TOLD
        from anjian.notifications.listeners import KINDS

        self.assertEqual(set(TOLD), set(KINDS))

    def test_the_recipients_are_whom_the_workflow_says(self) -> None:
        from anjian.hazards.workflow import told as workflow_told

        hazard = self.register(self.zhao, **general())
        with self.captureOnCommitCallbacks(execute=True):
            step(hazard, "submit", self.zhao, make_photo(self.zhao))
        expected = set(
            workflow_told(hazard, "submit")
            .exclude(pk=self.zhao.pk)
            .values_list("username", flat=True)
        )
        self.assertEqual(told(Kind.RECTIFICATION_SUBMITTED), expected)
        self.assertEqual(expected, {"zhao2"})
