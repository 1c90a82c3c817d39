"""Recording visits: who records which kind where, answers and the hazards they create, retries,
and all-or-nothing submits — through record_visit and through POST /api/v1/visits."""

from __future__ import annotations

import datetime
import json
import uuid
from typing import Any

from django.http import Http404
from django.test import SimpleTestCase
from django.utils import timezone, translation

from anjian.accounts.models import Role, User
from anjian.audit.models import Entry
from anjian.checklists.models import ChecklistItem, ChecklistVersion, Determination, VersionStatus
from anjian.fieldwork.models import Answer, Outcome, Result, Visit, VisitKind
from anjian.fieldwork.schemas import AnswerHazard, AnswerIn, HazardFound, VisitIn
from anjian.fieldwork.services import VisitError, record_visit
from anjian.hazards.models import Hazard, HazardEvent, Level, RectifyType, Source, Status
from anjian.hazards.tests.factories import (
    HazardWorld,
    days,
    engage,
    general,
    make_checklist,
    make_photo,
)
from anjian.hazards.workflow import TransitionError
from anjian.lib.errors import NotAllowed
from anjian.regions.models import Region
from anjian.test import make_neighbour_zone, make_user

URL = "/api/v1/visits"
# Who may record each kind (国办发〔2024〕54号: no inspections by grid workers or experts).
MAY_RECORD = {
    VisitKind.PATROL: {"zhang"},
    VisitKind.INSPECTION: {"chen", "li"},
    VisitKind.DOUBLE_RANDOM: {"chen", "li"},
    VisitKind.EXPERT_CHECK: {"sun"},
    VisitKind.SELF_INSPECTION: {"zhao"},
    VisitKind.LIAISON: {"zhou"},
}
KIND_OF = {
    "zhang": VisitKind.PATROL,
    "li": VisitKind.INSPECTION,
    "chen": VisitKind.INSPECTION,
    "sun": VisitKind.EXPERT_CHECK,
    "zhao": VisitKind.SELF_INSPECTION,
    "zhou": VisitKind.LIAISON,
    "qian": VisitKind.INSPECTION,
}
INSPECTION_REFUSAL = "Only enforcement officers record administrative inspections"


def counts() -> dict[str, int]:
    return {
        "visits": Visit.objects.count(),
        "answers": Answer.objects.count(),
        "hazards": Hazard.objects.count(),
        "events": HazardEvent.objects.count(),
        "audit": Entry.objects.count(),
    }


class VisitWorld(HazardWorld):
    version: ChecklistVersion
    general_item: ChecklistItem
    major_item: ChecklistItem
    third_item: ChecklistItem

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.version = make_checklist(
            [
                ("1", Determination.GENERAL),
                ("2", Determination.MAJOR_DIRECT),
                ("3", Determination.MAJOR_COMBINED),
            ]
        )
        cls.general_item, cls.major_item, cls.third_item = cls.version.items.order_by("position")

    def visit(self, by: User, **fields: Any) -> VisitIn:
        fields.setdefault("kind", KIND_OF.get(by.username, VisitKind.PATROL))
        fields.setdefault("enterprise", self.ea.pk)
        fields.setdefault("outcome", Outcome.INSPECTED)
        fields.setdefault("started_at", timezone.now() - datetime.timedelta(hours=1))
        return VisitIn(client_uuid=fields.pop("client_uuid", uuid.uuid4()), **fields)

    def answers(self, *results: str, **hazard: Any) -> list[AnswerIn]:
        items = [self.general_item, self.major_item, self.third_item]
        return [
            AnswerIn(item=item.pk, result=result, hazard=AnswerHazard(**hazard))
            for item, result in zip(items, results, strict=False)
        ]


class KindAndRoleTests(VisitWorld):
    def test_each_kind_is_recorded_only_by_its_roles(self) -> None:
        engage(self.sun, self.ea)
        people = [
            self.chen,
            self.li,
            self.zhang,
            self.zhao,
            self.sun,
            self.zhou,
            self.wu,
            self.nobody,
        ]
        for kind, allowed in MAY_RECORD.items():
            for user in people:
                with self.subTest(kind=kind, user=user.username):
                    data = self.visit(user, kind=kind)
                    if user.username in allowed:
                        visit, created = record_visit(data, by=user)
                        self.assertTrue(created)
                        self.assertEqual((visit.kind, visit.recorded_by), (kind, user))
                    else:
                        with self.assertRaises(NotAllowed):
                            record_visit(data, by=user)

    def test_grid_workers_and_experts_are_told_to_report_instead_of_inspecting(self) -> None:
        engage(self.sun, self.ea)
        for user in (self.zhang, self.sun):
            for kind in (VisitKind.INSPECTION, VisitKind.DOUBLE_RANDOM):
                with self.subTest(user=user.username, kind=kind):
                    with self.assertRaises(NotAllowed) as caught:
                        record_visit(self.visit(user, kind=kind), by=user)
                    self.assertIn(INSPECTION_REFUSAL, caught.exception.message)
        self.assertEqual(Visit.objects.count(), 0)

    def test_grid_worker_records_only_in_own_grid(self) -> None:
        for enterprise in (self.ea2, self.eb):
            with self.subTest(enterprise=enterprise.name), self.assertRaises(Http404):
                record_visit(self.visit(self.zhang, enterprise=enterprise.pk), by=self.zhang)
        with self.assertRaises(Http404):
            record_visit(self.visit(self.wang), by=self.wang)

    def test_expert_records_only_for_enterprises_of_a_running_engagement(self) -> None:
        with self.assertRaises(Http404):
            record_visit(self.visit(self.sun), by=self.sun)
        engage(self.sun, self.ea, active=False)
        with self.assertRaises(Http404):
            record_visit(self.visit(self.sun), by=self.sun)
        engage(self.sun, self.ea)
        visit, _created = record_visit(self.visit(self.sun), by=self.sun)
        self.assertEqual(visit.enterprise, self.ea)
        with self.assertRaises(Http404):
            record_visit(self.visit(self.sun, enterprise=self.eb.pk), by=self.sun)

    def test_officer_records_only_in_own_office(self) -> None:
        with self.assertRaises(Http404):
            record_visit(self.visit(self.qian), by=self.qian)

    def test_visit_copies_scope_and_people(self) -> None:
        visit, _created = record_visit(self.visit(self.li, people=[self.chen.pk]), by=self.li)
        self.assertEqual(
            (visit.grid_id, visit.office_id, visit.zone_id),
            (self.grid_a.pk, self.o1.pk, self.zone.pk),
        )
        self.assertEqual(set(visit.people.all()), {self.li, self.chen})
        self.assertEqual(visit.visited_on, timezone.localtime(visit.started_at).date())

    def test_unknown_kind_and_outcome_are_named(self) -> None:
        for fields, field in (({"kind": "raid"}, "kind"), ({"outcome": "gone"}, "outcome")):
            with self.subTest(field=field), self.assertRaises(VisitError) as caught:
                record_visit(self.visit(self.zhang, **fields), by=self.zhang)
            self.assertEqual(caught.exception.field, field)

    def test_end_before_start_is_named(self) -> None:
        start = timezone.now() - datetime.timedelta(hours=1)
        data = self.visit(
            self.zhang, started_at=start, ended_at=start - datetime.timedelta(minutes=5)
        )
        with self.assertRaises(VisitError) as caught:
            record_visit(data, by=self.zhang)
        self.assertEqual(caught.exception.field, "ended_at")
        self.assertEqual(Visit.objects.count(), 0)

    def test_unknown_companion_is_named(self) -> None:
        with self.assertRaises(VisitError) as caught:
            record_visit(self.visit(self.li, people=[999999]), by=self.li)
        self.assertEqual(caught.exception.field, "people")
        self.assertEqual(Visit.objects.count(), 0)

    def test_non_inspection_outcomes_are_visits_but_not_checks(self) -> None:
        for outcome in Outcome.values:
            record_visit(self.visit(self.zhang, outcome=outcome), by=self.zhang)
        self.assertEqual(Visit.objects.count(), len(Outcome.values))
        self.assertEqual(Visit.objects.checks().count(), 1)

    def test_non_inspected_outcome_cannot_carry_answers_or_hazards(self) -> None:
        for fields in (
            {"checklist_version": self.version.pk, "answers": self.answers(Result.COMPLIANT)},
            {"hazards": [HazardFound(**general())]},
        ):
            with self.subTest(fields=list(fields)), self.assertRaises(VisitError) as caught:
                record_visit(
                    self.visit(self.zhang, outcome=Outcome.LOCKED, **fields), by=self.zhang
                )
            self.assertEqual(caught.exception.field, "outcome")
        self.assertEqual(counts()["visits"], 0)


class AnswerTests(VisitWorld):
    def test_non_compliant_answer_creates_a_hazard_prefilled_from_its_item(self) -> None:
        photo = make_photo(self.zhang)
        answers = self.answers(Result.NON_COMPLIANT, Result.COMPLIANT, Result.NOT_APPLICABLE)
        answers[0].photos = [photo.pk]
        answers[0].hazard = AnswerHazard(deadline=days(15), location="二号车间")
        visit, _c = record_visit(
            self.visit(self.zhang, checklist_version=self.version.pk, answers=answers),
            by=self.zhang,
        )
        self.assertEqual(visit.checklist_version, self.version)
        self.assertEqual(visit.answers.count(), 3)
        hazard = visit.hazards.get()
        item = self.general_item
        self.assertEqual((hazard.item, hazard.origin), (item, visit))
        self.assertEqual((hazard.name, hazard.description), (item.text, item.text))
        self.assertIn("应急管理部令第10号", hazard.basis)
        self.assertIn(item.clause, hazard.basis)
        self.assertEqual((hazard.level, hazard.status), (Level.GENERAL, Status.RECTIFYING))
        self.assertEqual((hazard.deadline, hazard.location), (days(15), "二号车间"))
        self.assertEqual(list(hazard.before_photos.all()), [photo])

    def test_each_kind_of_visit_gives_its_hazards_their_source(self) -> None:
        expected = {
            VisitKind.PATROL: Source.GRID_PATROL,
            VisitKind.INSPECTION: Source.GOVERNMENT,
            VisitKind.DOUBLE_RANDOM: Source.GOVERNMENT,
            VisitKind.EXPERT_CHECK: Source.EXTERNAL_EXPERT,
            VisitKind.SELF_INSPECTION: Source.DAILY,
            VisitKind.LIAISON: Source.GOVERNMENT,
        }
        self.assertEqual(set(expected), set(VisitKind.values))
        engage(self.sun, self.ea)
        for kind, source in expected.items():
            user = User.objects.get(username=sorted(MAY_RECORD[kind])[-1])
            answers = self.answers(Result.NON_COMPLIANT)
            answers[0].hazard = AnswerHazard(deadline=days(15))
            data = self.visit(user, kind=kind, checklist_version=self.version.pk, answers=answers)
            with self.subTest(kind=kind):
                visit, _c = record_visit(data, by=user)
                self.assertEqual(visit.hazards.get().source, source)

    def test_major_direct_item_creates_a_major_hazard(self) -> None:
        answers = self.answers(
            Result.COMPLIANT, Result.NON_COMPLIANT, Result.NON_COMPLIANT, deadline=days(20)
        )
        visit, _c = record_visit(
            self.visit(self.zhang, checklist_version=self.version.pk, answers=answers),
            by=self.zhang,
        )
        levels = {h.item_id: (h.level, h.status) for h in visit.hazards.all()}
        self.assertEqual(
            levels,
            {
                self.major_item.pk: (Level.MAJOR, Status.REPORTED),
                self.third_item.pk: (Level.GENERAL, Status.RECTIFYING),
            },
        )

    def test_major_direct_stays_major_even_if_the_answer_says_general(self) -> None:
        answers = self.answers(Result.COMPLIANT, Result.NON_COMPLIANT, level=Level.GENERAL)
        visit, _c = record_visit(
            self.visit(self.li, checklist_version=self.version.pk, answers=answers), by=self.li
        )
        self.assertEqual(visit.hazards.get().level, Level.MAJOR)

    def test_officer_finding_without_a_deadline_is_registered(self) -> None:
        visit, _c = record_visit(
            self.visit(
                self.li,
                checklist_version=self.version.pk,
                answers=self.answers(Result.NON_COMPLIANT),
            ),
            by=self.li,
        )
        self.assertEqual(visit.hazards.get().status, Status.REGISTERED)

    def test_answers_need_a_published_version(self) -> None:
        draft = make_checklist(status=VersionStatus.DRAFT)
        item = draft.items.first()
        assert item is not None
        for version_id in (draft.pk, None, 999999):
            with self.subTest(version=version_id), self.assertRaises(VisitError) as caught:
                record_visit(
                    self.visit(
                        self.zhang,
                        checklist_version=version_id,
                        answers=[AnswerIn(item=item.pk, result=Result.COMPLIANT)],
                    ),
                    by=self.zhang,
                )
            self.assertEqual(caught.exception.field, "checklist_version")
        self.assertEqual(counts()["visits"], 0)

    def test_item_of_another_version_is_refused(self) -> None:
        other = make_checklist()
        item = other.items.first()
        assert item is not None
        with self.assertRaises(VisitError) as caught:
            record_visit(
                self.visit(
                    self.zhang,
                    checklist_version=self.version.pk,
                    answers=[AnswerIn(item=item.pk, result=Result.COMPLIANT)],
                ),
                by=self.zhang,
            )
        self.assertEqual(caught.exception.field, "answers")
        self.assertEqual((Visit.objects.count(), Answer.objects.count()), (0, 0))

    def test_same_item_twice_is_refused(self) -> None:
        twice = [
            AnswerIn(item=self.general_item.pk, result=Result.COMPLIANT),
            AnswerIn(item=self.general_item.pk, result=Result.NON_COMPLIANT),
        ]
        with self.assertRaises(VisitError) as caught:
            record_visit(
                self.visit(self.zhang, checklist_version=self.version.pk, answers=twice),
                by=self.zhang,
            )
        self.assertEqual(caught.exception.field, "answers")
        self.assertEqual((Visit.objects.count(), Answer.objects.count()), (0, 0))

    def test_unknown_result_is_refused(self) -> None:
        with self.assertRaises(VisitError) as caught:
            record_visit(
                self.visit(
                    self.zhang,
                    checklist_version=self.version.pk,
                    answers=[AnswerIn(item=self.general_item.pk, result="maybe")],
                ),
                by=self.zhang,
            )
        self.assertEqual(caught.exception.field, "answers")


class RetryAndAtomicityTests(VisitWorld):
    def test_retry_with_the_same_client_uuid_returns_the_first_visit(self) -> None:
        key = uuid.uuid4()
        hazards = [HazardFound(**general(), client_uuid=uuid.uuid4())]
        first, created = record_visit(
            self.visit(self.zhang, client_uuid=key, hazards=hazards), by=self.zhang
        )
        self.assertTrue(created)
        before = counts()
        again, created = record_visit(
            self.visit(self.zhang, client_uuid=key, hazards=hazards), by=self.zhang
        )
        self.assertFalse(created)
        self.assertEqual(again.pk, first.pk)
        self.assertEqual(counts(), before)
        self.assertEqual(before["visits"], 1)
        self.assertEqual(before["hazards"], 1)

    def test_someone_elses_client_uuid_is_refused(self) -> None:
        key = uuid.uuid4()
        record_visit(self.visit(self.zhang, client_uuid=key), by=self.zhang)
        with self.assertRaises(VisitError) as caught:
            record_visit(self.visit(self.li, client_uuid=key), by=self.li)
        self.assertEqual(caught.exception.field, "client_uuid")

    def test_a_failure_mid_submit_leaves_nothing_behind(self) -> None:
        before = counts()
        bad = general(deadline=None)  # a grid worker must give the deadline
        data = self.visit(
            self.zhang,
            checklist_version=self.version.pk,
            answers=self.answers(Result.NON_COMPLIANT, Result.COMPLIANT, deadline=days(10)),
            hazards=[HazardFound(**general(name="第二个")), HazardFound(**bad)],
        )
        with self.assertRaises(TransitionError) as caught:
            record_visit(data, by=self.zhang)
        self.assertEqual(caught.exception.field, "deadline")
        self.assertEqual(counts(), before)

    def test_retry_after_a_failure_records_the_visit(self) -> None:
        key = uuid.uuid4()
        with self.assertRaises(TransitionError):
            record_visit(
                self.visit(self.zhang, client_uuid=key, hazards=[HazardFound(**general(name=""))]),
                by=self.zhang,
            )
        visit, created = record_visit(
            self.visit(self.zhang, client_uuid=key, hazards=[HazardFound(**general())]),
            by=self.zhang,
        )
        self.assertTrue(created)
        self.assertEqual(visit.hazards.count(), 1)

    def test_visit_writes_one_audit_entry_and_each_hazard_its_own(self) -> None:
        visit, _c = record_visit(
            self.visit(
                self.zhang,
                hazards=[HazardFound(**general()), HazardFound(**general(name="二"))],
            ),
            by=self.zhang,
        )
        self.assertEqual(
            Entry.objects.filter(action="visit.create", object_id=str(visit.pk)).count(), 1
        )
        self.assertEqual(Entry.objects.filter(action="hazard.register").count(), 2)
        self.assertEqual(HazardEvent.objects.filter(action="register").count(), 2)


class VisitApiWorld(VisitWorld):
    def post(self, user: User | None, body: dict[str, Any]) -> Any:
        if user is not None:
            self.client.force_login(user)
        return self.client.post(URL, json.dumps(body, default=str), content_type="application/json")

    def body(self, **fields: Any) -> dict[str, Any]:
        return {
            "client_uuid": str(uuid.uuid4()),
            "kind": VisitKind.PATROL,
            "enterprise": self.ea.pk,
            "outcome": Outcome.INSPECTED,
            "started_at": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
            **fields,
        }

    def assert_error(self, r: Any, status: int, field: str | None = None, text: str = "") -> None:
        self.assertEqual(r.status_code, status, r.content)
        body = r.json()
        self.assertTrue(body["detail"])
        if field is not None:
            messages = {e["field"]: e["message"] for e in body["errors"]}
            self.assertIn(field, messages)
            self.assertIn(text, messages[field])


class VisitApiTests(VisitApiWorld):
    def test_create_ladder(self) -> None:
        self.assert_error(self.post(None, self.body()), 401)
        engage(self.sun, self.ea)
        for user in (self.zhang, self.sun):
            for kind in (VisitKind.INSPECTION, VisitKind.DOUBLE_RANDOM):
                with self.subTest(user=user.username, kind=kind):
                    r = self.post(user, self.body(kind=kind))
                    self.assert_error(r, 403)
                    self.assertIn(INSPECTION_REFUSAL, r.json()["detail"])
        self.assert_error(self.post(self.wu, self.body()), 403)
        self.assert_error(self.post(self.wang, self.body()), 404)
        self.assert_error(self.post(self.qian, self.body(kind=VisitKind.INSPECTION)), 404)
        self.assertEqual(Visit.objects.count(), 0)
        r = self.post(self.zhang, self.body())
        self.assertEqual(r.status_code, 201, r.content)
        self.assertEqual(Visit.objects.get().pk, r.json()["id"])

    def test_read_ladder(self) -> None:
        visit, _c = record_visit(self.visit(self.zhang), by=self.zhang)
        url = f"{URL}/{visit.pk}"
        self.assert_error(self.client.get(url), 401)
        for user in (self.wang, self.qian, self.nobody, self.sun):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assert_error(self.client.get(url), 404)
        for user in (self.zhang, self.li, self.chen, self.zhou, self.zhao):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                r = self.client.get(url)
                self.assertEqual(r.status_code, 200, r.content)
                self.assertEqual(r.json()["id"], visit.pk)

    def test_retry_answers_200_with_the_same_visit(self) -> None:
        body = self.body(hazards=[{"name": "消防通道堵塞", "deadline": days(7).isoformat()}])
        first = self.post(self.zhang, body)
        again = self.post(self.zhang, body)
        self.assertEqual((first.status_code, again.status_code), (201, 200))
        self.assertEqual(first.json(), again.json())
        self.assertEqual((Visit.objects.count(), Hazard.objects.count()), (1, 1))

    def test_answers_with_hazard_details_from_the_device(self) -> None:
        key = uuid.uuid4()
        body = self.body(
            checklist_version=self.version.pk,
            answers=[
                {
                    "item": self.general_item.pk,
                    "result": Result.NON_COMPLIANT,
                    "hazard": {"deadline": days(9).isoformat(), "client_uuid": str(key)},
                },
                {"item": self.major_item.pk, "result": Result.COMPLIANT},
            ],
        )
        r = self.post(self.zhang, body)
        self.assertEqual(r.status_code, 201, r.content)
        hazard = Hazard.objects.get()
        self.assertEqual((hazard.deadline, hazard.client_uuid), (days(9), key))
        self.assertEqual(r.json()["hazard_ids"], [hazard.pk])
        self.assertEqual(r.json()["answers"], 2)

    def test_bad_hazard_details_in_an_answer_are_named(self) -> None:
        for hazard, field in (
            ({"deadline": "next week"}, "answers.0.hazard.deadline"),
            ({"client_uuid": "not-a-uuid"}, "answers.0.hazard.client_uuid"),
        ):
            with self.subTest(field=field):
                body = self.body(
                    checklist_version=self.version.pk,
                    answers=[
                        {
                            "item": self.general_item.pk,
                            "result": Result.NON_COMPLIANT,
                            "hazard": hazard,
                        }
                    ],
                )
                self.assert_error(self.post(self.zhang, body), 422, field)
        self.assertEqual(Visit.objects.count(), 0)

    def test_unknown_item_is_named(self) -> None:
        body = self.body(
            checklist_version=self.version.pk,
            answers=[{"item": 999999, "result": Result.COMPLIANT}],
        )
        self.assert_error(self.post(self.zhang, body), 422, "answers")

    def test_a_failure_mid_submit_answers_422_and_leaves_nothing(self) -> None:
        before = counts()
        body = self.body(
            hazards=[
                {"name": "一", "deadline": days(5).isoformat()},
                {"name": "二", "deadline": days(5).isoformat()},
                {"name": "三"},
            ]
        )
        self.assert_error(self.post(self.zhang, body), 422, "deadline")
        self.assertEqual(counts(), before)

    def test_device_time_without_an_offset_is_read_as_local_time(self) -> None:
        r = self.post(self.zhang, self.body(started_at="2025-06-01T23:30:00"))
        self.assertEqual(r.status_code, 201, r.content)
        visit = Visit.objects.get()
        self.assertEqual(visit.visited_on, datetime.date(2025, 6, 1))
        self.assertEqual(timezone.localtime(visit.started_at).hour, 23)

    def test_end_before_start_is_named(self) -> None:
        r = self.post(
            self.zhang,
            self.body(started_at="2025-06-01T10:00:00+08:00", ended_at="2025-06-01T09:00:00+08:00"),
        )
        self.assert_error(r, 422, "ended_at")

    def test_unknown_companion_is_named(self) -> None:
        self.assert_error(
            self.post(self.li, self.body(kind=VisitKind.INSPECTION, people=[999999])), 422, "people"
        )

    def test_someone_elses_photo_is_refused(self) -> None:
        theirs = make_photo(self.wang)
        mine = make_photo(self.zhang)
        r = self.post(self.zhang, self.body(photos=[mine.pk, theirs.pk]))
        self.assert_error(r, 422, "photos")
        body = self.body(
            hazards=[{"name": "一", "deadline": days(5).isoformat(), "before_photos": [theirs.pk]}]
        )
        self.assert_error(self.post(self.zhang, body), 422, "photos")
        self.assertEqual(Visit.objects.count(), 0)
        r = self.post(self.zhang, self.body(photos=[mine.pk]))
        self.assertEqual(r.status_code, 201, r.content)
        self.assertEqual(list(Visit.objects.get().photos.all()), [mine])

    def test_missing_required_fields_are_named(self) -> None:
        body = self.body()
        del body["enterprise"]
        self.assert_error(self.post(self.zhang, body), 422, "enterprise")

    def test_hazards_found_on_a_patrol_are_referred_to_the_officer(self) -> None:
        photo = make_photo(self.zhang)
        body = self.body(
            hazards=[
                {
                    "name": "灭火器过期",
                    "rectify_type": RectifyType.IMMEDIATE,
                    "after_photos": [photo.pk],
                }
            ]
        )
        r = self.post(self.zhang, body)
        self.assertEqual(r.status_code, 201, r.content)
        hazard = Hazard.objects.get(pk=r.json()["hazard_ids"][0])
        self.assertEqual(hazard.status, Status.SUBMITTED)
        self.assertEqual(list(hazard.after_photos.all()), [photo])


class CompanionTests(VisitApiWorld):
    """The other people on a visit: active accounts of the enterprise's zone, in a role that
    takes part in that kind of visit; anyone else is named in `people` and nothing is kept."""

    other_zone: Region
    stranger: User
    retired: User
    zhao2: User
    eb_user: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.other_zone, office, _grid = make_neighbour_zone()
        cls.stranger = make_user("stranger", Role.OFFICER, region=office, certificate_no="执09")
        cls.retired = make_user(
            "retired", Role.OFFICER, region=cls.o1, certificate_no="执08", is_active=False
        )
        cls.zhao2 = make_user("zhao2", Role.ENTERPRISE, enterprise=cls.ea)
        cls.eb_user = make_user("eb_user", Role.ENTERPRISE, enterprise=cls.eb)

    def refused(self, by: User, kind: str, person: User, text: str) -> None:
        before = counts()
        with translation.override("en"), self.assertRaises(VisitError) as caught:
            record_visit(self.visit(by, kind=kind, people=[person.pk]), by=by)
        self.assertEqual(caught.exception.field, "people")
        self.assertIn(text, str(caught.exception))
        self.assertEqual(counts(), before)
        r = self.post(by, self.body(kind=kind, people=[person.pk]))
        self.assert_error(r, 422, "people", text)
        self.assertEqual(counts(), before)

    def test_each_kind_takes_the_roles_that_may_go_along(self) -> None:
        engage(self.sun, self.ea)
        cases = [
            (self.zhang, VisitKind.PATROL, self.wang),
            (self.li, VisitKind.INSPECTION, self.chen),
            (self.li, VisitKind.INSPECTION, self.sun),
            (self.sun, VisitKind.EXPERT_CHECK, make_user("sun2", Role.EXPERT, agency=self.agency)),
            (self.zhao, VisitKind.SELF_INSPECTION, self.zhao2),
            (self.zhou, VisitKind.LIAISON, self.li),
        ]
        for by, kind, person in cases:
            with self.subTest(kind=kind, person=person.username):
                visit, _c = record_visit(self.visit(by, kind=kind, people=[person.pk]), by=by)
                self.assertEqual(set(visit.people.all()), {by, person})

    def test_a_role_that_does_not_take_part_in_the_kind_is_named(self) -> None:
        for by, kind, person in (
            (self.zhang, VisitKind.PATROL, self.zhao),
            (self.zhang, VisitKind.PATROL, self.li),
            (self.li, VisitKind.INSPECTION, self.zhang),
            (self.li, VisitKind.INSPECTION, self.wu),
            (self.zhou, VisitKind.LIAISON, self.zhao),
        ):
            with self.subTest(kind=kind, person=person.username):
                self.refused(by, kind, person, "cannot take part")

    def test_an_enterprise_inspects_itself_with_its_own_people_only(self) -> None:
        self.refused(self.zhao, VisitKind.SELF_INSPECTION, self.eb_user, "cannot take part")

    def test_someone_of_another_zone_is_as_unknown_as_nobody(self) -> None:
        self.refused(self.li, VisitKind.INSPECTION, self.stranger, f"{self.stranger.pk}")
        r = self.post(self.li, self.body(kind=VisitKind.INSPECTION, people=[999999]))
        self.assert_error(r, 422, "people", "999999")

    def test_a_closed_account_is_named(self) -> None:
        self.refused(self.li, VisitKind.INSPECTION, self.retired, "closed")

    def test_naming_yourself_is_harmless(self) -> None:
        visit, _c = record_visit(self.visit(self.zhang, people=[self.zhang.pk]), by=self.zhang)
        self.assertEqual(list(visit.people.all()), [self.zhang])


class VisitTimeTests(VisitApiWorld):
    """A visit cannot start or end in the future; its hazards are found on the visit's day."""

    def test_start_or_end_in_the_future_is_named(self) -> None:
        later = timezone.now() + datetime.timedelta(hours=2)
        before = counts()
        for fields, field in (
            ({"started_at": later.isoformat()}, "started_at"),
            ({"ended_at": later.isoformat()}, "ended_at"),
            # A naive time is local: 2 hours ahead in Shanghai is still the future.
            (
                {"started_at": timezone.localtime(later).replace(tzinfo=None).isoformat()},
                "started_at",
            ),
        ):
            with self.subTest(field=field):
                self.assert_error(self.post(self.zhang, self.body(**fields)), 422, field, "future")
        self.assertEqual(counts(), before)

    def test_a_phone_clock_a_minute_ahead_is_accepted(self) -> None:
        ahead = timezone.now() + datetime.timedelta(minutes=1)
        r = self.post(
            self.zhang, self.body(started_at=ahead.isoformat(), ended_at=ahead.isoformat())
        )
        self.assertEqual(r.status_code, 201, r.content)

    def test_hazards_sent_days_later_are_found_on_the_day_of_the_visit(self) -> None:
        started = timezone.now() - datetime.timedelta(days=3)
        hazard = {"name": "消防通道堵塞", "deadline": days(7).isoformat()}
        r = self.post(self.zhang, self.body(started_at=started.isoformat(), hazards=[hazard]))
        self.assertEqual(r.status_code, 201, r.content)
        found = Hazard.objects.get(pk=r.json()["hazard_ids"][0]).found_on
        self.assertEqual(found, timezone.localtime(started).date())


class FieldCapabilityTest(SimpleTestCase):
    def test_the_field_page_opens_to_exactly_the_roles_that_have_a_kind_of_visit(self) -> None:
        # accounts cannot import fieldwork (a cycle), so the capability is written out there;
        # this keeps it equal to the union of KIND_ROLES.
        from anjian.accounts.permissions import CAPABILITIES
        from anjian.fieldwork.services import KIND_ROLES

        self.assertEqual(CAPABILITIES["fieldwork.record"], frozenset().union(*KIND_ROLES.values()))
