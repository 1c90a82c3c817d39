"""Coverage on a hand-built quarter: required vs done per enterprise, grid and person, the
enterprises not yet visited, non-inspection outcomes counted apart; the policy table; the
page and API on the permission ladder, with pinned query counts."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anjian.accounts.models import User
from anjian.accounts.scope import forget_scope
from anjian.audit.models import Entry
from anjian.coverage import services as coverage
from anjian.coverage.models import CoveragePolicy
from anjian.coverage.services import CoverageQuery
from anjian.enterprises.models import Enterprise, RiskClass, Sector, Status
from anjian.enterprises.tests.helpers import EnglishWorld
from anjian.fieldwork.models import Outcome, Visit, VisitKind
from anjian.lib.errors import NotAllowed
from anjian.lib.periods import Period, PeriodError
from anjian.test import error_fields, make_enterprise, make_neighbour_zone

Q3 = "2026Q3"


def visit(
    enterprise: Enterprise,
    by: User,
    day: str | datetime.date,
    outcome: str = Outcome.INSPECTED,
    kind: str = VisitKind.PATROL,
    people: tuple[User, ...] = (),
) -> Visit:
    """A visit row as record_visit leaves it: its place copied from the enterprise, the
    recorder among its people."""
    on = day if isinstance(day, datetime.date) else datetime.date.fromisoformat(day)
    started = datetime.datetime.combine(on, datetime.time(10), tzinfo=datetime.UTC)
    v = Visit.objects.create(
        client_uuid=uuid.uuid4(),
        kind=kind,
        enterprise=enterprise,
        grid_id=enterprise.grid_id,
        office_id=enterprise.office_id,
        zone_id=enterprise.zone_id,
        recorded_by=by,
        started_at=started,
        visited_on=on,
        outcome=outcome,
    )
    v.people.add(by, *people)
    return v


class CoverageWorld(EnglishWorld):
    """Six enterprises and their visits in the third quarter of 2026 (see each line)."""

    ec: Enterprise
    ed: Enterprise
    ex: Enterprise

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.ec = make_enterprise(cls.grid_a, "杨桥化工", sector=Sector.HAZARDOUS_CHEMICALS)
        cls.ed = make_enterprise(cls.grid_a, "杨桥铸造", risk_class=RiskClass.RED)
        cls.ex = make_enterprise(cls.grid_a, "杨桥旧厂", status=Status.CLOSED)
        # ea: two checks (a patrol and an inspection); visits outside Q3 and its own
        # self-inspection do not count.
        visit(cls.ea, cls.zhang, "2026-07-10")
        visit(cls.ea, cls.li, "2026-08-05", kind=VisitKind.INSPECTION)
        visit(cls.ea, cls.zhang, "2026-06-30")
        visit(cls.ea, cls.zhang, "2026-10-01")
        visit(cls.ea, cls.zhao, "2026-08-20", kind=VisitKind.SELF_INSPECTION)
        # ea2: nothing. ec (monthly): one check and one locked door.
        visit(cls.ec, cls.zhang, "2026-07-15")
        visit(cls.ec, cls.zhang, "2026-08-15", outcome=Outcome.LOCKED)
        # ed (red, monthly): a locked door only. ex: found closed.
        visit(cls.ed, cls.zhang, "2026-09-01", outcome=Outcome.LOCKED)
        visit(cls.ex, cls.zhang, "2026-07-20", outcome=Outcome.CLOSED)
        # eb: one patrol by Wang with Officer Qian along.
        visit(cls.eb, cls.wang, "2026-09-30", people=(cls.qian,))

    def rows(self, user: User, period: str = Q3, **kw: Any) -> dict[str, coverage.EnterpriseRow]:
        query = CoverageQuery(user=user, period=Period.parse(period), **kw)
        return {r.name: r for r in coverage.enterprise_rows(query)}


class PeriodTests(EnglishWorld):
    def test_periods_are_parsed_in_several_spellings(self) -> None:
        q = Period.parse("2026Q3")
        self.assertEqual(
            (q.start, q.end, q.months), (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30), 3)
        )
        self.assertEqual(Period.parse("2026-q3"), q)
        self.assertEqual(Period.parse("2026-12").end, datetime.date(2026, 12, 31))
        self.assertEqual(Period.parse("2026M02").end, datetime.date(2026, 2, 28))
        self.assertEqual(Period.parse("2026").end, datetime.date(2026, 12, 31))
        self.assertEqual(Period.parse("2026Q4").code, "2026Q4")

    def test_nonsense_periods_are_refused(self) -> None:
        for text in ("2026Q5", "2026-13", "Q3", "1999", "next quarter"):
            with self.subTest(text=text), self.assertRaises(PeriodError):
                Period.parse(text)


class CoverageNumbersTests(CoverageWorld):
    def test_per_enterprise_required_done_and_other_outcomes(self) -> None:
        rows = self.rows(self.chen)
        got = {name: (r.required, r.done, r.outcomes) for name, r in rows.items()}
        self.assertEqual(
            got,
            {
                self.ea.name: (1, 2, {}),
                self.ea2.name: (1, 0, {}),
                "杨桥化工": (3, 1, {"locked": 1}),
                "杨桥铸造": (3, 0, {"locked": 1}),
                "杨桥旧厂": (0, 0, {"closed": 1}),
                self.eb.name: (1, 1, {}),
            },
        )
        self.assertEqual(rows[self.ea.name].last_visit, datetime.date(2026, 8, 5))
        self.assertTrue(rows[self.ea.name].met)
        self.assertTrue(rows["杨桥铸造"].unvisited)
        self.assertFalse(rows["杨桥化工"].unvisited)
        self.assertTrue(rows["杨桥化工"].due)
        self.assertFalse(rows["杨桥旧厂"].due)

    def test_totals_count_other_outcomes_apart(self) -> None:
        query = CoverageQuery(user=self.chen, period=Period.parse(Q3))
        totals = coverage.totals(query, coverage.grid_rows(query))
        self.assertEqual(
            totals,
            {
                "enterprises": 5,
                "met": 2,
                "unvisited": 2,
                "required": 9,
                "checks": 4,
                "other": 3,
                "other_by_outcome": {"closed": 1, "locked": 2},
                "rate": 0.4,
            },
        )

    def test_grid_rollup(self) -> None:
        query = CoverageQuery(user=self.chen, period=Period.parse(Q3))
        grids = {g.grid_name: g for g in coverage.grid_rows(query)}
        a = grids[self.grid_a.name]
        self.assertEqual(
            (a.enterprises, a.met, a.unvisited, a.required, a.checks, a.other), (3, 1, 1, 7, 3, 3)
        )
        a2 = grids[self.grid_a2.name]
        self.assertEqual((a2.enterprises, a2.unvisited, a2.checks, a2.rate), (1, 1, 0, 0.0))
        b = grids[self.grid_b.name]
        self.assertEqual((b.enterprises, b.met, b.checks, b.rate), (1, 1, 1, 1.0))

    def test_person_rollup(self) -> None:
        query = CoverageQuery(user=self.chen, period=Period.parse(Q3))
        people = {p.name: p for p in coverage.person_rows(query, coverage.grid_rows(query))}
        self.assertEqual(set(people), {"zhang", "wang", "li", "qian"})
        zhang = people["zhang"]
        self.assertEqual(
            (
                zhang.grids,
                zhang.required,
                zhang.unvisited,
                zhang.checks,
                zhang.enterprises,
                zhang.other,
            ),
            ([self.grid_a.name], 7, 1, 2, 2, 3),
        )
        li = people["li"]
        self.assertEqual((li.grids, li.required, li.checks, li.enterprises), ([], None, 1, 1))
        self.assertEqual((people["qian"].checks, people["wang"].required), (1, 1))

    def test_a_quarterly_rule_asks_nothing_of_a_month(self) -> None:
        rows = self.rows(self.chen, "2026-08")
        self.assertEqual(rows[self.ea.name].required, 0)
        self.assertEqual((rows["杨桥化工"].required, rows["杨桥化工"].done), (1, 0))
        self.assertTrue(rows["杨桥化工"].unvisited)
        self.assertEqual(rows[self.ea.name].done, 1)

    def test_a_year_asks_four_quarters(self) -> None:
        rows = self.rows(self.chen, "2026")
        self.assertEqual((rows[self.ea.name].required, rows[self.ea.name].done), (4, 4))
        self.assertEqual(rows["杨桥化工"].required, 12)

    def test_scope_and_filters_narrow_the_rows(self) -> None:
        self.assertEqual(
            set(self.rows(self.li)),
            {self.ea.name, self.ea2.name, "杨桥化工", "杨桥铸造", "杨桥旧厂"},
        )
        self.assertEqual(set(self.rows(self.wang)), {self.eb.name})
        self.assertEqual(len(self.rows(self.zhang)), 4)
        self.assertEqual(set(self.rows(self.chen, office_id=self.o2.pk)), {self.eb.name})
        self.assertEqual(set(self.rows(self.chen, grid_id=self.grid_a2.pk)), {self.ea2.name})

    def test_rows_take_the_same_queries_for_six_and_thirty_enterprises(self) -> None:
        forget_scope(self.chen)
        query = CoverageQuery(user=self.chen, period=Period.parse(Q3))
        # the policy rows, the rows (computed in SQL), and the other outcomes of those rows
        # (the scope is made of the user's region, loaded with the user)
        with self.assertNumQueries(3):
            coverage.enterprise_rows(query)
        for n in range(24):
            e = make_enterprise(self.grid_b, f"新{n}")
            visit(e, self.wang, "2026-08-01")
        with self.assertNumQueries(2):
            rows = coverage.enterprise_rows(query)
        self.assertEqual(len(rows), 30)
        with self.assertNumQueries(1):
            grids = coverage.grid_rows(query)
        with self.assertNumQueries(2):
            coverage.person_rows(query, grids)
        with self.assertNumQueries(1):
            coverage.totals(query, grids)


class PagingTests(CoverageWorld):
    """The list is computed, filtered and paged in the database: a page holds only its own
    rows, and its figures are the ones the whole list has."""

    def query(self, user: User | None = None, period: str = Q3) -> CoverageQuery:
        return CoverageQuery(user=user or self.chen, period=Period.parse(period))

    def walk(self, query: CoverageQuery, state: str = "", limit: int = 2) -> list[Any]:
        rows, cursor, pages = [], None, 0
        while True:
            page = coverage.page_rows(query, state, cursor, limit)
            self.assertLessEqual(len(page.items), limit)
            rows += page.items
            pages += 1
            if page.next is None:
                return rows
            cursor = page.next
            self.assertLess(pages, 20)

    def test_pages_add_up_to_the_whole_list_with_the_same_figures(self) -> None:
        query = self.query()
        whole = {r.id: r for r in coverage.enterprise_rows(query)}
        paged = self.walk(query)
        self.assertEqual([r.id for r in paged], [r.id for r in whole.values()])
        for r in paged:
            w = whole[r.id]
            self.assertEqual(
                (r.required, r.done, r.outcomes, r.last_visit, r.policy_id),
                (w.required, w.done, w.outcomes, w.last_visit, w.policy_id),
            )

    def test_each_state_pages_only_its_enterprises(self) -> None:
        query = self.query()
        whole = coverage.enterprise_rows(query)
        for state in ("due", "unvisited", "met"):
            with self.subTest(state=state):
                expected = [r.name for r in whole if getattr(r, state)]
                self.assertEqual([r.name for r in self.walk(query, state)], expected)
                self.assertEqual(
                    coverage.page_rows(query, state, with_count=True).count, len(expected)
                )

    def test_each_states_total_from_the_grid_rows_is_its_lists_count(self) -> None:
        for user, period in ((self.chen, Q3), (self.chen, "2026"), (self.li, Q3)):
            query = self.query(user, period)
            grids = coverage.grid_rows(query)
            for state in ("required", "due", "unvisited", "met"):
                with self.subTest(user=user.username, period=period, state=state):
                    counted = coverage.page_rows(query, state, with_count=True).count
                    self.assertEqual(coverage.listed_in(grids, state), counted)
        self.assertIsNone(coverage.listed_in(grids, ""), "every listed one: not in the rows")

    def test_the_sql_rule_is_the_most_specific_rule(self) -> None:
        coverage.adopt_defaults(by=self.chen)
        data = {"sector": "machinery", "risk_class": "", "standardization_grade": "",
                "visits": 2, "period": "month", "source_tag": "L", "source": "本区规定"}  # fmt: skip
        coverage.save_policy(data, by=self.chen)
        query = self.query(period="2026")
        rules = coverage.Rules(coverage.zone_policies(self.zone.pk)[0])
        for r in coverage.enterprise_rows(query):
            with self.subTest(enterprise=r.name):
                expected = rules.match(r.sector, r.risk_class, r.standardization_grade)
                if r.status != Status.OPERATING:
                    self.assertEqual((r.required, r.policy_id), (0, None))
                else:
                    assert expected is not None
                    self.assertEqual(r.policy_id, expected.pk)
                    self.assertEqual(r.required, coverage.required_in(expected, query.period))

    def test_a_page_reads_only_its_rows(self) -> None:
        for n in range(60):
            make_enterprise(self.grid_b, f"新{n:02d}")
        query = self.query()
        query.rules  # noqa: B018 — the policy rows, read once per query
        with self.assertNumQueries(2):  # the page, and its rows' other outcomes
            page = coverage.page_rows(query, "", None, 10)
        self.assertEqual(len(page.items), 10)
        self.assertIsNotNone(page.next)


class PolicyTests(CoverageWorld):
    def test_the_defaults_are_seeded_from_the_local_practice(self) -> None:
        defaults = CoveragePolicy.objects.filter(zone__isnull=True)
        self.assertEqual(defaults.count(), 5)
        general = defaults.get(sector="", risk_class="")
        self.assertEqual((general.visits, general.period, general.source_tag), (1, "quarter", "L"))
        self.assertIn("Hengjing", general.source)

    def test_the_most_specific_rule_wins_and_ties_go_to_the_stricter(self) -> None:
        coverage.adopt_defaults(by=self.chen)
        data = {"sector": "machinery", "risk_class": "", "standardization_grade": "",
                "visits": 1, "period": "year", "source_tag": "L", "source": "本区规定"}  # fmt: skip
        coverage.save_policy(data, by=self.chen)
        rows = self.rows(self.chen)
        year = CoverageQuery(user=self.chen, period=Period.parse("2026"))
        self.assertEqual(rows[self.ea.name].required, 0)  # once a year: nothing per quarter
        self.assertEqual(rows["杨桥铸造"].required, 3)  # red (monthly) beats machinery (yearly)
        self.assertEqual(rows["杨桥化工"].required, 3)
        self.assertEqual(
            coverage.totals(year, coverage.grid_rows(year))["required"],
            1 + 1 + 12 + 12 + 1,
        )

    def test_a_question_narrowed_to_offices_keeps_its_policy_rows(self) -> None:
        year = CoverageQuery(user=self.chen, period=Period.parse("2026"))
        rules = year.rules
        coverage.adopt_defaults(by=self.chen)  # the policy changes in between
        narrowed = year.narrowed([self.ea.office_id])
        self.assertIs(narrowed.rules, rules)
        self.assertEqual(narrowed.offices, (self.ea.office_id,))
        self.assertIsNone(year.offices)
        self.assertEqual({e.office_id for e in narrowed.enterprises()}, {self.ea.office_id})

    def test_adopting_copies_the_defaults_and_replaces_them_for_the_zone(self) -> None:
        copies = coverage.adopt_defaults(by=self.chen)
        self.assertEqual(len(copies), 5)
        general = CoveragePolicy.objects.get(zone=self.zone, sector="", risk_class="")
        data = {f: getattr(general, f) for f in coverage.POLICY_FIELDS} | {"visits": 2}
        coverage.save_policy(data, by=self.chen, policy=general)
        self.assertEqual(self.rows(self.chen)[self.ea.name].required, 2)
        self.assertEqual(
            CoveragePolicy.objects.get(zone__isnull=True, sector="", risk_class="").visits, 1
        )
        self.assertEqual(
            Entry.objects.filter(action="coverage_policy.save").get().changes, {"visits": [1, 2]}
        )
        with self.assertRaises(coverage.CoverageError):
            coverage.adopt_defaults(by=self.chen)

    def test_a_duplicate_rule_is_refused_on_its_field(self) -> None:
        coverage.adopt_defaults(by=self.chen)
        data = {"sector": "fireworks", "risk_class": "", "standardization_grade": "",
                "visits": 2, "period": "month", "source_tag": "L", "source": ""}  # fmt: skip
        with self.assertRaises(coverage.CoverageError) as caught:
            coverage.save_policy(data, by=self.chen)
        self.assertEqual(caught.exception.field, "sector")

    def test_only_zone_admins_change_the_table_and_never_the_defaults(self) -> None:
        for user in (self.li, self.zhou, self.zhang):
            with self.assertRaises(NotAllowed):
                coverage.adopt_defaults(by=user)
        default = CoveragePolicy.objects.filter(zone__isnull=True).first()
        assert default is not None
        with self.assertRaises(NotAllowed):
            coverage.get_policy_for(self.chen, default.pk, write=True)
        self.assertFalse(CoveragePolicy.objects.filter(zone__isnull=False).exists())


class CoveragePageTests(CoverageWorld):
    url = f"/fieldwork/coverage/?period={Q3}"

    def test_anonymous_is_sent_to_login(self) -> None:
        r = self.client.get("/fieldwork/coverage/")
        self.assertRedirects(r, "/login/?next=/fieldwork/coverage/", fetch_redirect_response=False)

    def test_the_drop_downs_list_only_what_the_user_can_see(self) -> None:
        _zone, other_office, other_grid = make_neighbour_zone()
        expected = {
            self.chen: ({self.o1, self.o2}, {self.grid_a, self.grid_a2, self.grid_b}),
            self.zhou: ({self.o1, self.o2}, {self.grid_a, self.grid_a2, self.grid_b}),
            self.li: ({self.o1}, {self.grid_a, self.grid_a2}),
            self.qian: ({self.o2}, {self.grid_b}),
            self.zhang: ({self.o1}, {self.grid_a}),
            self.wang: ({self.o2}, {self.grid_b}),
        }
        for user, (offices, grids) in expected.items():
            with self.subTest(user=user.username):
                self.client.force_login(user)
                form = self.client.get(self.url).context["filter"]
                self.assertEqual(set(form.fields["office"].queryset), offices)
                self.assertEqual(set(form.fields["grid"].queryset), grids)
                self.assertNotIn(other_grid, form.fields["grid"].queryset)
                self.assertNotIn(other_office, form.fields["office"].queryset)

    def test_roles_without_coverage_are_refused(self) -> None:
        for user in (self.nobody, self.zhao, self.sun, self.wu):
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_the_page_lists_the_enterprises_not_yet_visited(self) -> None:
        self.client.force_login(self.chen)
        r = self.client.get(self.url)
        self.assertEqual([row.name for row in r.context["rows"]], [self.ea2.name, "杨桥铸造"])
        self.assertContains(r, 'id="grid-table"')
        self.assertContains(r, 'id="person-table"')
        self.assertEqual(r.context["totals"]["unvisited"], 2)

    def test_a_grid_worker_sees_their_grid_only(self) -> None:
        self.client.force_login(self.wang)
        r = self.client.get(self.url + "&state=")
        self.assertEqual([row.name for row in r.context["rows"]], [self.eb.name])
        self.assertNotContains(r, self.grid_a.name)

    def test_a_grid_out_of_scope_is_a_filter_error_not_data(self) -> None:
        self.client.force_login(self.wang)
        r = self.client.get(self.url + f"&grid={self.grid_a.pk}&period=2026Q9")
        self.assertEqual(r.status_code, 200)
        self.assertTrue(r.context["filter"].errors["grid"])
        self.assertTrue(r.context["filter"].errors["period"])
        self.assertNotIn("rows", r.context)

    def statements(self, url: str) -> tuple[list[str], Any]:
        """The statements the page runs computing every figure (as the first reader after
        a migration does), without the reads of the tables' versions (statistics.versions:
        how many depends on the engine and on what this test's transaction wrote)."""
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            r = self.client.get(url)
        return [q["sql"] for q in ctx.captured_queries if VERSIONS not in q["sql"]], r

    def test_the_page_takes_the_same_queries_for_six_and_thirty_enterprises(self) -> None:
        self.client.force_login(self.chen)
        self.assertEqual(len(self.statements(self.url + "&state=")[0]), PAGE_QUERIES)
        # A state the grid rows count (the default: not yet visited) takes its list's total
        # from them, not from a count of its own.
        ran, r = self.statements(self.url)
        self.assertEqual(len(ran), PAGE_QUERIES - 1)
        self.assertEqual(r.context["listed"], r.context["totals"]["unvisited"])
        for n in range(24):
            visit(make_enterprise(self.grid_b, f"新{n}"), self.wang, "2026-08-01")
        ran, r = self.statements(self.url + "&state=")
        self.assertEqual(len(ran), PAGE_QUERIES)
        self.assertEqual(len(r.context["rows"]), 30)

    def test_a_visit_recorded_shows_at_once_though_the_figures_are_kept(self) -> None:
        self.client.force_login(self.chen)
        before = self.client.get(self.url).context
        self.assertEqual(self.client.get(self.url).context["totals"], before["totals"])
        checks_before = {p.user_id: p.checks for p in before["people"]}
        unvisited = Enterprise.objects.get(pk=before["rows"][0].id)
        visit(unvisited, self.wang, "2026-08-02", people=(self.zhang,))
        after = self.client.get(self.url).context
        self.assertEqual(after["totals"]["unvisited"], before["totals"]["unvisited"] - 1)
        self.assertEqual(after["totals"]["checks"], before["totals"]["checks"] + 1)
        self.assertEqual(after["listed"], before["listed"] - 1)
        self.assertNotIn(unvisited.pk, [r.id for r in after["rows"]])
        checks_after = {p.user_id: p.checks for p in after["people"]}
        for person in (self.wang, self.zhang):
            self.assertEqual(checks_after[person.pk], checks_before.get(person.pk, 0) + 1)


# session, user with its region (scope), the offices in reach (coverage's rows are kept per
# office), policy rows, the grid roll-up, the list's count and its page, the page's other
# outcomes, the other outcomes in all, grid terms, people's visits, and the filter's office
# and grid choices rendered.
PAGE_QUERIES = 13
# The statistics layer's reads of its tables' versions (statistics.versions).
VERSIONS = "statistics_tableversion"


class PolicyPageTests(CoverageWorld):
    def test_everyone_with_coverage_reads_the_table(self) -> None:
        self.client.force_login(self.zhang)
        r = self.client.get("/fieldwork/coverage/policies/")
        # The defaults' source (RULES.md, Hengjing's practice) stays in the data; people read
        # that the rule is local practice.
        self.assertContains(r, "Local practice", count=5)
        self.assertNotContains(r, 'id="adopt"')

    def test_zone_admin_adopts_edits_and_removes_rules(self) -> None:
        self.client.force_login(self.chen)
        self.assertContains(self.client.get("/fieldwork/coverage/policies/"), 'id="adopt"')
        self.client.post("/fieldwork/coverage/policies/adopt/")
        own = CoveragePolicy.objects.filter(zone=self.zone)
        self.assertEqual(own.count(), 5)
        r = self.client.post(
            "/fieldwork/coverage/policies/new/",
            {"sector": "textile", "visits": "2", "period": "quarter", "source_tag": "L"},
        )
        self.assertRedirects(r, "/fieldwork/coverage/policies/")
        textile = own.get(sector="textile")
        r = self.client.post(
            f"/fieldwork/coverage/policies/{textile.pk}/edit/",
            {"sector": "textile", "visits": "many", "period": "quarter", "source_tag": "L"},
        )
        self.assertContains(r, 'data-field="visits"')
        self.client.post(f"/fieldwork/coverage/policies/{textile.pk}/remove/")
        self.assertFalse(own.filter(sector="textile").exists())

    def test_officers_cannot_change_the_table(self) -> None:
        default = CoveragePolicy.objects.filter(zone__isnull=True).first()
        assert default is not None
        self.client.force_login(self.li)
        self.assertEqual(self.client.post("/fieldwork/coverage/policies/adopt/").status_code, 403)
        self.assertEqual(
            self.client.get(f"/fieldwork/coverage/policies/{default.pk}/edit/").status_code, 403
        )
        self.client.force_login(self.chen)
        self.assertEqual(
            self.client.get(f"/fieldwork/coverage/policies/{default.pk}/edit/").status_code, 403
        )


class CoverageApiTests(CoverageWorld):
    def test_anonymous_gets_401_and_other_roles_403(self) -> None:
        self.assertEqual(self.client.get("/api/v1/coverage").status_code, 401)
        self.client.force_login(self.zhao)
        self.assertEqual(self.client.get("/api/v1/coverage").status_code, 403)
        self.assertEqual(self.client.get("/api/v1/coverage/summary").status_code, 403)

    def test_rows_in_the_list_shape_with_paging(self) -> None:
        self.client.force_login(self.li)
        r = self.client.get(f"/api/v1/coverage?period={Q3}&limit=3&with_count=true").json()
        self.assertEqual(r["count"], 5)
        self.assertEqual(len(r["items"]), 3)
        rest = self.client.get(f"/api/v1/coverage?period={Q3}&cursor={r['next']}").json()
        names = [i["name"] for i in r["items"] + rest["items"]]
        self.assertEqual(len(set(names)), 5)
        self.assertIsNone(rest["next"])
        chem = next(i for i in r["items"] + rest["items"] if i["name"] == "杨桥化工")
        self.assertEqual(
            (chem["required"], chem["done"], chem["other"], chem["outcomes"], chem["unvisited"]),
            (3, 1, 1, {"locked": 1}, False),
        )

    def test_state_and_grid_filters(self) -> None:
        self.client.force_login(self.chen)
        r = self.client.get(f"/api/v1/coverage?period={Q3}&state=unvisited&grid={self.grid_a.pk}")
        self.assertEqual([i["name"] for i in r.json()["items"]], ["杨桥铸造"])

    def test_each_states_count_is_the_number_of_its_rows(self) -> None:
        for user in (self.chen, self.li, self.wang):
            self.client.force_login(user)
            for state in ("", "required", "due", "unvisited", "met"):
                with self.subTest(user=user.username, state=state):
                    url = f"/api/v1/coverage?period={Q3}&state={state}&limit=200"
                    r = self.client.get(url + "&with_count=true").json()
                    self.assertIsNone(r["next"])
                    self.assertEqual(r["count"], len(r["items"]))

    def test_bad_filters_are_422_naming_the_field(self) -> None:
        self.client.force_login(self.wang)
        r = self.client.get(f"/api/v1/coverage?period=soon&grid={self.grid_a.pk}")
        self.assertEqual(r.status_code, 422)
        self.assertEqual({e["field"] for e in r.json()["errors"]}, {"period", "grid"})
        r = self.client.get(f"/api/v1/coverage?period={Q3}&cursor=rubbish")
        self.assertEqual(r.status_code, 400)

    def test_the_page_answers_as_the_api_does(self) -> None:
        """CoverageFilter is the one declaration behind the page, the list and the summary:
        a query lists the same enterprises in the same order with the same totals, or is
        refused on the same fields."""
        queries = [
            f"period={Q3}&state=",
            f"period={Q3}&state=unvisited",
            f"period={Q3}&state=met&office={self.o1.pk}",
            f"period=2026-08&state=due&grid={self.grid_a.pk}",
            f"period=2026&state=&grid={self.grid_b.pk}",
            "period=2026Q9&state=",
        ]
        users = (self.chen, self.li, self.zhang, self.wang)
        self.assert_faces_agree(users, queries, self.assert_same_answer)

    def assert_same_answer(self, query: str) -> str:
        rows = self.client.get(f"/api/v1/coverage?limit=200&{query}")
        summary = self.client.get(f"/api/v1/coverage/summary?{query}")
        page = self.client.get(f"/fieldwork/coverage/?{query}")
        if rows.status_code == 422:
            refused = error_fields(rows)
            self.assertEqual(set(page.context["filter"].errors), refused)
            self.assertEqual(error_fields(summary), refused)
            return "refused"
        ids = [i["id"] for i in rows.json()["items"]]
        self.assertEqual([r.id for r in page.context["rows"]], ids)
        self.assertEqual(page.context["totals"], summary.json()["totals"])
        return "rows" if ids else "none"

    def test_summary_rolls_up_grids_and_people(self) -> None:
        self.client.force_login(self.chen)
        body = self.client.get(f"/api/v1/coverage/summary?period={Q3}").json()
        self.assertEqual(body["period"], {"code": Q3, "start": "2026-07-01", "end": "2026-09-30"})
        self.assertEqual(body["totals"]["other_by_outcome"], {"closed": 1, "locked": 2})
        grids = {g["grid"]["name"]: g for g in body["grids"]}
        self.assertEqual(grids[self.grid_a.name]["required"], 7)
        people = {p["name"]: p for p in body["people"]}
        self.assertEqual(people["zhang"]["unvisited"], 1)

    def test_the_list_takes_the_same_queries_for_six_and_thirty_enterprises(self) -> None:
        self.client.force_login(self.chen)
        # session, user with its region (scope), enterprises, visits grouped, policy
        # rows
        with self.assertNumQueries(5):
            self.client.get(f"/api/v1/coverage?period={Q3}")
        for n in range(24):
            visit(make_enterprise(self.grid_b, f"新{n}"), self.wang, "2026-08-01")
        with self.assertNumQueries(5):
            r = self.client.get(f"/api/v1/coverage?period={Q3}&limit=200")
        self.assertEqual(len(r.json()["items"]), 30)
