"""Region, Grid and GridAssignment `visible_to(user)` for every role, and term dates."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from anjian.accounts.models import User
from anjian.regions.models import Grid, GridAssignment, Region
from anjian.test import World, assign


def fresh(user: User) -> User:
    """The user as a new request would load it (scope is cached on the instance)."""
    return User.objects.get(pk=user.pk)


class RegionVisibilityTests(World):
    def names(self, user: User) -> set[str]:
        return set(Region.objects.visible_to(fresh(user)).values_list("name", flat=True))

    def test_zone_roles_see_the_whole_tree(self) -> None:
        everything = {"示范区", "东城办事处", "西城街道", "杨桥村", "石塘社区"}
        for user in [self.chen, self.zhou, self.sun, self.wu]:
            with self.subTest(user=user.username):
                self.assertEqual(self.names(user), everything)

    def test_officer_sees_their_office_below_and_the_zone_above(self) -> None:
        self.assertEqual(self.names(self.li), {"示范区", "东城办事处", "杨桥村"})
        self.assertEqual(self.names(self.qian), {"示范区", "西城街道", "石塘社区"})

    def test_grid_worker_sees_only_the_chain_above_their_grid(self) -> None:
        self.assertEqual(self.names(self.zhang), {"示范区", "东城办事处", "杨桥村"})
        self.assertEqual(self.names(self.wang), {"示范区", "西城街道", "石塘社区"})

    def test_enterprise_user_sees_the_chain_above_their_enterprise(self) -> None:
        self.assertEqual(self.names(self.zhao), {"示范区", "东城办事处", "杨桥村"})

    def test_nobody_and_anonymous_see_no_region(self) -> None:
        self.assertEqual(self.names(self.nobody), set())
        self.assertFalse(Region.objects.visible_to(AnonymousUser()).exists())  # type: ignore[arg-type]


class GridVisibilityTests(World):
    def grids(self, user: User) -> set[Grid]:
        return set(Grid.objects.visible_to(fresh(user)))

    def test_zone_admin_and_leader_see_every_grid(self) -> None:
        for user in [self.chen, self.zhou]:
            with self.subTest(user=user.username):
                self.assertEqual(self.grids(user), {self.grid_a, self.grid_a2, self.grid_b})

    def test_officer_sees_the_grids_of_their_office(self) -> None:
        self.assertEqual(self.grids(self.li), {self.grid_a, self.grid_a2})
        self.assertEqual(self.grids(self.qian), {self.grid_b})

    def test_grid_worker_sees_only_their_own_grid(self) -> None:
        self.assertEqual(self.grids(self.zhang), {self.grid_a})
        self.assertEqual(self.grids(self.wang), {self.grid_b})

    def test_enterprise_user_sees_their_enterprise_grid(self) -> None:
        self.assertEqual(self.grids(self.zhao), {self.grid_a})

    def test_expert_and_nobody_see_no_grid(self) -> None:
        for user in [self.sun, self.nobody]:
            with self.subTest(user=user.username):
                self.assertEqual(self.grids(user), set())

    def test_department_sees_the_grids_of_enterprises_referred_to_it(self) -> None:
        self.assertEqual(self.grids(self.wu), {self.grid_a})


class GridTermTests(World):
    """A grid worker's scope follows the dates of their terms (today in Asia/Shanghai)."""

    def setUp(self) -> None:
        self.today = timezone.localdate()

    def test_ended_term_no_longer_gives_scope(self) -> None:
        assign(self.zhang, self.grid_a2, ends_on=self.today - datetime.timedelta(days=1))
        self.assertEqual(set(Grid.objects.visible_to(fresh(self.zhang))), {self.grid_a})

    def test_term_ending_today_still_gives_scope(self) -> None:
        assign(self.zhang, self.grid_a2, ends_on=self.today)
        self.assertIn(self.grid_a2, Grid.objects.visible_to(fresh(self.zhang)))

    def test_term_starting_in_future_does_not_give_scope_yet(self) -> None:
        assign(self.zhang, self.grid_a2, starts_on=self.today + datetime.timedelta(days=1))
        self.assertNotIn(self.grid_a2, Grid.objects.visible_to(fresh(self.zhang)))

    def test_term_starting_today_gives_scope(self) -> None:
        assign(self.zhang, self.grid_a2, starts_on=self.today)
        self.assertIn(self.grid_a2, Grid.objects.visible_to(fresh(self.zhang)))

    def test_grid_worker_whose_only_term_ended_sees_nothing(self) -> None:
        GridAssignment.objects.filter(user=self.wang).update(
            ends_on=self.today - datetime.timedelta(days=1)
        )
        wang = fresh(self.wang)
        self.assertFalse(Grid.objects.visible_to(wang).exists())
        self.assertFalse(Region.objects.visible_to(wang).exists())

    def test_active_on_a_past_date_answers_who_covered_the_grid(self) -> None:
        old = assign(
            self.wang,
            self.grid_a2,
            starts_on=datetime.date(2021, 1, 1),
            ends_on=datetime.date(2021, 12, 31),
        )
        march = GridAssignment.objects.active(on=datetime.date(2021, 3, 1))
        self.assertIn(old, march)
        self.assertNotIn(old, GridAssignment.objects.active())


class GridAssignmentVisibilityTests(World):
    def users(self, viewer: User) -> set[str]:
        qs = GridAssignment.objects.visible_to(fresh(viewer))
        return set(qs.values_list("user__username", flat=True))

    def test_zone_admin_sees_every_term(self) -> None:
        self.assertEqual(self.users(self.chen), {"zhang", "wang"})

    def test_officer_sees_the_terms_in_their_office(self) -> None:
        self.assertEqual(self.users(self.li), {"zhang"})
        self.assertEqual(self.users(self.qian), {"wang"})

    def test_grid_worker_sees_nothing_of_another_grid(self) -> None:
        self.assertEqual(self.users(self.wang), {"wang"})
        self.assertEqual(self.users(self.zhang), {"zhang"})

    def test_roles_without_grids_see_no_term(self) -> None:
        for user in [self.sun, self.nobody]:
            with self.subTest(user=user.username):
                self.assertEqual(self.users(user), set())
