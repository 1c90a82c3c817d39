"""The scoped-queryset base: declared columns turn each kind of scope into the same rows
the hand-written filters gave, through relations too, without duplicates."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from anjian.accounts.models import Engagement, Role, User
from anjian.audit.models import Entry
from anjian.enterprises.models import Enterprise
from anjian.hazards.tests.factories import engage
from anjian.lib.scoping import Scope, ScopeColumns, Through
from anjian.regions.models import Grid, GridAssignment, Region
from anjian.test import World, make_enterprise, make_user


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


class DeclarationTests(World):
    def test_through_prefixes_every_column_and_keeps_the_flags(self) -> None:
        columns = ScopeColumns(
            zone="zone",
            grid="id",
            department=Through("enterprises__competent_department"),
            capability="x.view",
            zone_wide=True,
        ).through("grid")
        self.assertEqual(columns.zone, "grid__zone")
        self.assertEqual(columns.grid, "grid")
        self.assertEqual(columns.department, Through("grid__enterprises__competent_department"))
        self.assertEqual(columns.capability, "x.view")
        self.assertTrue(columns.zone_wide)

    def test_area_id_knows_the_office_of_an_office_and_of_its_villages(self) -> None:
        office = Scope(zone_id=1, region_id=5, region_level="office", office_id=5)
        self.assertEqual(
            (office.area_id("zone"), office.area_id("office"), office.area_id("village")),
            (1, 5, None),
        )
        village = Scope(zone_id=1, region_id=9, region_level="village", office_id=5)
        self.assertEqual(village.area_id("village"), 9)
        self.assertEqual(village.area_id("office"), 5)


class ReachTests(World):
    def test_a_village_leader_reads_the_village_rows_where_the_model_has_the_column(self) -> None:
        leader = make_user("vleader", Role.LEADER, region=self.v1)
        self.assertEqual(set(Enterprise.objects.visible_to(fresh(leader))), {self.ea, self.ea2})
        # Grids carry their village: the village's two grids, not the office's others.
        self.assertEqual(set(Grid.objects.visible_to(fresh(leader))), {self.grid_a, self.grid_a2})

    def test_rows_kept_per_zone_only_are_read_by_the_whole_zone_of_an_officer(self) -> None:
        engagement = engage(self.sun, self.ea)
        self.assertEqual(list(Engagement.objects.visible_to(fresh(self.li))), [engagement])

    def test_a_department_reading_grids_through_enterprises_gets_each_grid_once(self) -> None:
        make_enterprise(self.grid_a, "第二家消防监管企业", competent_department=self.fire)
        grids = list(Grid.objects.visible_to(fresh(self.wu)))
        self.assertEqual(grids, [self.grid_a])

    def test_an_engagement_with_two_experts_is_one_row_to_the_zone(self) -> None:
        other = make_user("sun2", Role.EXPERT, agency=self.agency)
        engagement = engage(self.sun, self.ea)
        engagement.experts.add(other)
        self.assertEqual(list(Engagement.objects.visible_to(fresh(self.chen))), [engagement])
        self.assertEqual(list(Engagement.objects.visible_to(fresh(other))), [engagement])

    def test_an_engagement_that_starts_counts_at_once_for_the_same_user_object(self) -> None:
        sun = fresh(self.sun)
        self.assertFalse(Enterprise.objects.visible_to(sun).exists())
        engage(self.sun, self.ea)
        self.assertEqual(list(Enterprise.objects.visible_to(sun)), [self.ea])

    def test_terms_are_read_by_whoever_reads_their_grid(self) -> None:
        self.assertEqual(
            set(GridAssignment.objects.visible_to(fresh(self.li)).values_list("grid", flat=True)),
            {self.grid_a.pk},
        )
        self.assertFalse(
            GridAssignment.objects.visible_to(fresh(self.zhao)).exclude(grid=self.grid_a).exists()
        )

    def test_the_capability_gates_the_area_rows(self) -> None:
        Entry.objects.create(
            action="x", object_type="t", object_id="1", channel="page", zone=self.zone
        )
        self.assertEqual(Entry.objects.visible_to(fresh(self.chen)).count(), 1)
        for user in (self.li, self.zhou, self.zhang):
            with self.subTest(user=user.username):
                self.assertFalse(Entry.objects.visible_to(fresh(user)).exists())

    def test_the_anonymous_and_the_deactivated_reach_no_row(self) -> None:
        User.objects.filter(pk=self.chen.pk).update(is_active=False)
        for user in (AnonymousUser(), fresh(self.chen)):
            with self.subTest(user=str(user)):
                self.assertFalse(Region.objects.visible_to(user).exists())
                self.assertFalse(Enterprise.objects.visible_to(user).exists())

    def test_get_for_answers_not_found_out_of_scope(self) -> None:
        from django.http import Http404

        self.assertEqual(Enterprise.objects.get_for(fresh(self.zhang), self.ea.pk), self.ea)
        with self.assertRaises(Http404):
            Enterprise.objects.get_for(fresh(self.wang), self.ea.pk)
        with self.assertRaises(Http404):
            Enterprise.objects.get_for(fresh(self.zhang), 10**6)
