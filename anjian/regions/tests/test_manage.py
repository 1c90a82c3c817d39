"""The zone admin builds the tree and starts and ends grid terms; nobody else may."""

from __future__ import annotations

import datetime

from django.contrib.messages import constants as message_levels
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from anjian.accounts.models import Role, User
from anjian.audit.models import Entry
from anjian.regions.models import Grid, GridAssignment, GridRole, Region, RegionLevel
from anjian.test import World, assign, make_grid, make_region, make_user

SQUARE = '{"type": "Polygon", "coordinates": [[[120, 31], [120.1, 31], [120.1, 31.1], [120, 31]]]}'


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def message_levels_of(client: Client) -> list[int]:
    """The levels of the messages queued for the next page (read without rendering it)."""
    r = client.get(reverse("regions:tree"))
    return [m.level for m in r.context["messages"]]


class CreateRegionTests(World):
    def url(self, parent: Region) -> str:
        return reverse("regions:create", args=[parent.pk])

    def test_anonymous_is_sent_to_login(self) -> None:
        r = self.client.get(self.url(self.zone))
        self.assertEqual(r.status_code, 302)
        self.assertTrue(r["Location"].startswith("/login/"))

    def test_roles_other_than_zone_admin_are_refused(self) -> None:
        for user in [self.li, self.zhou, self.zhang, self.nobody]:
            with self.subTest(user=user.username):
                self.client.force_login(user)
                r = self.client.post(self.url(self.o1), {"name": "新村", "code": "009"})
                self.assertEqual(r.status_code, 403)
        self.assertFalse(Region.objects.filter(name="新村").exists())

    def test_zone_admin_of_another_zone_gets_not_found(self) -> None:
        zone2 = make_region("邻区", RegionLevel.ZONE, code="02")
        admin2 = make_user("admin2", Role.ZONE_ADMIN, region=zone2)
        self.client.force_login(admin2)
        self.assertEqual(self.client.get(self.url(self.o1)).status_code, 404)
        r = self.client.post(self.url(self.o1), {"name": "新村", "code": "009"})
        self.assertEqual(r.status_code, 404)
        self.assertFalse(Region.objects.filter(name="新村").exists())

    def test_zone_admin_adds_an_office_under_the_zone(self) -> None:
        self.client.force_login(self.chen)
        r = self.client.post(self.url(self.zone), {"name": "北城街道", "code": "03"})
        self.assertRedirects(r, reverse("regions:tree"), fetch_redirect_response=False)
        office = Region.objects.get(name="北城街道")
        self.assertEqual(
            (office.level, office.parent, office.path), ("office", self.zone, "01.03.")
        )
        entry = Entry.objects.get(action="region.create")
        self.assertEqual(
            (entry.actor, entry.zone_id, entry.channel), (self.chen, self.zone.pk, "page")
        )

    def test_zone_admin_adds_a_village_under_an_office(self) -> None:
        self.client.force_login(self.chen)
        self.client.post(self.url(self.o2), {"name": "新塘村", "code": "002"})
        village = Region.objects.get(name="新塘村")
        self.assertEqual((village.level, village.path), ("village", "01.02.002."))

    def test_zone_admin_adds_a_grid_under_a_village(self) -> None:
        self.client.force_login(self.chen)
        r = self.client.post(
            self.url(self.v2), {"name": "石塘第二网格", "code": "GB2", "boundary": SQUARE}
        )
        grid = Grid.objects.get(code="GB2")
        self.assertRedirects(
            r, reverse("regions:grid", args=[grid.pk]), fetch_redirect_response=False
        )
        self.assertEqual(
            (grid.office, grid.zone, grid.path), (self.o2, self.zone, "01.02.001.GB2.")
        )
        self.assertEqual(grid.boundary, SQUARE)
        self.assertEqual(Entry.objects.get(action="grid.create").zone_id, self.zone.pk)

    def test_new_grid_is_in_the_officers_scope_at_once(self) -> None:
        self.client.force_login(self.chen)
        self.client.post(self.url(self.v2), {"name": "石塘第二网格", "code": "GB2"})
        self.assertTrue(Grid.objects.visible_to(fresh(self.qian)).filter(code="GB2").exists())
        self.assertFalse(Grid.objects.visible_to(fresh(self.li)).filter(code="GB2").exists())

    def test_code_taken_under_the_same_parent_is_refused_on_the_code_field(self) -> None:
        self.client.force_login(self.chen)
        r = self.client.post(self.url(self.zone), {"name": "重复", "code": "01"})
        self.assertEqual(r.status_code, 200)
        self.assertIn("code", r.context["form"].errors)
        self.assertFalse(Region.objects.filter(name="重复").exists())

    def test_grid_code_taken_in_the_village_is_refused(self) -> None:
        self.client.force_login(self.chen)
        r = self.client.post(self.url(self.v1), {"name": "重复网格", "code": "GA"})
        self.assertIn("code", r.context["form"].errors)
        self.assertEqual(Grid.objects.filter(village=self.v1).count(), 2)

    def test_code_with_a_dot_is_refused_because_it_would_break_paths(self) -> None:
        self.client.force_login(self.chen)
        r = self.client.post(self.url(self.zone), {"name": "坏代码", "code": "0.3"})
        self.assertIn("code", r.context["form"].errors)
        self.assertFalse(Region.objects.filter(name="坏代码").exists())

    def test_boundary_that_is_not_a_polygon_is_refused(self) -> None:
        self.client.force_login(self.chen)
        r = self.client.post(
            self.url(self.v1),
            {
                "name": "坏边界",
                "code": "GX",
                "boundary": '{"type": "Point", "coordinates": [1, 2]}',
            },
        )
        self.assertIn("boundary", r.context["form"].errors)
        self.assertFalse(Grid.objects.filter(code="GX").exists())

    def test_tree_offers_add_links_to_the_zone_admin_only(self) -> None:
        add_office = reverse("regions:create", args=[self.zone.pk])
        self.client.force_login(self.chen)
        self.assertContains(self.client.get(reverse("regions:tree")), add_office)
        self.client.force_login(self.li)
        self.assertNotContains(self.client.get(reverse("regions:tree")), add_office)


class GridTermPageTests(World):
    def assign_url(self, grid: Grid) -> str:
        return reverse("regions:assign", args=[grid.pk])

    def end_url(self, grid: Grid, term: GridAssignment) -> str:
        return reverse("regions:end_term", args=[grid.pk, term.pk])

    def setUp(self) -> None:
        self.today = timezone.localdate()
        self.spare = make_user("spare", Role.GRID_WORKER, zone=self.zone)

    def start(self, person: User, grid: Grid, **extra: str) -> None:
        data = {"person": person.pk, "role": GridRole.WORKER, "starts_on": self.today.isoformat()}
        self.client.post(self.assign_url(grid), {**data, **extra})

    def test_zone_admin_starts_a_term_and_the_worker_gains_the_grid(self) -> None:
        self.client.force_login(self.chen)
        self.start(self.spare, self.grid_a2)
        self.assertEqual(set(Grid.objects.visible_to(fresh(self.spare))), {self.grid_a2})
        self.assertEqual(Entry.objects.get(action="grid.assign").zone_id, self.zone.pk)
        self.assertEqual(message_levels_of(self.client), [message_levels.SUCCESS])

    def test_officer_may_not_start_or_end_a_term(self) -> None:
        term = GridAssignment.objects.get(user=self.zhang)
        self.client.force_login(self.li)
        data = {"person": self.spare.pk, "role": "worker", "starts_on": self.today.isoformat()}
        self.assertEqual(self.client.post(self.assign_url(self.grid_a), data).status_code, 403)
        r = self.client.post(self.end_url(self.grid_a, term), {"ends_on": self.today.isoformat()})
        self.assertEqual(r.status_code, 403)
        self.assertFalse(GridAssignment.objects.filter(user=self.spare).exists())
        self.assertIsNone(GridAssignment.objects.get(pk=term.pk).ends_on)

    def test_terms_change_only_by_post(self) -> None:
        self.client.force_login(self.chen)
        self.assertEqual(self.client.get(self.assign_url(self.grid_a)).status_code, 405)

    def test_only_grid_workers_can_be_put_on_a_grid(self) -> None:
        self.client.force_login(self.chen)
        self.start(self.li, self.grid_a)
        self.assertFalse(GridAssignment.objects.filter(user=self.li).exists())
        self.assertEqual(message_levels_of(self.client), [message_levels.ERROR])

    def test_overlapping_term_in_the_same_role_is_refused(self) -> None:
        self.client.force_login(self.chen)
        self.start(self.zhang, self.grid_a)
        self.assertEqual(GridAssignment.objects.filter(user=self.zhang).count(), 1)
        self.assertEqual(message_levels_of(self.client), [message_levels.ERROR])

    def test_ending_a_term_removes_the_grid_from_the_workers_scope(self) -> None:
        term = GridAssignment.objects.get(user=self.zhang)
        yesterday = self.today - datetime.timedelta(days=1)
        self.client.force_login(self.chen)
        self.client.post(self.end_url(self.grid_a, term), {"ends_on": yesterday.isoformat()})
        self.assertEqual(GridAssignment.objects.get(pk=term.pk).ends_on, yesterday)
        self.assertFalse(Grid.objects.visible_to(fresh(self.zhang)).exists())
        self.client.force_login(self.zhang)
        self.assertEqual(
            self.client.get(reverse("regions:grid", args=[self.grid_a.pk])).status_code, 404
        )

    def test_term_cannot_end_before_it_starts(self) -> None:
        term = assign(self.spare, self.grid_a2, starts_on=self.today)
        self.client.force_login(self.chen)
        before = (self.today - datetime.timedelta(days=3)).isoformat()
        self.client.post(self.end_url(self.grid_a2, term), {"ends_on": before})
        self.assertIsNone(GridAssignment.objects.get(pk=term.pk).ends_on)
        self.assertEqual(message_levels_of(self.client), [message_levels.ERROR])

    def test_ended_term_is_not_ended_again(self) -> None:
        ended = datetime.date(2023, 6, 30)
        term = assign(self.spare, self.grid_a2, starts_on=datetime.date(2023, 1, 1), ends_on=ended)
        self.client.force_login(self.chen)
        self.client.post(self.end_url(self.grid_a2, term), {"ends_on": self.today.isoformat()})
        self.assertEqual(GridAssignment.objects.get(pk=term.pk).ends_on, ended)

    def test_term_of_another_grid_is_not_found_under_this_grid(self) -> None:
        term = GridAssignment.objects.get(user=self.wang)
        self.client.force_login(self.chen)
        r = self.client.post(self.end_url(self.grid_a, term), {"ends_on": self.today.isoformat()})
        self.assertEqual(r.status_code, 404)
        self.assertIsNone(GridAssignment.objects.get(pk=term.pk).ends_on)

    def test_grid_page_offers_term_forms_to_the_zone_admin_only(self) -> None:
        url = reverse("regions:grid", args=[self.grid_a.pk])
        self.client.force_login(self.chen)
        self.assertContains(self.client.get(url), 'id="assign-form"')
        self.client.force_login(self.li)
        self.assertNotContains(self.client.get(url), 'id="assign-form"')

    def test_assign_form_offers_grid_workers_of_this_zone_only(self) -> None:
        zone2 = make_region("邻区", RegionLevel.ZONE, code="02")
        office = make_region("南城", RegionLevel.OFFICE, zone2, code="01")
        far_grid = make_grid(make_region("南村", RegionLevel.VILLAGE, office, code="001"))
        outsider = make_user("outsider", Role.GRID_WORKER, zone=zone2)
        assign(outsider, far_grid)
        self.client.force_login(self.chen)
        r = self.client.get(reverse("regions:grid", args=[self.grid_a.pk]))
        offered = set(r.context["assign_form"].fields["person"].queryset)
        self.assertEqual(offered, {self.zhang, self.wang, self.spare})

    def test_grid_worker_of_another_zone_without_a_term_cannot_be_put_on_a_grid(self) -> None:
        zone2 = make_region("邻区", RegionLevel.ZONE, code="02")
        outsider = make_user("outsider", Role.GRID_WORKER, zone=zone2)
        self.client.force_login(self.chen)
        r = self.client.get(reverse("regions:grid", args=[self.grid_a.pk]))
        self.assertNotIn(outsider, r.context["assign_form"].fields["person"].queryset)
        self.start(outsider, self.grid_a)
        self.assertFalse(GridAssignment.objects.filter(user=outsider).exists())


class AssignMemberServiceTests(World):
    def test_a_person_of_another_zone_is_not_found_even_past_the_form(self) -> None:
        from django.http import Http404

        from anjian.regions import services

        other_zone = make_region("别的开发区", RegionLevel.ZONE, code="77")
        stranger = make_user("stranger", Role.GRID_WORKER, zone=other_zone)
        with self.assertRaises(Http404):
            services.assign_member(
                self.grid_a,
                stranger,
                role=GridRole.WORKER,
                starts_on=datetime.date(2026, 1, 1),
                by=self.chen,
            )
        self.assertFalse(GridAssignment.objects.filter(user=stranger).exists())
