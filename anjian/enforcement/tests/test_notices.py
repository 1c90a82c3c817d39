"""Rectification notices (责令限期整改指令书 / 整改通知书): gapless numbers per type and year,
also under concurrent issuing; the .docx and .pdf read back; issuing, reading and serving on
the permission ladder, on the pages and in the API."""

from __future__ import annotations

import datetime
import io
import json
import time
import uuid
from typing import Any

import docx
from django.db import transaction
from django.test import TransactionTestCase, override_settings
from django.utils import timezone
from pypdf import PdfReader

from anjian.accounts.models import User
from anjian.audit.models import Entry
from anjian.documents.models import Counter
from anjian.enforcement.models import Notice, NoticeType
from anjian.enforcement.notices import (
    NoticeData,
    NoticeError,
    issue_notice,
    notice_data,
    serve_notice,
)
from anjian.enforcement.rendering import render_notice_docx, render_notice_pdf
from anjian.fieldwork.models import Outcome, Visit, VisitKind
from anjian.fieldwork.schemas import HazardFound, VisitIn
from anjian.fieldwork.services import record_visit
from anjian.hazards.models import Hazard
from anjian.hazards.tests.factories import HazardWorld, days, general, make_photo, step, today
from anjian.hazards.workflow import register_hazard
from anjian.lib.errors import NotAllowed
from anjian.notifications.models import Kind, Notification
from anjian.races import race_office, run_together, shared_database

API = "/api/v1/notices"


def visit_with_hazards(officer: User, enterprise: Any, *names: str) -> Visit:
    visit, _created = record_visit(
        VisitIn(
            client_uuid=uuid.uuid4(),
            kind=VisitKind.INSPECTION,
            enterprise=enterprise.pk,
            outcome=Outcome.INSPECTED,
            started_at=timezone.now(),
            hazards=[HazardFound(**general(name=n, location="一号车间")) for n in names],
        ),
        by=officer,
    )
    return visit


def pdf_text(content: bytes) -> str:
    """The PDF's text without the spaces and NULs pypdf puts between the two-byte CID glyphs
    of an embedded CJK font (poppler's pdftotext reads the same file without them)."""
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return "".join(text.replace("\x00", "").split())


def docx_text(content: bytes) -> tuple[list[str], list[list[str]]]:
    document = docx.Document(io.BytesIO(content))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    return paragraphs, cells


class NoticeWorld(HazardWorld):
    def hazard(self, enterprise: Any = None, by: User | None = None, **data: Any) -> Hazard:
        return register_hazard(enterprise or self.ea, general(**data), by=by or self.li)

    def api(self, method: str, path: str, user: User | None, body: Any = None) -> Any:
        if user is not None:
            self.client.force_login(user)
        if body is None:
            return getattr(self.client, method)(path)
        return getattr(self.client, method)(
            path, json.dumps(body, default=str), content_type="application/json"
        )


class NumberingTests(NoticeWorld):
    def test_numbers_run_per_type_and_year_in_the_configured_form(self) -> None:
        year = today().year
        first = issue_notice([self.hazard()], by=self.li)
        second = issue_notice([self.hazard()], by=self.li)
        notice = issue_notice([self.hazard()], by=self.li, type=NoticeType.NOTICE)
        self.assertEqual(first.number, f"安监责改〔{year}〕第1号")
        self.assertEqual(second.number, f"安监责改〔{year}〕第2号")
        self.assertEqual(notice.number, f"安监整改〔{year}〕第1号")
        self.assertEqual((second.type, second.year, second.seq), (NoticeType.ORDER, year, 2))

    def test_a_new_year_starts_again_at_one(self) -> None:
        last_year = today().replace(month=1, day=1) - datetime.timedelta(days=1)
        old = issue_notice([self.hazard()], by=self.li, issued_on=last_year)
        issue_notice([self.hazard()], by=self.li, issued_on=last_year)
        new = issue_notice([self.hazard()], by=self.li)
        self.assertEqual((old.year, old.seq), (last_year.year, 1))
        self.assertEqual((new.year, new.seq), (today().year, 1))
        counters = dict(Counter.objects.values_list("year", "last"))
        self.assertEqual(counters, {last_year.year: 2, today().year: 1})

    @override_settings(NOTICE_NUMBER_WORDS={"order": "东安监责", "notice": "东安监改"})
    def test_the_word_before_the_year_is_set_per_type(self) -> None:
        n = issue_notice([self.hazard()], by=self.li)
        self.assertEqual(n.number, f"东安监责〔{today().year}〕第1号")

    @override_settings(NOTICE_REVIEW_PERIOD="三十日", NOTICE_SUIT_PERIOD="三个月")
    def test_the_orders_review_and_suit_periods_are_settings(self) -> None:
        remedy = notice_data(issue_notice([self.hazard()], by=self.li)).remedy
        self.assertIn("在三十日内申请行政复议", remedy)
        self.assertIn("在三个月内依法向人民法院提起行政诉讼", remedy)
        self.assertNotIn("六十日", remedy)

    def test_the_periods_default_to_the_wording_to_confirm_locally(self) -> None:
        remedy = notice_data(issue_notice([self.hazard()], by=self.li)).remedy
        self.assertIn("在六十日内申请行政复议，或者在六个月内", remedy)

    def test_a_notice_that_fails_to_issue_leaves_no_gap(self) -> None:
        issue_notice([self.hazard()], by=self.li)
        h = self.hazard()
        with self.assertRaises(RuntimeError), transaction.atomic():
            issue_notice([h], by=self.li)
            raise RuntimeError("the request failed after the number was taken")
        self.assertFalse(Notice.objects.filter(hazards=h).exists())
        again = issue_notice([h], by=self.li)
        self.assertEqual(again.seq, 2)

    def test_refused_input_takes_no_number(self) -> None:
        with self.assertRaises(NoticeError):
            issue_notice([self.hazard(deadline=None)], by=self.li)  # no deadline anywhere
        self.assertEqual(issue_notice([self.hazard()], by=self.li).seq, 1)


class IssueRulesTests(NoticeWorld):
    def test_a_visits_open_hazards_go_into_one_notice(self) -> None:
        visit = visit_with_hazards(self.li, self.ea, "安全出口锁闭", "配电箱前堆放杂物")
        closed = register_hazard(
            self.ea,
            general(name="灭火器过期", rectify_type="0", deadline=None),
            by=self.li,
            origin=visit,
            after_photos=[make_photo(self.li)],
        )
        notice = issue_notice(visit, by=self.li, requirements="整改后书面报告")
        names = set(notice.hazards.values_list("name", flat=True))
        self.assertEqual(names, {"安全出口锁闭", "配电箱前堆放杂物"})
        self.assertNotIn(closed.name, names)
        self.assertEqual((notice.visit_id, notice.enterprise_id), (visit.pk, self.ea.pk))
        self.assertEqual(notice.deadline, days(30))  # the hazards' latest deadline
        entry = Entry.objects.get(action="notice.issue")
        self.assertEqual(entry.changes["number"], notice.number)

    def test_hazards_of_two_enterprises_are_refused(self) -> None:
        with self.assertRaises(NoticeError) as caught:
            issue_notice([self.hazard(self.ea), self.hazard(self.ea2)], by=self.li)
        self.assertEqual(caught.exception.field, "hazards")

    def test_a_closed_hazard_is_refused(self) -> None:
        h = self.hazard()
        step(h, "submit", self.li, make_photo(self.li))
        step(h, "accept", self.li)
        with self.assertRaisesMessage(NoticeError, "is closed"):
            issue_notice([h], by=self.li)

    def test_a_deadline_before_the_day_of_issue_is_refused(self) -> None:
        with self.assertRaises(NoticeError) as caught:
            issue_notice([self.hazard()], by=self.li, deadline=days(-1))
        self.assertEqual(caught.exception.field, "deadline")

    def test_a_visit_without_open_hazards_is_refused(self) -> None:
        visit = visit_with_hazards(self.li, self.ea)
        with self.assertRaises(NoticeError) as caught:
            issue_notice(visit, by=self.li)
        self.assertEqual(caught.exception.field, "visit")

    def test_the_enterprise_users_are_told(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            notice = issue_notice([self.hazard()], by=self.li)
        note = Notification.objects.get(recipient=self.zhao, kind=Kind.NOTICE_ISSUED)
        self.assertIn(notice.number, note.text)
        self.assertEqual(note.target, f"/notices/{notice.pk}/")


class IssueLadderTests(NoticeWorld):
    def test_only_officers_issue_an_order(self) -> None:
        h = self.hazard()
        for user in (self.chen, self.zhang, self.zhao, self.sun, self.zhou, self.wu):
            with self.subTest(user=user.username), self.assertRaises(NotAllowed):
                issue_notice([h], by=user)

    def test_the_zone_office_may_send_a_notice(self) -> None:
        n = issue_notice([self.hazard()], by=self.chen, type=NoticeType.NOTICE)
        self.assertEqual(n.issued_by, self.chen)

    def test_an_officer_of_another_office_does_not_find_the_hazards(self) -> None:
        from django.http import Http404

        with self.assertRaises(Http404):
            issue_notice([self.hazard()], by=self.qian)

    def test_api_anonymous_gets_401(self) -> None:
        r = self.api("post", API, None, {"hazards": [self.hazard().pk]})
        self.assertEqual(r.status_code, 401)

    def test_api_wrong_role_gets_403(self) -> None:
        h = self.hazard()
        for user in (self.zhang, self.zhao, self.chen):
            with self.subTest(user=user.username):
                r = self.api("post", API, user, {"hazards": [h.pk]})
                self.assertEqual(r.status_code, 403, r.content)
        self.assertFalse(Notice.objects.exists())

    def test_api_officer_of_another_office_gets_404(self) -> None:
        r = self.api("post", API, self.qian, {"hazards": [self.hazard().pk]})
        self.assertEqual(r.status_code, 404)

    def test_api_officer_in_scope_issues_from_a_visit(self) -> None:
        visit = visit_with_hazards(self.li, self.ea, "安全出口锁闭", "配电箱前堆放杂物")
        r = self.api("post", API, self.li, {"visit": visit.pk, "deadline": days(20)})
        self.assertEqual(r.status_code, 201, r.content)
        body = r.json()
        self.assertEqual(body["number"], f"安监责改〔{today().year}〕第1号")
        self.assertEqual(len(body["hazard_ids"]), 2)
        self.assertEqual((body["visit_id"], body["deadline"]), (visit.pk, days(20).isoformat()))
        self.assertEqual(body["docx"], f"/api/v1/notices/{body['id']}.docx")

    def test_api_bad_input_names_the_field(self) -> None:
        cases = [
            ({"hazards": [self.hazard().pk, self.hazard(self.ea2).pk]}, "hazards"),
            ({"hazards": [self.hazard().pk], "deadline": days(-3)}, "deadline"),
            ({"hazards": [self.hazard().pk], "type": "penalty"}, "type"),
            ({"hazards": []}, "hazards"),
            ({"hazards": [self.hazard().pk], "deadline": "31/12"}, "deadline"),
        ]
        for body, field in cases:
            with self.subTest(field=field, body=body):
                r = self.api("post", API, self.li, body)
                self.assertEqual(r.status_code, 422, r.content)
                self.assertIn(field, [e["field"] for e in r.json()["errors"]])
        self.assertFalse(Notice.objects.exists())
        self.assertFalse(Counter.objects.filter(last__gt=0).exists())


class ReadLadderTests(NoticeWorld):
    notice: Notice

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        h = register_hazard(cls.ea, general(name="安全出口锁闭"), by=cls.li)
        cls.notice = issue_notice([h], by=cls.li)

    def test_api_each_role_reads_notices_in_its_scope(self) -> None:
        sees = {self.chen, self.li, self.zhang, self.zhao, self.zhou, self.wu}
        for user in (*sees, self.qian, self.wang, self.sun, self.nobody):
            with self.subTest(user=user.username):
                r = self.api("get", f"{API}/{self.notice.pk}", user)
                self.assertEqual(r.status_code, 200 if user in sees else 404)
                listed = [n["id"] for n in self.api("get", API, user).json()["items"]]
                self.assertEqual(listed, [self.notice.pk] if user in sees else [])

    def test_api_anonymous_gets_401(self) -> None:
        self.assertEqual(self.api("get", f"{API}/{self.notice.pk}", None).status_code, 401)
        self.assertEqual(self.api("get", f"{API}/{self.notice.pk}.pdf", None).status_code, 401)

    def test_api_downloads_the_documents(self) -> None:
        r = self.api("get", f"{API}/{self.notice.pk}.docx", self.zhao)
        self.assertEqual(r.status_code, 200)
        self.assertTrue(r["Content-Type"].startswith("application/vnd.openxmlformats"))
        paragraphs, _cells = docx_text(r.content)
        self.assertIn(self.notice.number, paragraphs)
        r = self.api("get", f"{API}/{self.notice.pk}.pdf", self.zhao)
        self.assertEqual((r.status_code, r["Content-Type"]), (200, "application/pdf"))
        self.assertIn(self.notice.number, pdf_text(r.content))
        self.assertEqual(self.api("get", f"{API}/{self.notice.pk}.pdf", self.wang).status_code, 404)

    def test_list_page_is_scoped_and_its_queries_are_pinned(self) -> None:
        h = register_hazard(self.ea2, general(), by=self.li)
        for _ in range(3):
            issue_notice([h], by=self.li)
        self.client.force_login(self.li)
        # session, user with its region (scope), the page with its joins, the unread
        # badge
        with self.assertNumQueries(4):
            r = self.client.get("/notices/")
        self.assertContains(r, self.notice.number)
        self.client.force_login(self.qian)
        self.assertNotContains(self.client.get("/notices/"), self.notice.number)

    def test_pages_walk_the_ladder(self) -> None:
        url = f"/notices/{self.notice.pk}/"
        self.assertEqual(self.client.get(url).status_code, 302)  # to the login page
        self.client.force_login(self.wang)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.get(f"/notices/{self.notice.pk}.docx").status_code, 404)
        self.client.force_login(self.zhao)
        r = self.client.get(url)
        self.assertContains(r, self.notice.number)
        self.assertNotContains(r, 'id="serve-form"')  # the enterprise signs; it does not serve
        r = self.client.get(f"/notices/{self.notice.pk}.pdf")
        self.assertEqual(r["Content-Type"], "application/pdf")
        self.assertIn("filename*=UTF-8''", r["Content-Disposition"])


class ListFilterTests(NoticeWorld):
    """The list page and GET /api/v1/notices filter alike: service state, type, and by
    enterprise, visit or hazard; bad values are named, never a 500."""

    def setUp(self) -> None:
        super().setUp()
        self.first, self.second = self.hazard(name="安全出口锁闭"), self.hazard(self.ea2)
        self.unserved = issue_notice([self.first], by=self.li)
        self.served = issue_notice([self.second], by=self.li, type=NoticeType.NOTICE)
        serve_notice(self.served, served_on=today(), received_by="王厂长", by=self.li)
        self.client.force_login(self.li)

    def listed(self, query: str) -> tuple[list[int], list[int]]:
        """(the API's ids, the page's ids) for the same query."""
        api = self.client.get(f"{API}?{query}&with_count=true").json()
        self.assertEqual(api["count"], len(api["items"]))
        page = self.client.get(f"/notices/?{query}")
        self.assertEqual(page.status_code, 200)
        return [n["id"] for n in api["items"]], [n.pk for n in page.context["page"].items]

    def test_each_filter_keeps_its_notices_on_the_page_and_in_the_api(self) -> None:
        both = [self.served.pk, self.unserved.pk]
        cases = {
            "state=unserved": [self.unserved.pk],
            "state=served": [self.served.pk],
            "type=notice": [self.served.pk],
            f"enterprise={self.ea2.pk}": [self.served.pk],
            f"hazard={self.first.pk}": [self.unserved.pk],
            f"enterprise={self.eb.pk}": [],  # out of scope: nothing, as before
            "": both,
        }
        for query, expected in cases.items():
            with self.subTest(query=query):
                api, page = self.listed(query)
                self.assertEqual(sorted(api), sorted(expected))
                self.assertEqual(sorted(page), sorted(expected))

    def test_a_notice_of_two_hazards_is_listed_once(self) -> None:
        third = self.hazard(name="灭火器过期")
        both = issue_notice([self.first, third], by=self.li)
        api, page = self.listed("state=unserved")
        self.assertEqual(sorted(api), sorted([both.pk, self.unserved.pk]))
        self.assertEqual(sorted(page), sorted(api))

    def test_a_bad_filter_is_named_not_a_500(self) -> None:
        r = self.client.get(f"{API}?state=lost&visit=0")
        self.assertEqual(r.status_code, 422)
        self.assertEqual({e["field"] for e in r.json()["errors"]}, {"state", "visit"})
        r = self.client.get("/notices/?state=lost")
        self.assertEqual(r.status_code, 200)
        self.assertTrue(r.context["filter"].errors["state"])
        self.assertEqual(list(r.context["page"].items), [])
        # An id beyond the database's integer range is named too, never a query.
        huge = 2**64
        r = self.client.get(f"{API}?enterprise={huge}&hazard={huge}&visit={huge}")
        self.assertEqual(r.status_code, 422)
        self.assertEqual(
            {e["field"] for e in r.json()["errors"]}, {"enterprise", "hazard", "visit"}
        )
        r = self.client.get(f"/notices/?enterprise={huge}")
        self.assertEqual(r.status_code, 200)
        self.assertTrue(r.context["filter"].errors["enterprise"])

    def test_the_page_keeps_the_filter_it_was_given(self) -> None:
        r = self.client.get(f"/notices/?state=unserved&enterprise={self.ea.pk}")
        self.assertContains(r, f'name="enterprise" value="{self.ea.pk}"')
        self.assertContains(r, '<option value="unserved" selected>', html=False)


class ServeTests(NoticeWorld):
    def test_the_officer_records_service_and_who_signed(self) -> None:
        notice = issue_notice([self.hazard()], by=self.li)
        self.client.force_login(self.li)
        r = self.client.post(
            f"/notices/{notice.pk}/serve/", {"served_on": today(), "received_by": "王厂长"}
        )
        self.assertRedirects(r, f"/notices/{notice.pk}/")
        notice.refresh_from_db()
        self.assertEqual((notice.served_on, notice.received_by), (today(), "王厂长"))
        self.assertTrue(Entry.objects.filter(action="notice.serve").exists())
        paragraphs, _cells = docx_text(render_notice_docx(notice_data(notice)))
        signed = [p for p in paragraphs if p.startswith("被检查单位负责人（签收）")]
        self.assertIn("王厂长", signed[0])

    def test_service_before_issue_or_unsigned_is_refused(self) -> None:
        notice = issue_notice([self.hazard()], by=self.li)
        with self.assertRaises(NoticeError) as caught:
            serve_notice(notice, served_on=days(-1), received_by="王厂长", by=self.li)
        self.assertEqual(caught.exception.field, "served_on")
        r = self.api(
            "post",
            f"{API}/{notice.pk}/service",
            self.li,
            {"served_on": today(), "received_by": " "},
        )
        self.assertEqual(r.status_code, 422)
        self.assertEqual(r.json()["errors"][0]["field"], "received_by")

    def test_others_cannot_serve(self) -> None:
        notice = issue_notice([self.hazard()], by=self.li)
        body = {"served_on": today(), "received_by": "王厂长"}
        self.assertEqual(
            self.api("post", f"{API}/{notice.pk}/service", self.zhao, body).status_code, 403
        )
        self.assertEqual(
            self.api("post", f"{API}/{notice.pk}/service", self.qian, body).status_code, 404
        )


class IssuePageTests(NoticeWorld):
    def test_an_officer_issues_from_a_visit(self) -> None:
        visit = visit_with_hazards(self.li, self.ea, "安全出口锁闭", "配电箱前堆放杂物")
        ids = list(visit.hazards.values_list("pk", flat=True))
        self.client.force_login(self.li)
        r = self.client.get(f"/notices/new/?visit={visit.pk}")
        self.assertContains(r, "安全出口锁闭")
        self.assertContains(r, "checked", count=2)
        r = self.client.post(
            f"/notices/new/?visit={visit.pk}",
            {"type": "order", "hazards": ids, "deadline": days(10), "requirements": ""},
        )
        notice = Notice.objects.get()
        self.assertRedirects(r, f"/notices/{notice.pk}/")
        self.assertEqual((notice.visit_id, notice.deadline), (visit.pk, days(10)))

    def test_the_page_offers_the_types_the_role_may_issue(self) -> None:
        h = self.hazard()
        self.client.force_login(self.chen)
        r = self.client.get(f"/notices/new/?hazard={h.pk}")
        self.assertContains(r, 'value="notice"')
        self.assertNotContains(r, 'value="order"')

    def test_ladder(self) -> None:
        h = self.hazard()
        url = f"/notices/new/?hazard={h.pk}"
        self.assertEqual(self.client.get(url).status_code, 302)
        for user, status in ((self.zhang, 403), (self.zhao, 403), (self.qian, 404), (self.li, 200)):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(url).status_code, status)

    def test_errors_come_back_on_the_form(self) -> None:
        h = self.hazard(deadline=None)
        self.client.force_login(self.li)
        r = self.client.post(f"/notices/new/?hazard={h.pk}", {"type": "order", "hazards": [h.pk]})
        self.assertContains(r, "Give the day by which to rectify.")
        self.assertFalse(Notice.objects.exists())

    def test_the_hazard_and_visit_pages_offer_issuing_to_officers(self) -> None:
        visit = visit_with_hazards(self.li, self.ea, "安全出口锁闭")
        h = visit.hazards.get()
        notice = issue_notice(visit, by=self.li)
        for user, may_issue in ((self.li, True), (self.zhao, False)):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                page = self.client.get(f"/hazards/{h.pk}/")
                self.assertContains(page, f"/notices/{notice.pk}.docx")
                self.assertEqual(f"/notices/new/?hazard={h.pk}" in page.text, may_issue)
        self.client.force_login(self.li)
        page = self.client.get(f"/field/visits/{visit.pk}/")
        self.assertContains(page, notice.number)
        self.assertContains(page, f"/notices/new/?visit={visit.pk}")

    def test_the_hazard_panel_links_to_issuing_and_to_the_documents(self) -> None:
        from django.test import RequestFactory

        from anjian.hazards.pages import HAZARD_PAGE

        h = self.hazard()
        notice = issue_notice([h], by=self.li)
        request = RequestFactory().get("/")
        for user, may_issue in ((self.li, True), (self.zhao, False)):
            with self.subTest(user=user.username):
                request.user = user
                html = "".join(HAZARD_PAGE.render(request, h))
                self.assertIn(f"/notices/{notice.pk}.pdf", html)
                self.assertEqual(f"/notices/new/?hazard={h.pk}" in html, may_issue)


def sample_data(**changes: Any) -> NoticeData:
    data = NoticeData(
        type=NoticeType.ORDER,
        title="责令限期整改指令书",
        number="安监责改〔2026〕第12号",
        authority="示范区安全生产监督管理办公室",
        enterprise="杨桥精密机械有限公司",
        uscc="91320500MA1X00000X",
        address="杨桥路1号",
        principal="王五",
        inspected_on=datetime.date(2026, 5, 1),
        hazards=[],
        deadline=datetime.date(2026, 5, 30),
        requirements="整改完成后书面报告",
        legal_basis="依据《中华人民共和国安全生产法》第六十五条第一款第（三）项的规定，现责令你单位于2026年5月30日前整改完毕。",
        remedy="如果不服本指令，可以依法在六十日内申请行政复议。",
        issuer="李明",
        certificate_no="执01",
        issued_on=datetime.date(2026, 5, 2),
        served_on=None,
        received_by="",
    )
    return data.__class__(**{**data.__dict__, **changes})


class DocumentTests(NoticeWorld):
    def data(self) -> NoticeData:
        a = self.hazard(name="安全出口锁闭", location="一号车间", basis="GB 55037-2022 第2.2.4条")
        b = self.hazard(name="配电箱前堆放杂物", deadline=days(10))
        return notice_data(issue_notice([a, b], by=self.li, requirements="整改后报送照片"))

    def test_the_docx_reads_back_with_its_number_hazards_and_signatures(self) -> None:
        data = self.data()
        paragraphs, cells = docx_text(render_notice_docx(data))
        self.assertEqual(
            paragraphs[:3], ["示范区安全生产监督管理办公室", "责令限期整改指令书", data.number]
        )
        self.assertIn("杨桥精密机械有限公司：", paragraphs)
        self.assertEqual(cells[0], ["序号", "隐患", "部位", "判定依据", "整改期限"])
        self.assertEqual(cells[1][:4], ["1", "安全出口锁闭", "一号车间", "GB 55037-2022 第2.2.4条"])
        self.assertEqual(cells[2][1], "配电箱前堆放杂物")
        self.assertTrue(any("第六十五条" in p and "前整改完毕" in p for p in paragraphs))
        self.assertIn("整改要求：整改后报送照片", paragraphs)
        self.assertIn("执法人员（签名）：li　　证号：执01", paragraphs)

    def test_the_pdf_reads_back_in_chinese(self) -> None:
        data = self.data()
        text = pdf_text(render_notice_pdf(data))
        for expected in (
            "责令限期整改指令书",
            data.number,
            "杨桥精密机械有限公司",
            "安全出口锁闭",
            "配电箱前堆放杂物",
            "第六十五条",
            "证号：执01",
        ):
            with self.subTest(expected=expected):
                self.assertIn(expected, text)

    def test_a_notice_has_its_own_title_and_no_appeal_clause(self) -> None:
        h = self.hazard()
        data = notice_data(issue_notice([h], by=self.chen, type=NoticeType.NOTICE))
        paragraphs, _cells = docx_text(render_notice_docx(data))
        self.assertEqual(paragraphs[1], "隐患整改通知书")
        self.assertFalse(any("行政复议" in p for p in paragraphs))
        self.assertIn("经办人：chen", paragraphs)

    def test_a_long_hazard_name_wraps_inside_its_cell(self) -> None:
        from anjian.enforcement.notices import HazardLine

        long = "粉尘涉爆除尘系统未按规定设置泄爆、隔爆、抑爆装置且未定期清理积尘" * 3
        data = sample_data(hazards=[HazardLine(long, "", "", "", None)])
        self.assertIn(long, pdf_text(render_notice_pdf(data)))

    @override_settings(PDF_CJK_FONTS=[("/nonexistent/font.ttc", 0)])
    def test_without_a_chinese_font_the_pdf_answers_503(self) -> None:
        notice = issue_notice([self.hazard()], by=self.li)
        r = self.api("get", f"{API}/{notice.pk}.pdf", self.li)
        self.assertEqual(r.status_code, 503)
        self.assertIn("fonts-noto-cjk", r.json()["detail"])


# --- concurrency ---------------------------------------------------------------------------


class NumberingRaceTests(TransactionTestCase):
    """Two officers issuing at once, each through their own connection, many times over."""

    def setUp(self) -> None:
        _zone, _grid, self.ea, self.li, self.ma = race_office()
        self.hazard = register_hazard(self.ea, general(), by=self.li)

    def issue_many(self, officer: User, count: int) -> list[int]:
        seqs = []
        for _ in range(count):
            with transaction.atomic():
                n = issue_notice([self.hazard.pk], by=User.objects.get(pk=officer.pk))
                # Hold the transaction (and the counter's lock) so the other officer's
                # issue really overlaps it.
                time.sleep(0.02)
            seqs.append(n.seq)
        return seqs

    def test_two_officers_issuing_at_once_get_gapless_distinct_numbers(self) -> None:
        with shared_database() as bind:
            results = run_together(
                bind(lambda: self.issue_many(self.li, 5)), bind(lambda: self.issue_many(self.ma, 5))
            )
        for r in results:
            self.assertIsInstance(r, list, results)
        taken = sorted(results[0] + results[1])
        self.assertEqual(taken, list(range(1, 11)))
        year = timezone.localdate().year
        numbers = set(Notice.objects.values_list("number", flat=True))
        self.assertEqual(numbers, {f"安监责改〔{year}〕第{i}号" for i in range(1, 11)})
        self.assertEqual(Counter.objects.get(kind=NoticeType.ORDER, year=year).last, 10)
