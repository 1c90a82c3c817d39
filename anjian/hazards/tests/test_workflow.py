"""The hazard state machines (RULES.md §3.1, §3.2): every transition, who may take it, what
it needs, what it writes; and where register_hazard starts a hazard."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils.functional import Promise

from anjian.accounts.models import User
from anjian.audit.models import Entry
from anjian.hazards.models import (
    OPEN,
    TERMINAL,
    Finder,
    Hazard,
    HazardEvent,
    Level,
    RectifyType,
    Source,
    Status,
)
from anjian.hazards.tests.factories import (
    PATHS,
    PLAN,
    HazardWorld,
    days,
    engage,
    full_data,
    general,
    hazard_in,
    major,
    make_photo,
    step,
    today,
)
from anjian.hazards.workflow import (
    ACTIONS,
    TransitionError,
    allowed_actions,
    register_hazard,
    transition,
)
from anjian.lib.errors import Conflict, NotAllowed


class WorkflowWorld(HazardWorld):
    def setUp(self) -> None:
        super().setUp()
        self.photo = make_photo(self.chen)

    def counts(self, hazard: Hazard) -> tuple[int, int]:
        events = HazardEvent.objects.filter(hazard=hazard).count()
        entries = Entry.objects.filter(object_type="hazards.hazard", object_id=str(hazard.pk))
        return events, entries.count()

    def fresh(self, hazard: Hazard) -> Hazard:
        return Hazard.objects.get(pk=hazard.pk)

    def found_by(self, user: User, **data: Any) -> Hazard:
        """A general hazard `user` found at EA, with a deadline a month away."""
        return register_hazard(self.ea, general(**data), by=user)


class TransitionTableTests(WorkflowWorld):
    def test_every_action_is_allowed_exactly_from_its_source_statuses(self) -> None:
        hazards = {s: hazard_in(s, self.ea, self.li, self.photo) for s in Status.values}
        for name, action in ACTIONS.items():
            for status, hazard in hazards.items():
                with self.subTest(action=name, status=status):
                    h = self.fresh(hazard)
                    if status in action.sources:
                        self.assert_allowed(h, name, action.target or status)
                    else:
                        self.assert_forbidden(h, name)

    def assert_allowed(self, h: Hazard, name: str, target: str) -> None:
        saved = transaction.savepoint()
        try:
            if name in ("approve_extension", "deny_extension"):
                step(h, "request_extension", self.chen, deadline=days(60))
            (events, entries), version = self.counts(h), self.fresh(h).version
            step(h, name, self.chen, self.photo, deadline=days(60))
            self.assertEqual(self.fresh(h).status, target)
            self.assertEqual(self.counts(h), (events + 1, entries + 1))
            self.assertEqual(self.fresh(h).version, version + 1)
        finally:
            transaction.savepoint_rollback(saved)

    def assert_forbidden(self, h: Hazard, name: str) -> None:
        before = (self.counts(h), h.version)
        with self.assertRaises(TransitionError) as caught:
            step(h, name, self.chen, self.photo, deadline=days(60))
        self.assertIn("is not possible while the hazard is", str(caught.exception))
        self.assertEqual(caught.exception.field, "action")
        self.assertEqual((self.counts(h), self.fresh(h).version), before)

    def test_terminal_statuses_have_no_way_out(self) -> None:
        for name, action in ACTIONS.items():
            with self.subTest(action=name):
                self.assertFalse(action.sources & TERMINAL)

    def test_every_open_status_has_a_step_that_moves_it(self) -> None:
        for status in OPEN:
            with self.subTest(status=status):
                moves = [
                    n
                    for n, a in ACTIONS.items()
                    if status in a.sources and a.target not in (None, status)
                ]
                self.assertTrue(moves)

    def test_every_status_in_the_paths_is_reachable(self) -> None:
        self.assertEqual(set(PATHS), set(Status.values))

    def test_action_labels_are_translated_when_read_not_when_imported(self) -> None:
        for name, action in ACTIONS.items():
            with self.subTest(action=name):
                self.assertIsInstance(action.label, Promise)

    def test_overdue_is_not_a_status(self) -> None:
        self.assertNotIn("overdue", Status.values)

    def test_unknown_action_is_an_error_naming_the_action(self) -> None:
        h = hazard_in(Status.RECTIFYING, self.ea, self.li, self.photo)
        with self.assertRaises(TransitionError) as caught:
            transition(h, "close_quietly", {}, by=self.chen, version=h.version)
        self.assertEqual(caught.exception.field, "action")
        self.assertIn("close_quietly", str(caught.exception))


class WhoMayActTests(WorkflowWorld):
    def submitted(self, finder: User, rectifier: User | None = None) -> Hazard:
        h = self.found_by(finder)
        step(h, "submit", rectifier or self.zhao, self.photo)
        return h

    def test_enterprise_accepts_its_own_general_hazard(self) -> None:
        h = self.submitted(self.zhao)
        self.assertEqual(h.finder, Finder.ENTERPRISE)
        step(h, "accept", self.zhao, note="已整改")
        h = self.fresh(h)
        self.assertEqual(
            (h.status, h.acceptor, h.accept_comment), (Status.CLOSED, self.zhao, "已整改")
        )
        self.assertIsNotNone(h.accepted_at)

    def test_enterprise_cannot_accept_what_others_found(self) -> None:
        engage(self.sun, self.ea)
        for finder in (self.li, self.chen, self.zhang, self.sun, self.zhou):
            with self.subTest(finder=finder.username):
                h = self.submitted(finder)
                for action in ("accept", "reject", "void"):
                    with self.assertRaises(NotAllowed):
                        step(h, action, self.zhao)
                self.assertEqual(self.fresh(h).status, Status.SUBMITTED)

    def test_officer_in_scope_accepts_patrol_expert_and_inspection_findings(self) -> None:
        engage(self.sun, self.ea)
        for finder, acceptor in ((self.zhang, self.li), (self.sun, self.li), (self.li, self.chen)):
            with self.subTest(finder=finder.username):
                h = self.submitted(finder)
                step(h, "accept", acceptor)
                self.assertEqual(self.fresh(h).status, Status.CLOSED)
                self.assertEqual(self.fresh(h).acceptor, acceptor)

    def test_officer_of_another_office_finds_nothing_to_accept(self) -> None:
        h = self.submitted(self.zhang)
        with self.assertRaises(Http404):
            step(h, "accept", self.qian)
        self.assertEqual(self.fresh(h).status, Status.SUBMITTED)

    def test_grid_worker_confirms_the_fix_on_site_but_cannot_accept(self) -> None:
        h = self.found_by(self.zhang)
        step(h, "submit", self.zhang, self.photo)
        self.assertEqual(self.fresh(h).status, Status.SUBMITTED)
        for action in ("accept", "reject", "void"):
            with self.subTest(action=action), self.assertRaises(NotAllowed):
                step(h, action, self.zhang)
        self.assertEqual(allowed_actions(self.fresh(h), self.zhang), [])

    def test_grid_worker_of_another_grid_finds_nothing(self) -> None:
        h = self.found_by(self.zhang)
        with self.assertRaises(Http404):
            step(h, "submit", self.wang, self.photo)

    def test_grid_worker_cannot_set_deadlines_or_escalate(self) -> None:
        h = hazard_in(Status.REGISTERED, self.ea, self.li, self.photo)
        for action in ("assign", "escalate"):
            with self.subTest(action=action), self.assertRaises(NotAllowed):
                step(h, action, self.zhang)

    def test_expert_cannot_accept_or_submit(self) -> None:
        engage(self.sun, self.ea)
        h = self.found_by(self.sun)
        with self.assertRaises(NotAllowed):
            step(h, "submit", self.sun, self.photo)
        step(h, "submit", self.zhao, self.photo)
        with self.assertRaises(NotAllowed):
            step(h, "accept", self.sun)

    def test_leader_and_department_see_but_cannot_act(self) -> None:
        hazards = [hazard_in(s, self.ea, self.li, self.photo) for s in Status.values]
        for user in (self.zhou, self.wu):
            for h in hazards:
                self.assertEqual(allowed_actions(h, user), [])
                for name, action in ACTIONS.items():
                    if h.status not in action.sources:
                        continue
                    with (
                        self.subTest(user=user.username, action=name, status=h.status),
                        self.assertRaises(NotAllowed),
                    ):
                        step(self.fresh(h), name, user, self.photo, deadline=days(60))

    def test_enterprise_cannot_void_or_confirm_its_own_major_hazard(self) -> None:
        h = register_hazard(self.ea, major(), by=self.zhao)
        self.assertEqual(h.status, Status.REPORTED)
        for action in ("void", "confirm", "downgrade", "suspend_production"):
            with self.subTest(action=action), self.assertRaises(NotAllowed):
                step(h, action, self.zhao)

    def test_allowed_actions_match_what_transition_permits(self) -> None:
        h = self.submitted(self.zhao)
        self.assertEqual(allowed_actions(h, self.zhao), ["accept", "reject", "void"])
        self.assertEqual(allowed_actions(h, self.li), ["accept", "reject", "void"])
        h = self.found_by(self.zhang)
        self.assertEqual(allowed_actions(h, self.zhao), ["submit", "request_extension"])
        self.assertIn("escalate", allowed_actions(h, self.li))

    def test_allowed_actions_offer_only_steps_that_can_succeed_now(self) -> None:
        h = self.found_by(self.zhang)
        self.assertNotIn("approve_extension", allowed_actions(h, self.li))
        self.assertNotIn("deny_extension", allowed_actions(h, self.li))
        step(h, "request_extension", self.zhao, deadline=days(45))
        h = self.fresh(h)
        self.assertNotIn("request_extension", allowed_actions(h, self.zhao))
        self.assertIn("approve_extension", allowed_actions(h, self.li))
        self.assertIn("deny_extension", allowed_actions(h, self.li))
        m = hazard_in(Status.CONFIRMED, self.ea, self.li, self.photo)
        self.assertIn("suspend_production", allowed_actions(m, self.li))
        self.assertNotIn("resume_production", allowed_actions(m, self.li))
        step(m, "suspend_production", self.li)
        m = self.fresh(m)
        self.assertNotIn("suspend_production", allowed_actions(m, self.li))
        self.assertIn("resume_production", allowed_actions(m, self.li))


class NeedsTests(WorkflowWorld):
    def test_each_missing_field_is_named(self) -> None:
        hazards = {s: hazard_in(s, self.ea, self.li, self.photo) for s in Status.values}
        for name, action in ACTIONS.items():
            source = sorted(action.sources)[0]
            for missing in action.needs:
                for empty in (None, "", "  "):
                    if missing in ("deadline", "funds") and empty not in (None,):
                        continue
                    with self.subTest(action=name, missing=missing, empty=empty):
                        h = self.fresh(hazards[source])
                        with self.assertRaises(TransitionError) as caught:
                            step(h, name, self.chen, self.photo, **{missing: empty})
                        self.assertEqual(caught.exception.field, missing)
                        self.assertIn(missing, str(caught.exception))
                        self.assertEqual(self.fresh(h).version, h.version)

    def test_steps_that_need_evidence_refuse_without_a_photo(self) -> None:
        needing = [n for n, a in ACTIONS.items() if a.needs_photo]
        self.assertEqual(set(needing), {"submit", "self_assess", "write_off"})
        for name in needing:
            with self.subTest(action=name):
                h = hazard_in(sorted(ACTIONS[name].sources)[0], self.ea, self.li, self.photo)
                with self.assertRaises(TransitionError) as caught:
                    step(h, name, self.chen)
                self.assertEqual(caught.exception.field, "photos")

    def test_deadline_in_the_past_is_refused(self) -> None:
        h = hazard_in(Status.REGISTERED, self.ea, self.li, self.photo)
        with self.assertRaises(TransitionError) as caught:
            step(h, "assign", self.li, deadline=days(-1))
        self.assertEqual(caught.exception.field, "deadline")

    def test_negative_funds_are_refused(self) -> None:
        h = hazard_in(Status.CONFIRMED, self.ea, self.li, self.photo)
        with self.assertRaises(TransitionError) as caught:
            step(h, "file_plan", self.zhao, funds=Decimal("-1"))
        self.assertEqual(caught.exception.field, "funds")


class GeneralPathTests(WorkflowWorld):
    def test_officer_assigns_a_deadline_to_a_registered_hazard(self) -> None:
        h = hazard_in(Status.REGISTERED, self.ea, self.li, self.photo)
        self.assertIsNone(h.deadline)
        step(h, "assign", self.li, deadline=days(10))
        h = self.fresh(h)
        self.assertEqual((h.status, h.deadline), (Status.RECTIFYING, days(10)))

    def test_rejections_are_counted_and_send_it_back(self) -> None:
        h = self.found_by(self.zhang)
        for n in (1, 2):
            step(h, "submit", self.zhao, self.photo)
            step(h, "reject", self.li, note=f"第{n}次：未整改到位")
            h = self.fresh(h)
            self.assertEqual((h.status, h.rejections), (Status.RECTIFYING, n))
        step(h, "submit", self.zhao, self.photo)
        step(h, "accept", self.li)
        h = self.fresh(h)
        self.assertEqual((h.status, h.rejections), (Status.CLOSED, 2))
        self.assertEqual(list(h.after_photos.all()), [self.photo])

    def test_submit_records_the_rectification_day_and_the_after_photo(self) -> None:
        h = self.found_by(self.zhang, found_on=days(-2))
        step(h, "submit", self.zhao, self.photo, rectified_on=days(-1))
        h = self.fresh(h)
        self.assertEqual(h.rectified_on, days(-1))
        self.assertEqual(list(h.after_photos.all()), [self.photo])
        self.assertEqual(h.danger_state, 1)

    def test_extension_approved_moves_the_deadline_and_counts(self) -> None:
        h = self.found_by(self.zhang)
        step(h, "request_extension", self.zhao, deadline=days(45), note="设备到货延迟")
        h = self.fresh(h)
        self.assertEqual((h.extension_requested_until, h.deadline), (days(45), days(30)))
        self.assertEqual(h.status, Status.RECTIFYING)
        step(h, "approve_extension", self.li)
        h = self.fresh(h)
        self.assertEqual((h.deadline, h.extensions), (days(45), 1))
        self.assertIsNone(h.extension_requested_until)
        self.assertEqual(h.extension_reason, "")

    def test_extension_denied_keeps_the_deadline(self) -> None:
        h = self.found_by(self.zhang)
        step(h, "request_extension", self.zhao, deadline=days(45))
        step(h, "deny_extension", self.li, note="理由不充分")
        h = self.fresh(h)
        self.assertEqual((h.deadline, h.extensions), (days(30), 0))
        self.assertIsNone(h.extension_requested_until)

    def test_extension_must_move_the_deadline_later(self) -> None:
        h = self.found_by(self.zhang)
        for until in (days(30), days(20)):
            with self.subTest(until=until), self.assertRaises(TransitionError) as caught:
                step(h, "request_extension", self.zhao, deadline=until)
            self.assertEqual(caught.exception.field, "deadline")

    def test_one_extension_request_at_a_time(self) -> None:
        h = self.found_by(self.zhang)
        step(h, "request_extension", self.zhao, deadline=days(45))
        with self.assertRaises(TransitionError):
            step(h, "request_extension", self.zhao, deadline=days(50))

    def test_no_decision_without_a_request(self) -> None:
        h = self.found_by(self.zhang)
        for action in ("approve_extension", "deny_extension"):
            with self.subTest(action=action), self.assertRaises(TransitionError):
                step(h, action, self.li)
        self.assertEqual(self.fresh(h).version, h.version)

    def test_enterprise_cannot_grant_its_own_extension_on_a_patrol_finding(self) -> None:
        h = self.found_by(self.zhang)
        step(h, "request_extension", self.zhao, deadline=days(45))
        with self.assertRaises(NotAllowed):
            step(h, "approve_extension", self.zhao)

    def test_void_needs_a_reason_and_keeps_it(self) -> None:
        h = self.found_by(self.zhang)
        with self.assertRaises(TransitionError) as caught:
            step(h, "void", self.li, note="")
        self.assertEqual(caught.exception.field, "note")
        step(h, "void", self.li, note="重复登记")
        self.assertEqual(self.fresh(h).status, Status.VOID)
        self.assertEqual(h.events.last().note, "重复登记")  # type: ignore[union-attr]

    def test_escalate_makes_a_general_hazard_major(self) -> None:
        h = self.found_by(self.zhang)
        step(h, "escalate", self.li, note="涉及粉尘爆炸")
        h = self.fresh(h)
        self.assertEqual((h.status, h.level), (Status.REPORTED, Level.MAJOR))
        self.assertTrue(h.is_major)

    def test_downgrade_makes_a_reported_major_hazard_general(self) -> None:
        h = register_hazard(self.ea, major(), by=self.li)
        step(h, "downgrade", self.li, deadline=days(20), note="专家意见：一般隐患")
        h = self.fresh(h)
        self.assertEqual(
            (h.status, h.level, h.deadline), (Status.RECTIFYING, Level.GENERAL, days(20))
        )


class MajorPathTests(WorkflowWorld):
    def test_major_hazard_from_report_to_write_off(self) -> None:
        h = register_hazard(self.ea, major(), by=self.zhao)
        self.assertEqual(h.status, Status.REPORTED)
        with self.assertRaises(NotAllowed):
            step(h, "confirm", self.zhao)
        step(h, "confirm", self.li, basis="应急管理部令第10号 第十一条（一）")
        self.assertEqual(self.fresh(h).basis, "应急管理部令第10号 第十一条（一）")
        step(h, "file_plan", self.zhao, deadline=days(60), funds=Decimal("120000"))
        h = self.fresh(h)
        self.assertEqual(h.status, Status.PLAN_FILED)
        for name, value in PLAN.items():
            self.assertEqual(getattr(h, name), value)
        self.assertEqual(
            (h.liable_person, h.funds, h.deadline), ("王工", Decimal("120000"), days(60))
        )
        step(h, "start_remediation", self.zhao)
        step(h, "self_assess", self.zhao, self.photo, note="第三方评估报告")
        step(h, "apply_review", self.zhao)
        self.assertEqual(self.fresh(h).status, Status.UNDER_REVIEW)
        with self.assertRaises(NotAllowed):
            step(h, "write_off", self.zhao, self.photo)
        step(h, "fail_review", self.li, note="泄爆面积不足")
        h = self.fresh(h)
        self.assertEqual((h.status, h.rejections), (Status.REMEDIATING, 1))
        step(h, "self_assess", self.zhao, self.photo, note="整改完成")
        step(h, "apply_review", self.zhao)
        step(h, "write_off", self.li, self.photo, note="核销", reviewers="专家组")
        h = self.fresh(h)
        self.assertEqual((h.status, h.acceptor, h.danger_state), (Status.WRITTEN_OFF, self.li, 9))
        self.assertIsNotNone(h.closed_at)
        self.assertFalse(Hazard.objects.filter(pk=h.pk).open().exists())
        self.assertTrue(Hazard.objects.filter(pk=h.pk).closed().exists())

    def test_plan_needs_all_six_elements_and_the_five_implementations(self) -> None:
        needs = set(ACTIONS["file_plan"].needs)
        self.assertEqual(needs, {*PLAN, "liable_person", "funds", "deadline"})

    def test_production_suspension_is_a_flag_not_a_status(self) -> None:
        h = hazard_in(Status.CONFIRMED, self.ea, self.li, self.photo)
        step(h, "suspend_production", self.li, note="责令局部停产")
        h = self.fresh(h)
        self.assertEqual((h.status, h.production_suspended), (Status.CONFIRMED, True))
        step(h, "resume_production", self.li, note="复产")
        h = self.fresh(h)
        self.assertEqual((h.status, h.production_suspended), (Status.CONFIRMED, False))

    def test_suspension_is_only_for_major_hazards(self) -> None:
        h = self.found_by(self.zhang)
        with self.assertRaises(TransitionError):
            step(h, "suspend_production", self.li)

    def test_extension_of_a_major_remediation(self) -> None:
        h = hazard_in(Status.REMEDIATING, self.ea, self.li, self.photo)
        step(h, "request_extension", self.zhao, deadline=days(90))
        step(h, "approve_extension", self.li)
        h = self.fresh(h)
        self.assertEqual((h.status, h.deadline, h.extensions), (Status.REMEDIATING, days(90), 1))


class RecordTests(WorkflowWorld):
    def test_every_step_writes_one_event_and_one_audit_entry(self) -> None:
        h = register_hazard(
            self.ea, major(), by=self.li, latitude=Decimal("31.3"), longitude=Decimal("120.6")
        )
        self.assertEqual(self.counts(h), (1, 1))
        first = h.events.get()
        self.assertEqual(
            (first.action, first.from_status, first.to_status), ("register", "", Status.REPORTED)
        )
        for n, name in enumerate(PATHS[Status.WRITTEN_OFF][1], start=2):
            version = self.fresh(h).version
            before = self.fresh(h).status
            event = transition(
                h,
                name,
                {**full_data(), "note": f"步骤{name}"},
                by=self.li,
                version=version,
                photos=[self.photo],
                latitude=Decimal("31.298886"),
                longitude=Decimal("120.585316"),
            )
            with self.subTest(action=name):
                self.assertEqual(self.counts(h), (n, n))
                self.assertEqual(self.fresh(h).version, version + 1)
                self.assertEqual(
                    (event.action, event.actor, event.note), (name, self.li, f"步骤{name}")
                )
                self.assertEqual(
                    (event.from_status, event.to_status), (before, self.fresh(h).status)
                )
                self.assertEqual(list(event.photos.all()), [self.photo])
                self.assertEqual(
                    (event.latitude, event.longitude), (Decimal("31.298886"), Decimal("120.585316"))
                )
                self.assertIsNotNone(event.at)
                entry = Entry.objects.filter(object_id=str(h.pk)).latest("id")
                self.assertEqual((entry.action, entry.actor), (f"hazard.{name}", self.li))

    def test_a_step_that_changes_no_status_still_writes_its_event(self) -> None:
        h = self.found_by(self.zhang)
        step(h, "request_extension", self.zhao, deadline=days(40))
        event = h.events.last()
        assert event is not None
        self.assertEqual(
            (event.action, event.from_status, event.to_status),
            ("request_extension", Status.RECTIFYING, Status.RECTIFYING),
        )
        self.assertEqual(event.data["deadline"], days(40).isoformat())

    def test_stale_version_is_a_conflict_and_writes_nothing(self) -> None:
        h = self.found_by(self.zhang)
        step(h, "submit", self.zhao, self.photo)
        before = self.counts(h)
        with self.assertRaises(Conflict):
            transition(h, "accept", {}, by=self.li, version=h.version - 1)
        h2 = self.fresh(h)
        self.assertEqual(
            (h2.status, h2.version, self.counts(h)), (Status.SUBMITTED, h.version, before)
        )

    def test_refused_steps_write_nothing(self) -> None:
        h = self.found_by(self.zhang)
        before = (self.counts(h), self.fresh(h).version)
        with self.assertRaises(NotAllowed):
            step(h, "void", self.zhang)
        with self.assertRaises(TransitionError):
            step(h, "submit", self.zhao)
        self.assertEqual((self.counts(h), self.fresh(h).version), before)


class OverdueTests(WorkflowWorld):
    def test_overdue_is_derived_from_the_deadline_and_the_status(self) -> None:
        late = self.found_by(self.zhang)  # deadline in 30 days
        day_after = days(31)
        self.assertFalse(late.is_overdue(today()))
        self.assertTrue(late.is_overdue(day_after))
        self.assertFalse(late.is_overdue(days(30)))  # due at the end of the deadline day
        self.assertEqual(list(Hazard.objects.overdue(day_after)), [late])
        self.assertEqual(list(Hazard.objects.overdue(today())), [])
        step(late, "submit", self.zhao, self.photo)
        self.assertTrue(self.fresh(late).is_overdue(day_after))
        step(late, "accept", self.li)
        self.assertFalse(self.fresh(late).is_overdue(day_after))
        self.assertEqual(list(Hazard.objects.overdue(day_after)), [])
        self.assertEqual(self.fresh(late).status, Status.CLOSED)

    def test_a_hazard_without_a_deadline_is_never_overdue(self) -> None:
        h = hazard_in(Status.REGISTERED, self.ea, self.li, self.photo)
        far = days(3650)
        self.assertFalse(h.is_overdue(far))
        self.assertFalse(Hazard.objects.overdue(far).exists())


class RegisterTests(WorkflowWorld):
    def test_major_hazard_starts_reported_whoever_finds_it(self) -> None:
        engage(self.sun, self.ea)
        for user in (self.li, self.zhang, self.zhao, self.sun):
            with self.subTest(user=user.username):
                h = register_hazard(self.ea, major(), by=user)
                self.assertEqual((h.status, h.level), (Status.REPORTED, Level.MAJOR))

    def test_fixed_on_the_spot_closes_when_the_finder_may_accept(self) -> None:
        for user in (self.li, self.chen, self.zhao):
            with self.subTest(user=user.username):
                h = register_hazard(
                    self.ea,
                    general(rectify_type=RectifyType.IMMEDIATE, deadline=None),
                    by=user,
                    after_photos=[self.photo],
                )
                self.assertEqual((h.status, h.acceptor), (Status.CLOSED, user))
                self.assertIsNotNone(h.accepted_at)
                self.assertEqual(h.rectified_on, h.found_on)

    def test_fixed_on_the_spot_waits_for_the_officer_when_a_grid_worker_or_expert_finds_it(
        self,
    ) -> None:
        engage(self.sun, self.ea)
        for user in (self.zhang, self.sun):
            with self.subTest(user=user.username):
                h = register_hazard(
                    self.ea,
                    general(rectify_type=RectifyType.IMMEDIATE, deadline=None),
                    by=user,
                    after_photos=[self.photo],
                )
                self.assertEqual(h.status, Status.SUBMITTED)
                self.assertIsNone(h.acceptor)
                self.assertIn("accept", allowed_actions(h, self.li))

    def test_fixed_on_the_spot_needs_the_after_photo(self) -> None:
        with self.assertRaises(TransitionError) as caught:
            register_hazard(self.ea, general(rectify_type=RectifyType.IMMEDIATE), by=self.li)
        self.assertEqual(caught.exception.field, "after_photos")

    def test_deadline_type_starts_rectifying(self) -> None:
        h = self.found_by(self.zhang)
        self.assertEqual(
            (h.status, h.deadline, h.finder), (Status.RECTIFYING, days(30), Finder.GRID)
        )
        # A grid worker's patrol, not a government supervisory inspection (国办发〔2024〕54号).
        self.assertEqual(h.source, Source.GRID_PATROL)

    def test_officer_without_a_deadline_registers_it_first(self) -> None:
        h = register_hazard(self.ea, general(deadline=None), by=self.li)
        self.assertEqual(h.status, Status.REGISTERED)

    def test_others_must_give_the_deadline(self) -> None:
        engage(self.sun, self.ea)
        for user in (self.zhang, self.zhao, self.sun):
            with self.subTest(user=user.username):
                with self.assertRaises(TransitionError) as caught:
                    register_hazard(self.ea, general(deadline=None), by=user)
                self.assertEqual(caught.exception.field, "deadline")

    def test_deadline_before_the_day_found_is_refused(self) -> None:
        with self.assertRaises(TransitionError) as caught:
            register_hazard(
                self.ea,
                general(found_on=datetime.date(2025, 3, 10), deadline=datetime.date(2025, 3, 9)),
                by=self.zhang,
            )
        self.assertEqual(caught.exception.field, "deadline")
        self.assertFalse(Hazard.objects.exists())

    def test_missing_name_or_bad_level_is_named(self) -> None:
        for data, field in ((general(name=""), "name"), (general(level="5"), "level")):
            with self.subTest(field=field), self.assertRaises(TransitionError) as caught:
                register_hazard(self.ea, data, by=self.zhang)
            self.assertEqual(caught.exception.field, field)

    def test_codes_outside_the_national_lists_are_named(self) -> None:
        for field, value in (
            ("source", "99"),
            ("hazard_type", "9"),
            ("management_class", "7"),
            ("rectify_type", "5"),
        ):
            with self.subTest(field=field), self.assertRaises(TransitionError) as caught:
                register_hazard(self.ea, general(**{field: value}), by=self.li)
            self.assertEqual(caught.exception.field, field)
        self.assertFalse(Hazard.objects.exists())

    def test_text_longer_than_its_column_is_named(self) -> None:
        for field, value in (("name", "隐" * 201), ("liable_person", "王" * 51)):
            with self.subTest(field=field), self.assertRaises(TransitionError) as caught:
                register_hazard(self.ea, general(**{field: value}), by=self.li)
            self.assertEqual(caught.exception.field, field)

    def test_enterprise_cannot_claim_a_government_source(self) -> None:
        with self.assertRaises(TransitionError) as caught:
            register_hazard(self.ea, general(source=Source.GOVERNMENT), by=self.zhao)
        self.assertEqual(caught.exception.field, "source")

    def test_retry_with_the_same_client_uuid_returns_the_first_hazard(self) -> None:
        key = uuid.uuid4()
        first = register_hazard(self.ea, general(), by=self.zhang, client_uuid=key)
        again = register_hazard(self.ea, general(name="另一个名字"), by=self.zhang, client_uuid=key)
        self.assertEqual(again.pk, first.pk)
        self.assertEqual(Hazard.objects.count(), 1)
        self.assertEqual(self.counts(first), (1, 1))

    def test_someone_elses_client_uuid_is_refused(self) -> None:
        key = uuid.uuid4()
        register_hazard(self.ea, general(), by=self.zhang, client_uuid=key)
        with self.assertRaises(TransitionError) as caught:
            register_hazard(self.ea, general(), by=self.li, client_uuid=key)
        self.assertEqual(caught.exception.field, "client_uuid")
        self.assertEqual(Hazard.objects.get().found_by, self.zhang)

    def test_out_of_scope_enterprise_is_not_found(self) -> None:
        for user, enterprise in (
            (self.zhang, self.eb),
            (self.wang, self.ea),
            (self.zhao, self.ea2),
            (self.qian, self.ea),
            (self.sun, self.ea),
        ):
            with self.subTest(user=user.username), self.assertRaises(Http404):
                register_hazard(enterprise, general(), by=user)
        self.assertFalse(Hazard.objects.exists())

    def test_roles_that_do_not_find_hazards_are_refused(self) -> None:
        for user in (self.wu, self.nobody):
            with self.subTest(user=user.username), self.assertRaises(NotAllowed):
                register_hazard(self.ea, general(), by=user)

    def test_scope_columns_are_copied_from_the_enterprise(self) -> None:
        h = self.found_by(self.zhang)
        self.assertEqual(
            (h.grid_id, h.village_id, h.office_id, h.zone_id),
            (self.grid_a.pk, self.v1.pk, self.o1.pk, self.zone.pk),
        )
        self.assertEqual(h.found_by, self.zhang)
