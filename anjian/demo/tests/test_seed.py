"""The demo zone is the seed article's zone, and its demo accounts walk every flow."""

from io import StringIO

from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import TestCase

from anjian.accounts.models import Agency, Department, Role, User
from anjian.accounts.scope import scope_of
from anjian.audit.models import Entry
from anjian.enterprises.models import Enterprise
from anjian.regions.models import Grid, GridAssignment, GridRole, Region, RegionLevel


class ZoneSeedTests(TestCase):
    out: StringIO

    @classmethod
    def setUpTestData(cls) -> None:
        cls.out = StringIO()
        call_command(
            "seed_demo", "--scale", "zone", "--seed", "11", "--no-activity", stdout=cls.out
        )

    def test_it_has_the_articles_shape(self) -> None:
        self.assertEqual(Region.objects.filter(level=RegionLevel.OFFICE).count(), 3)
        self.assertEqual(Grid.objects.count(), 46)
        self.assertEqual(Enterprise.objects.count(), 2500)
        self.assertGreaterEqual(Enterprise.objects.filter(landlord__isnull=False).count(), 600)
        self.assertEqual(Agency.objects.count(), 12)
        self.assertGreaterEqual(Department.objects.count(), 5)
        workers = GridAssignment.objects.active().filter(role=GridRole.WORKER)
        self.assertGreaterEqual(workers.values("user").distinct().count(), 28)
        self.assertTrue(GridAssignment.objects.active().filter(role=GridRole.CHIEF).exists())
        self.assertTrue(GridAssignment.objects.filter(ends_on__isnull=False).exists())
        self.assertEqual(Grid.objects.filter(boundary="").count(), 0)
        self.assertGreaterEqual(User.objects.filter(role=Role.EXPERT).count(), 12)

    def test_every_grid_has_a_worker_and_every_enterprise_a_valid_place(self) -> None:
        covered = set(
            GridAssignment.objects.active()
            .filter(role=GridRole.WORKER)
            .values_list("grid_id", flat=True)
        )
        self.assertEqual(covered, set(Grid.objects.values_list("id", flat=True)))
        for e in Enterprise.objects.select_related("grid")[:200]:
            self.assertEqual(
                (e.village_id, e.office_id, e.zone_id),
                (e.grid.village_id, e.grid.office_id, e.grid.zone_id),
            )

    def test_demo_accounts_sign_in_with_the_demo_password(self) -> None:
        roles = {
            "demo-admin": Role.ZONE_ADMIN,
            "demo-officer": Role.OFFICER,
            "demo-grid": Role.GRID_WORKER,
            "demo-enterprise": Role.ENTERPRISE,
            "demo-expert": Role.EXPERT,
            "demo-leader": Role.LEADER,
            "demo-department": Role.DEPARTMENT,
        }
        for username, role in roles.items():
            with self.subTest(username=username):
                user = authenticate(username=username, password="anjian-demo")
                self.assertIsNotNone(user)
                self.assertEqual(user.role, role)  # type: ignore[union-attr]

    def test_demo_grid_officer_and_department_all_reach_the_demo_enterprise(self) -> None:
        enterprise = User.objects.get(username="demo-enterprise").enterprise
        assert enterprise is not None
        for username in ("demo-grid", "demo-officer", "demo-department", "demo-admin"):
            with self.subTest(username=username):
                user = User.objects.get(username=username)
                self.assertTrue(
                    Enterprise.objects.visible_to(user).filter(pk=enterprise.pk).exists()
                )
        grid_worker = User.objects.get(username="demo-grid")
        self.assertIn(enterprise.grid_id, scope_of(grid_worker).grid_ids or ())

    def test_progress_and_the_logins_are_printed(self) -> None:
        text = self.out.getvalue()
        self.assertIn("enterprises 2500/2500", text)
        self.assertIn("demo-enterprise", text)

    def test_a_second_seed_refuses_and_if_empty_does_nothing(self) -> None:
        with self.assertRaises(CommandError):
            call_command("seed_demo", "--no-activity", stdout=StringIO())
        out = StringIO()
        call_command("seed_demo", "--if-empty", stdout=out)
        self.assertIn("already holds the zone demo; demo data not loaded", out.getvalue())
        self.assertEqual(Enterprise.objects.count(), 2500)

    def test_if_empty_with_another_scale_says_which_demo_is_kept_and_how_to_switch(self) -> None:
        out = StringIO()
        call_command("seed_demo", "--scale", "city", "--if-empty", stdout=out)
        self.assertIn("holds the zone demo, not the city asked for", out.getvalue())
        self.assertIn("DATABASE_URL", out.getvalue())
        self.assertEqual(Enterprise.objects.count(), 2500)

    def test_if_empty_on_a_zone_that_is_not_a_demo_says_so_plainly(self) -> None:
        Entry.objects.filter(action="demo.seed").delete()
        out = StringIO()
        call_command("seed_demo", "--scale", "city", "--if-empty", stdout=out)
        self.assertEqual(
            out.getvalue().strip(), "The database already holds a zone; demo data not loaded."
        )


class SeedDeterminismTests(TestCase):
    def seeded(self, seed: int) -> list[tuple[str, str, str, str]]:
        """Seed, read the zone back, and roll the seed away again."""
        with transaction.atomic():
            call_command("seed_demo", "--seed", str(seed), "--no-activity", stdout=StringIO())
            rows = list(
                Enterprise.objects.order_by("id").values_list(
                    "name", "uscc", "sector", "grid__code"
                )
            )
            transaction.set_rollback(True)
        return rows

    def test_the_same_seed_gives_the_same_zone_and_another_seed_another(self) -> None:
        first = self.seeded(5)
        self.assertEqual(self.seeded(5), first)
        self.assertNotEqual(self.seeded(6), first)
