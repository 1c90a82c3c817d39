"""scope_of() for every role, and the visible_to() of the accounts app's own models."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from anjian.accounts.models import Agency, ApiToken, Department, DepartmentKind, Role, User
from anjian.accounts.scope import EMPTY, forget_scope, scope_of
from anjian.accounts.services import issue_token
from anjian.regions.models import RegionLevel
from anjian.test import World, assign, make_grid, make_region, make_user


def fresh(user: User) -> User:
    """The user as a new request would load it (scope is cached on the instance)."""
    return User.objects.get(pk=user.pk)


class ScopeOfTests(World):
    def test_zone_admin_reaches_the_whole_zone(self) -> None:
        scope = scope_of(fresh(self.chen))
        self.assertEqual(scope.zone_id, self.zone.pk)
        self.assertEqual(scope.region_id, self.zone.pk)
        self.assertEqual(scope.region_level, RegionLevel.ZONE)
        self.assertEqual(scope.region_path, self.zone.path)
        self.assertIsNone(scope.grid_ids)

    def test_officer_reaches_their_office_and_knows_its_zone(self) -> None:
        scope = scope_of(fresh(self.li))
        self.assertEqual(scope.zone_id, self.zone.pk)
        self.assertEqual(scope.region_id, self.o1.pk)
        self.assertEqual(scope.region_level, RegionLevel.OFFICE)
        self.assertEqual(scope.paths, (self.o1.path,))

    def test_leader_reaches_their_region(self) -> None:
        scope = scope_of(fresh(self.zhou))
        self.assertEqual(scope.region_id, self.zone.pk)
        self.assertIsNone(scope.enterprise_id)

    def test_grid_worker_reaches_only_their_current_grids(self) -> None:
        scope = scope_of(fresh(self.zhang))
        self.assertEqual(scope.grid_ids, frozenset({self.grid_a.pk}))
        self.assertEqual(scope.zone_id, self.zone.pk)
        self.assertIsNone(scope.region_path)
        self.assertEqual(scope.paths, (self.grid_a.path,))

    def test_enterprise_user_reaches_their_enterprise_and_its_grid(self) -> None:
        scope = scope_of(fresh(self.zhao))
        self.assertEqual(scope.enterprise_id, self.ea.pk)
        self.assertEqual(scope.grid_ids, frozenset({self.grid_a.pk}))
        self.assertIsNone(scope.region_path)

    def test_expert_reaches_their_agency(self) -> None:
        scope = scope_of(fresh(self.sun))
        self.assertEqual(scope.agency_id, self.agency.pk)
        self.assertEqual(scope.zone_id, self.zone.pk)
        self.assertIsNone(scope.region_path)
        self.assertIsNone(scope.grid_ids)

    def test_department_member_reaches_their_department(self) -> None:
        scope = scope_of(fresh(self.wu))
        self.assertEqual(scope.department_id, self.fire.pk)
        self.assertEqual(scope.zone_id, self.zone.pk)
        self.assertIsNone(scope.grid_ids)

    def test_user_without_role_reaches_nothing(self) -> None:
        self.assertEqual(scope_of(fresh(self.nobody)), EMPTY)

    def test_anonymous_reaches_nothing(self) -> None:
        self.assertEqual(scope_of(AnonymousUser()), EMPTY)

    def test_deactivated_user_reaches_nothing(self) -> None:
        User.objects.filter(pk=self.chen.pk).update(is_active=False)
        self.assertEqual(scope_of(fresh(self.chen)), EMPTY)

    def test_grid_worker_without_a_current_term_reaches_nothing(self) -> None:
        idle = make_user("idle", Role.GRID_WORKER)
        scope = scope_of(idle)
        self.assertEqual(scope.grid_ids, frozenset())
        self.assertIsNone(scope.zone_id)

    def test_scope_is_computed_once_per_user_object(self) -> None:
        user = fresh(self.zhang)
        scope_of(user)
        with self.assertNumQueries(0):
            scope_of(user)

    def test_forget_scope_picks_up_a_new_assignment(self) -> None:
        user = fresh(self.zhang)
        self.assertEqual(scope_of(user).grid_ids, frozenset({self.grid_a.pk}))
        assign(user, self.grid_a2)
        forget_scope(user)
        self.assertEqual(scope_of(user).grid_ids, frozenset({self.grid_a.pk, self.grid_a2.pk}))


class OtherZone(World):
    """The world plus a second zone with its own department, agency and admin."""

    other_zone_dept: Department
    other_agency: Agency
    second_agency: Agency

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        zone2 = make_region("邻区", RegionLevel.ZONE, code="02")
        office = make_region("南城办事处", RegionLevel.OFFICE, zone2, code="01")
        make_grid(make_region("南村", RegionLevel.VILLAGE, office, code="001"), "南村网格", "GS")
        cls.other_zone_dept = Department.objects.create(
            zone=zone2, name="邻区消防", kind=DepartmentKind.FIRE
        )
        cls.other_agency = Agency.objects.create(zone=zone2, name="邻区安全咨询")
        cls.second_agency = Agency.objects.create(zone=cls.zone, name="第二家安全服务机构")


class DepartmentVisibilityTests(OtherZone):
    def test_everyone_with_a_zone_sees_its_departments_only(self) -> None:
        for user in [self.chen, self.li, self.zhou, self.zhang, self.zhao, self.sun, self.wu]:
            with self.subTest(user=user.username):
                self.assertEqual(list(Department.objects.visible_to(fresh(user))), [self.fire])

    def test_user_without_scope_sees_no_department(self) -> None:
        self.assertFalse(Department.objects.visible_to(fresh(self.nobody)).exists())
        self.assertFalse(Department.objects.visible_to(AnonymousUser()).exists())  # type: ignore[arg-type]


class AgencyVisibilityTests(OtherZone):
    def test_area_roles_see_every_agency_of_their_zone(self) -> None:
        for user in [self.chen, self.li, self.zhou]:
            with self.subTest(user=user.username):
                self.assertEqual(
                    set(Agency.objects.visible_to(fresh(user))), {self.agency, self.second_agency}
                )

    def test_expert_sees_only_their_own_agency(self) -> None:
        self.assertEqual(list(Agency.objects.visible_to(fresh(self.sun))), [self.agency])

    def test_field_and_outside_roles_see_no_agency(self) -> None:
        for user in [self.zhang, self.wang, self.zhao, self.wu, self.nobody]:
            with self.subTest(user=user.username):
                self.assertFalse(Agency.objects.visible_to(fresh(user)).exists())


class ApiTokenVisibilityTests(World):
    def test_a_token_is_visible_to_its_owner_only(self) -> None:
        mine, _raw = issue_token(self.zhang, name="phone")
        issue_token(self.wang, name="phone")
        self.assertEqual(list(ApiToken.objects.visible_to(self.zhang)), [mine])
        # Not even the zone admin reads someone else's tokens.
        self.assertFalse(ApiToken.objects.visible_to(self.chen).exists())
        self.assertFalse(ApiToken.objects.visible_to(AnonymousUser()).exists())  # type: ignore[arg-type]

    def test_live_leaves_out_revoked_tokens(self) -> None:
        token, _raw = issue_token(self.zhang)
        self.assertTrue(ApiToken.objects.live().filter(pk=token.pk).exists())
        ApiToken.objects.filter(pk=token.pk).update(revoked_at="2024-01-01T00:00:00+08:00")
        self.assertFalse(ApiToken.objects.live().filter(pk=token.pk).exists())
