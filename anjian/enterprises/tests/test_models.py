"""The registry's scope (`visible_to`) for every role, and the model's own constraints."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction

from anjian.accounts.models import Role
from anjian.enterprises.models import Enterprise, Kind, Status
from anjian.test import World, assign, make_enterprise, make_grid, make_region, make_user


class VisibleToTests(World):
    def names(self, user: object) -> set[str]:
        return set(Enterprise.objects.visible_to(user).values_list("name", flat=True))  # type: ignore[arg-type]

    def test_each_persona_sees_exactly_their_registry(self) -> None:
        a, a2, b = self.ea.name, self.ea2.name, self.eb.name
        expected = {
            "chen": {a, a2, b},
            "zhou": {a, a2, b},
            "li": {a, a2},
            "qian": {b},
            "zhang": {a},
            "wang": {b},
            "zhao": {a},
            "wu": {a},
            "sun": set(),
            "nobody": set(),
        }
        for username, names in expected.items():
            with self.subTest(user=username):
                self.assertEqual(self.names(getattr(self, username)), names)

    def test_anonymous_sees_nothing(self) -> None:
        self.assertEqual(self.names(AnonymousUser()), set())

    def test_deactivated_admin_sees_nothing(self) -> None:
        self.chen.is_active = False
        self.chen.save()
        self.assertEqual(self.names(self.chen), set())

    def test_grid_worker_whose_term_ended_sees_nothing(self) -> None:
        former = make_user("former", Role.GRID_WORKER)
        assign(former, self.grid_a, ends_on=datetime.date(2021, 1, 1))
        self.assertEqual(self.names(former), set())

    def test_grid_worker_whose_term_has_not_started_sees_nothing(self) -> None:
        future = make_user("future", Role.GRID_WORKER)
        assign(future, self.grid_a, starts_on=datetime.date.today() + datetime.timedelta(days=30))
        self.assertEqual(self.names(future), set())

    def test_grid_worker_of_two_grids_sees_both(self) -> None:
        assign(self.zhang, self.grid_a2)
        zhang = type(self.zhang).objects.get(pk=self.zhang.pk)
        self.assertEqual(self.names(zhang), {self.ea.name, self.ea2.name})

    def test_village_officer_sees_their_village_only(self) -> None:
        v3 = make_region("新村", "village", self.o1)
        other = make_enterprise(make_grid(v3))
        officer = make_user("village-officer", Role.OFFICER, region=v3, certificate_no="执03")
        self.assertEqual(self.names(officer), {other.name})

    def test_department_sees_only_enterprises_referred_to_it(self) -> None:
        self.eb.competent_department = self.fire
        self.eb.save()
        self.assertEqual(self.names(self.wu), {self.ea.name, self.eb.name})

    def test_another_zone_is_invisible_to_this_zones_admin(self) -> None:
        zone2 = make_region("另一区", "zone", code="02")
        village = make_region("村", "village", make_region("办", "office", zone2))
        make_enterprise(make_grid(village), "外区企业")
        self.assertNotIn("外区企业", self.names(self.chen))

    def test_operating_leaves_out_other_statuses(self) -> None:
        Enterprise.objects.filter(pk=self.ea2.pk).update(status=Status.SHUT)
        operating = set(Enterprise.objects.visible_to(self.li).operating())
        self.assertEqual(operating, {self.ea})


class ConstraintTests(World):
    def test_credit_code_is_unique_within_a_zone(self) -> None:
        with self.assertRaises(IntegrityError), transaction.atomic():
            make_enterprise(self.grid_b, uscc=self.ea.uscc)

    def test_blank_credit_codes_may_repeat(self) -> None:
        make_enterprise(self.grid_a, uscc="")
        make_enterprise(self.grid_b, uscc="")
        self.assertEqual(Enterprise.objects.filter(uscc="").count(), 2)

    def test_enterprise_cannot_be_its_own_landlord(self) -> None:
        with self.assertRaises(IntegrityError), transaction.atomic():
            Enterprise.objects.filter(pk=self.ea.pk).update(landlord=self.ea)

    def test_is_landlord_for_landlords_and_cluster_operators(self) -> None:
        for kind, expected in [
            (Kind.ORDINARY, False),
            (Kind.LANDLORD, True),
            (Kind.CLUSTER_OPERATOR, True),
        ]:
            with self.subTest(kind=kind):
                self.assertEqual(Enterprise(kind=kind).is_landlord, expected)
